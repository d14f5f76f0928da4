/*
 * Optuna's RDB storage, made from SQL: the input is an SQL script (as the
 * hand-written fixtures tests/data/optuna/v*.sql are), run into a scratch
 * SQLite file that is then imported. Mutating SQL reaches odd values,
 * types, NULLs and schemas far sooner than mutating the pages of a file.
 * The script may not attach files, and runs for a bounded number of
 * SQLite instructions with bounded lengths; whatever it made before an
 * error is imported. The first byte picks the options.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/xmalloc.h"

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const study[] = { "-s", "one", "--study", "pruned",
	NULL };
static const char *const objective[] = { "--objective", "1", NULL };
static const char *const *const sets[] = { auto_detect, study, objective };

static int
deny_attach(void *arg, int action, const char *a, const char *b,
    const char *c, const char *d)
{
	(void)arg; (void)a; (void)b; (void)c; (void)d;
	if (action == SQLITE_ATTACH || action == SQLITE_DETACH)
		return SQLITE_DENY;
	if (action == SQLITE_PRAGMA)
		return SQLITE_DENY;
	return SQLITE_OK;
}

static int
budget(void *arg)
{
	int	*left = arg;

	return --*left <= 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *opts;
	char		*path, *sql;
	sqlite3		*db;
	int		 left = 1000;

	opts = fuzz_pick(sets, sizeof sets / sizeof sets[0], &data, &size);
	sql = xstrndup((const char *)data, size);
	path = xprintf("%s/input.db", fuzz_dir());
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
		abort();
	/* A scratch file: no journal, no sync. */
	sqlite3_exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF",
	    NULL, NULL, NULL);
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_set_authorizer(db, deny_attach, NULL);
	/* 1000 calls of the handler, 100 instructions apart. */
	sqlite3_progress_handler(db, 100, budget, &left);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	free(sql);
	fuzz_import(opts, path);
	free(path);
	fuzz_clean();
	return 0;
}
