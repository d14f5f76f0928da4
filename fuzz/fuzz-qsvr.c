/*
 * The QSVR's files from outside (src/qsvr-io.c, src/svr-text.c): the first
 * byte picks what the rest is.
 *
 * 0: an annealer's samples, read by --samples-in for the QUBO of three
 *    training points (18 variables). A file that is refused gets a cause
 *    that names the file, and a line of it where it names one; one that
 *    is read makes a model whose prediction is a number.
 * 1: a saved model (rung fit --save, either SVR type). One that loads
 *    predicts a number or NaN, never reads past its features, and saves
 *    to a text that loads to a model predicting the same, bit for bit.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/predict.h"
#include "rung/qsvr.h"
#include "rung/xmalloc.h"

#include "fuzz.h"

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-qsvr: %s%s%s\n", what, detail ? ": " : "",
	    detail ? detail : "");
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static void
samples(const uint8_t *data, size_t size)
{
	static const double x[] = { 0, 0.5, 1 }, y[] = { 0, 0.3, 1 };
	struct rung_qsvr_params p;
	struct rung_qsvr *q = NULL;
	const char	*at;
	char		*path, *cause = NULL, *end;
	unsigned long	 line;
	size_t		 nlines = 1, i;
	double		 row = 0.25, v;

	path = fuzz_write("fit.samples", data, size);
	rung_qsvr_params_init(&p);
	p.samples_in = fuzz_dir();
	p.tag = "fit";
	if (rung_qsvr_fit(&p, x, y, 3, 1, &q, &cause) != 0) {
		if (q != NULL)
			fail("a refused file made a model", cause);
		if (cause == NULL || strncmp(cause, path, strlen(path)) != 0 ||
		    cause[strlen(path)] != ':')
			fail("the cause does not name the file", cause);
		if ((at = strstr(cause + strlen(path), ": line ")) != NULL) {
			line = strtoul(at + 7, &end, 10);
			for (i = 0; i < size; i++)
				nlines += data[i] == '\n';
			if (end == at + 7 || line < 1 || line > nlines)
				fail("the cause names a line the file does "
				    "not have", cause);
		}
		free(cause);
	} else {
		v = rung_qsvr_predict(q, &row);
		if (!isfinite(v))
			fail("samples read make no prediction", NULL);
		rung_qsvr_free(q);
	}
	free(path);
	fuzz_clean();
}

static void
model(const uint8_t *data, size_t size)
{
	struct rung_svr	*m = NULL, *again = NULL;
	char		*cause = NULL, *text = NULL;
	double		*row, a, b;
	size_t		 len, i;

	if (rung_svr_load((const char *)data, size, &m, &cause) != 0) {
		if (m != NULL || cause == NULL)
			fail("a refused model without its cause", cause);
		free(cause);
		return;
	}
	/*
	 * Its features are at most the text's length: a row that long, in
	 * an allocation of exactly that, lets ASan see a read past them.
	 */
	row = xreallocarray(NULL, size ? size : 1, sizeof *row);
	for (i = 0; i < (size ? size : 1); i++)
		row[i] = 0.5;
	a = rung_svr_predict(m, row);
	if (rung_svr_save(m, &text, &len, &cause) != 0)
		fail("a loaded model does not save", cause);
	if (rung_svr_load(text, len, &again, &cause) != 0)
		fail("a saved model does not load", cause);
	b = rung_svr_predict(again, row);
	if (memcmp(&a, &b, sizeof a) != 0 && !(isnan(a) && isnan(b)))
		fail("a model saved and loaded predicts another value", text);
	rung_svr_free(again);
	rung_svr_free(m);
	free(text);
	free(row);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] % 2 == 0)
		samples(data + 1, size - 1);
	else
		model(data + 1, size - 1);
	return 0;
}
