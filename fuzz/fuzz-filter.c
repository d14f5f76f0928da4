/*
 * The explorer's filter expressions (f at the trials screen): the input
 * is the text typed, parsed against a small study of every kind of
 * parameter and status and matched against each of its trials, with and
 * without predictions.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/import.h"
#include "rung/store.h"
#include "rung/study.h"
#include "rung/tui.h"
#include "rung/xmalloc.h"

#include "fuzz.h"

static const char study_csv[] =
    "trial,step,loss,status,lr,depth,opt,note\n"
    "a,1,0.9,complete,0.1,2,adam,x\n"
    "a,2,0.5,complete,0.1,2,adam,x\n"
    "a,3,0.25,complete,0.1,2,adam,x\n"
    "b,1,1.5,stopped,1e-3,8,sgd,\n"
    "b,2,nan,stopped,1e-3,8,sgd,\n"
    "c,1,inf,failed,0.01,4,Adam W,\"a \"\"quoted\"\" one\"\n"
    "d,1,0.7,running,,16,\xc3\xa9t\xc3\xa9,\n"
    "d,5,-0.25,running,,16,\xc3\xa9t\xc3\xa9,\n"
    "42,1,0.3,complete,1e10,-1,1e-05,y\n"
    "42,2,0.2,complete,1e10,-1,1e-05,y\n";

static struct rung_study *study;
static double	*pred;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rung_store *st;
	struct rung_import_opts o;
	struct rung_import_report rep;
	char		*path, *cause = NULL;
	const char	*paths[1];
	uint32_t	 t;

	fuzz_init();
	path = fuzz_write("study.csv", study_csv, sizeof study_csv - 1);
	rung_import_opts_init(&o);
	o.study = "s";
	paths[0] = path;
	if (rung_store_open("memory", RUNG_STORE_MEMORY, &st,
	    &cause) != 0 ||
	    rung_import(st, paths, 1, &o, &rep, &cause) != 0 ||
	    rung_store_load(st, "s", NULL, 0, &study, &cause) != 0) {
		fprintf(stderr, "fuzz-filter: %s\n", cause);
		abort();
	}
	rung_import_report_release(&rep);
	rung_store_close(st);
	free(path);
	fuzz_clean();
	pred = xcalloc(study->ntrials, sizeof *pred);
	for (t = 0; t < study->ntrials; t++)
		pred[t] = t % 2 ? NAN : 0.5 * t;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rung_filter *f;
	char		*text, *cause = NULL;
	uint32_t	 t;
	int		 m;

	text = xstrndup((const char *)data, size);
	if ((f = rung_filter_parse(text, study, &cause)) == NULL) {
		if (cause == NULL)
			abort();
		free(cause);
	} else {
		for (t = 0; t < study->ntrials; t++) {
			m = rung_filter_match(f, study, pred, t);
			if (m != 0 && m != 1)
				abort();
			m = rung_filter_match(f, study, NULL, t);
			if (m != 0 && m != 1)
				abort();
		}
		rung_filter_free(f);
	}
	free(text);
	return 0;
}
