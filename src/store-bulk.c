/*
 * An import's transaction. Into a database that holds no trial yet (the
 * usual first import, often the largest), it runs with a rollback journal
 * rather than the write-ahead log: in WAL mode every page of a gigabyte
 * study is written twice (to the -wal, then copied into the database by
 * the checkpoint after the commit), while a rollback journal keeps only
 * the pages the database had before the transaction, which for a database
 * without trials is a handful: the new pages lie past the file's old end,
 * and rolling back (or a hot journal found after a crash) cuts the file
 * there. Still all or nothing. WAL comes back at the end, so that readers
 * and the live explorer find the database as every other command leaves
 * it.
 *
 * Leaving WAL mode needs the database to itself: where another connection
 * has it open (not waited for), or it already
 * holds trials (a reader may be following it), the transaction is the
 * ordinary one. RUNG_IMPORT_WAL in the environment keeps WAL always (the
 * bench's comparison).
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "rung/store.h"
#include "rung/xmalloc.h"

#include "store-int.h"

/* The journal mode PRAGMA answers with, or -1. */
static int
journal_mode(struct rung_store *s, const char *sql, const char *want)
{
	sqlite3_stmt	*st;
	int		 ok = -1;

	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) !=
	    NULL)
		ok = strcmp((const char *)sqlite3_column_text(st, 0), want) ==
		    0 ? 0 : -1;
	sqlite3_finalize(st);
	return ok;
}

static int
no_trials(struct rung_store *s)
{
	sqlite3_stmt	*st;
	int		 none = 0;

	if (sqlite3_prepare_v2(s->db, "SELECT NOT EXISTS (SELECT 1 FROM"
	    " trials)", -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		none = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return none;
}

int
rung_store_begin_import(struct rung_store *s, int *bulk, char **cause)
{
	*bulk = 0;
	/*
	 * Leaving WAL waits for no one: where another connection holds the
	 * database open, the import runs in WAL at once rather than after
	 * the busy timeout.
	 */
	if (getenv("RUNG_IMPORT_WAL") == NULL && no_trials(s)) {
		sqlite3_busy_timeout(s->db, 0);
		*bulk = journal_mode(s, "PRAGMA journal_mode = TRUNCATE",
		    "truncate") == 0;
		sqlite3_busy_timeout(s->db, BUSY_MS);
	}
	if (*bulk) {
		/*
		 * FULL: NORMAL in rollback mode may lose the journal's last
		 * write to a power cut, and with it the way back.
		 */
		sqlite3_exec(s->db, "PRAGMA synchronous = FULL", NULL, NULL, NULL);
	}
	if (rung_store_begin(s, cause) != 0) {
		rung_store_end_import(s, *bulk);
		*bulk = 0;
		return -1;
	}
	return 0;
}

/* After the commit or the rollback: the database in WAL mode again. */
void
rung_store_end_import(struct rung_store *s, int bulk)
{
	if (!bulk)
		return;
	sqlite3_exec(s->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
	/* Failing, the database is still whole: the next writer sets it. */
	(void)journal_mode(s, "PRAGMA journal_mode = WAL", "wal");
}
