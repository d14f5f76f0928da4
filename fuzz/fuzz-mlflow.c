/*
 * MLflow file stores (mlruns folders). The input after the first byte
 * (which picks the options) is a sequence of files, each introduced by a
 * line
 *
 *	=== RELATIVE/PATH
 *
 * and made under a scratch mlruns folder, which is then imported: so the
 * fuzzer varies the layout (experiment and run folders, keys of metrics,
 * params and tags with '/', .trash) as well as meta.yaml and the metric
 * lines. Paths hold at most six names of [A-Za-z0-9._,=+-] (not "." or
 * ".."), other bytes becoming '_'.
 */
#include "config.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/xmalloc.h"

#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const forced[] = { "-f", "mlflow", NULL };
static const char *const by_name[] = { "--experiment", "Default", "-s",
	"one", NULL };
static const char *const by_id[] = { "-f", "mlflow", "--experiment", "0",
	"-m", "val_loss", "--direction", "min", NULL };
static const char *const *const sets[] = { auto_detect, forced, by_name,
	by_id };

/* The path of NAME under dir, its folders made; NULL to skip it. */
static char *
make_path(const char *dir, const char *name, size_t len)
{
	char	*rel, *path, *p, *slash;
	size_t	 i, depth = 0;

	if (len == 0 || len > 200)
		return NULL;
	rel = xstrndup(name, len);
	for (i = 0; i < len; i++) {
		if (rel[i] == '/') {
			if (++depth > 5)
				goto fail;
			continue;
		}
		if (strchr("._,=+-", rel[i]) == NULL &&
		    !((rel[i] >= 'a' && rel[i] <= 'z') ||
		    (rel[i] >= 'A' && rel[i] <= 'Z') ||
		    (rel[i] >= '0' && rel[i] <= '9')))
			rel[i] = '_';
	}
	/* No empty, "." or ".." name. */
	for (p = rel;; p = slash + 1) {
		slash = strchr(p, '/');
		i = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (i == 0 || (i == 1 && p[0] == '.') ||
		    (i == 2 && p[0] == '.' && p[1] == '.'))
			goto fail;
		if (slash == NULL)
			break;
	}
	path = xprintf("%s/%s", dir, rel);
	/* The folders on the way. */
	for (p = path + strlen(dir) + 1; (slash = strchr(p, '/')) != NULL;
	    p = slash + 1) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	free(rel);
	return path;
fail:
	free(rel);
	return NULL;
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
	const char	*p, *end, *nl, *next, *body;
	char		*exp, *path;
	FILE		*f;

	opts = fuzz_pick(sets, sizeof sets / sizeof sets[0], &data, &size);
	exp = xprintf("%s/mlruns", fuzz_dir());
	mkdir(exp, 0755);
	p = (const char *)data;
	end = p + size;
	/* Find the first header. */
	while (p < end && !(end - p >= 4 && memcmp(p, "=== ", 4) == 0)) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			p = end;
		else
			p = nl + 1;
	}
	while (p < end) {
		p += 4;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		body = nl < end ? nl + 1 : end;
		/* The body runs to the next header line. */
		for (next = body; next < end; next++) {
			if ((next == body || next[-1] == '\n') &&
			    end - next >= 4 && memcmp(next, "=== ", 4) == 0)
				break;
		}
		path = make_path(exp, p, (size_t)(nl - p));
		if (path != NULL && (f = fopen(path, "wb")) != NULL) {
			fwrite(body, 1, (size_t)(next - body), f);
			fclose(f);
		}
		free(path);
		p = next;
	}
	fuzz_import(opts, exp);
	free(exp);
	fuzz_clean();
	return 0;
}
