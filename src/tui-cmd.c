/*
 * The command line's commands: the explorer's own (tui_commands, each with
 * its handler) and rung's, run on a thread with their output in a pipe
 * that the output screen shows; a study left out is the open one.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tui-int.h"
#include "rung/store.h"
#include "rung/xmalloc.h"


/*
 * Which operand of the command's usage is the study (0 the first), -1 if
 * none is. Bracketed words are optional, a word after an option is its
 * value: "plot ... curves|... study" takes it second.
 */
static int
study_operand(const struct rung_cmd_entry *e)
{
	const char	*p = e->usage;
	int		 depth = 0, value = 0, k = 0;
	size_t		 n;

	while (p != NULL && *p != '\0') {
		if (*p == '[')
			depth++;
		else if (*p == ']')
			depth--;
		else if (depth == 0 && *p != ' ') {
			n = strcspn(p, " ");
			if (*p == '-')
				value = 1;
			else if (value)
				value = 0;
			else if (n == 5 && strncmp(p, "study", 5) == 0)
				return k;
			else
				k++;
			p += n;
			continue;
		}
		p++;
	}
	return -1;
}

/*
 * Operands of a shell command line, counted with the command's options:
 * a study left out is the open one.
 */
static int
count_operands(const struct rung_cmd_entry *e, int argc, char **argv,
    int *first)
{
	struct option	*longopts = rung_cmd_longopts(e);
	const struct option *o;
	char		*shortopts = rung_cmd_shortopts(e);
	const char	*w, *sc;
	int		 i, n = 0, j;
	size_t		 len;

	*first = argc;
	for (i = 1; i < argc; i++) {
		w = argv[i];
		if (strcmp(w, "--") == 0) {
			if (*first == argc)
				*first = i + 1;
			n += argc - i - 1;
			break;
		}
		if (strncmp(w, "--", 2) == 0) {
			len = strcspn(w + 2, "=");
			for (o = longopts; o->name != NULL; o++) {
				if (strncmp(o->name, w + 2, len) == 0)
					break;
			}
			if (o->name != NULL &&
			    o->has_arg == required_argument &&
			    w[2 + len] != '=')
				i++;
			continue;
		}
		if (w[0] == '-' && w[1] != '\0') {
			for (j = 1; w[j] != '\0'; j++) {
				sc = strchr(shortopts, w[j]);
				if (sc != NULL && sc[1] == ':') {
					if (w[j + 1] == '\0')
						i++;
					break;
				}
			}
			continue;
		}
		if (*first == argc)
			*first = i;
		n++;
	}
	free(longopts);
	free(shortopts);
	return n;
}

/*
 * A replay of the open study on the metric shown, kept: the replay screen
 * then shows it (the kept replay of another metric is not what it shows).
 */
static int
shows_replay(struct tui *t, int argc, char **argv)
{
	const char	*metric = NULL;
	int		 i;

	if (t->s == NULL || strcmp(argv[argc - 1], t->s->name) != 0)
		return 0;
	for (i = 1; i < argc - 1; i++) {
		if (strcmp(argv[i], "--no-save") == 0)
			return 0;
		if ((strcmp(argv[i], "--metric") == 0 ||
		    strcmp(argv[i], "-m") == 0) && i + 1 < argc - 1)
			metric = argv[i + 1];
		else if (strncmp(argv[i], "--metric=", 9) == 0)
			metric = argv[i] + 9;
	}
	return metric == NULL || strcmp(metric, t->s->curve.name) == 0;
}

static void
run_shell(struct tui *t, const char *line, int argc, char **argv)
{
	const struct rung_cmd_entry *e;
	struct tui_cmd	*c = &t->cmd;
	char		*cause = NULL, **nargv, *end;
	int		 first, n, i, p[2];
	long		 k;

	if ((e = rung_cmd_find(argv[0], &cause)) == NULL) {
		tui_message(t, 1, "%s: ':keys' or '?' lists the explorer's "
		    "commands, ':help' rung's", cause);
		free(cause);
		rung_free_argv(argv);
		return;
	}
	if (strcmp(e->name, "tui") == 0) {
		tui_message(t, 1, "this is the explorer already");
		rung_free_argv(argv);
		return;
	}
	if (tui_job_running(&c->job)) {
		tui_message(t, 1, "'%s' is still running: wait for it",
		    c->line);
		rung_free_argv(argv);
		return;
	}
	/*
	 * A study left out is the open one: ':fit --prefix 5'; one that
	 * comes after other operands goes last: ':plot curves'.
	 */
	n = count_operands(e, argc, argv, &first);
	if (t->s != NULL && n == e->minargs - 1 &&
	    (k = study_operand(e)) >= 0) {
		if (k > 0)
			first = argc;
		nargv = xcalloc((size_t)argc + 2, sizeof *nargv);
		for (i = 0; i < first; i++)
			nargv[i] = argv[i];
		nargv[first] = xstrdup(t->s->name);
		for (i = first; i < argc; i++)
			nargv[i + 1] = argv[i];
		free(argv);
		argv = nargv;
		argc++;
	}
	if (pipe(p) != 0) {
		tui_message(t, 1, "pipe: %s", strerror(errno));
		rung_free_argv(argv);
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	fcntl(p[1], F_SETFD, FD_CLOEXEC);
	c->db_path = t->db_path;
	c->argc = argc;
	c->argv = argv;
	free(c->line);
	c->line = xstrdup(line);
	c->out_w = p[1];
	c->status = 0;
	c->writes = (e->flags & RUNG_CMD_STORE_RO) == 0;
	c->fit_prefix = 0;
	c->saves_model = 0;
	c->shows_replay = strcmp(e->name, "replay") == 0 &&
	    shows_replay(t, argc, argv);
	for (i = 1; i < argc; i++) {
		if (strncmp(argv[i], "--save", 6) == 0)
			c->saves_model = 1;
	}
	t->out_r = p[0];
	/* fit --prefix K on the open study moves the marker too. */
	if (strcmp(e->name, "fit") == 0 && t->s != NULL &&
	    strcmp(argv[argc - 1], t->s->name) == 0) {
		for (i = 1; i + 1 < argc; i++) {
			if (strcmp(argv[i], "--prefix") == 0) {
				k = strtol(argv[i + 1], &end, 10);
				if (*end == '\0' && k >= 1 && k < tui_target(t))
					c->fit_prefix = (int32_t)k;
			}
		}
	}
	{
		struct rung_buf	 hdr = { 0 };

		rung_buf_addstr(&hdr, "$ rung");
		for (i = 0; i < argc; i++)
			rung_buf_printf(&hdr, " %s", argv[i]);
		rung_buf_addc(&hdr, '\n');
		tui_output_add(t, 2, hdr.data, hdr.len);
		rung_buf_release(&hdr);
	}
	t->out.follow = 1;
	tui_job_start(&c->job, tui_cmd_main, c);
	if (c->fit_prefix > 0)
		tui_set_prefix(t, c->fit_prefix);
	tui_set_screen(t, SCR_OUTPUT);
}

void
tui_cmd_done(struct tui *t)
{
	struct tui_cmd	*c = &t->cmd;
	char		 buf[128];
	int		 n;

	if (t->out_r >= 0) {
		tui_output_read(t, t->out_r, 0);
		close(t->out_r);
		t->out_r = -1;
	}
	if (t->err_r >= 0)
		tui_output_read(t, t->err_r, 1);
	for (n = 0; n < 2; n++) {
		if (t->out.part[n].len > 0)
			tui_output_add(t, n, "\n", 1);
	}
	free(t->out.progress);
	t->out.progress = NULL;
	n = snprintf(buf, sizeof buf, "[exit %d, %.2f s]\n", c->status,
	    rung_now() - c->job.started);
	tui_output_add(t, c->status == 0 ? 2 : 1, buf, (size_t)n);
	if (c->status == 0)
		tui_message(t, 0, "'%s' done (%.2f s)", c->line,
		    rung_now() - c->job.started);
	else
		tui_message(t, 1, "'%s' failed with status %d: see the output "
		    "(5)", c->line, c->status);
	rung_free_argv(c->argv);
	c->argv = NULL;
	if (c->writes) {
		/* Kept replays and models may be new: look again. */
		tui_reload(t);
		/* What the command wrote is no other process's change. */
		if (t->ctx->store != NULL)
			t->live_ver = rung_store_data_version(t->ctx->store);
		if (t->s != NULL && c->status == 0 && c->saves_model)
			tui_load_model(t);
	}
	/*
	 * A kept replay of the open study: its screen, unless the user has
	 * gone elsewhere meanwhile. The output stays on 5.
	 */
	if (c->status == 0 && c->shows_replay) {
		if (t->screen == SCR_OUTPUT) {
			tui_set_screen(t, SCR_REPLAY);
			tui_message(t, 0, "'%s' done (%.2f s): kept, shown "
			    "here; 5 shows its output", c->line,
			    rung_now() - c->job.started);
		} else if (t->screen != SCR_REPLAY)
			tui_message(t, 0, "'%s' done (%.2f s): 4 shows it",
			    c->line, rung_now() - c->job.started);
	}
}

/* The explorer's own commands. */

static long
int_arg(struct tui *t, const char *s, long lo, long hi)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		tui_message(t, 1, "'%s' is not a number from %ld to %ld", s,
		    lo, hi);
		return -1;
	}
	return v;
}

static void
own_filter(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)argc;
	(void)argv;
	tui_apply_filter(t, rest);
}

static void
own_sort(struct tui *t, int argc, char **argv, const char *rest)
{
	size_t	 i;
	int	 rev = 0;

	(void)rest;
	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "--reverse") == 0 ||
		    strcmp(argv[i], "-r") == 0)
			rev = 1;
	}
	if (argc < 2 || tui_sort_by_name(t, argv[argc - 1], rev) != 0)
		tui_message(t, 1, "sort: give a column: id, status, "
		    "steps, best, final, predicted or a parameter");
}

static void
own_search(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)argc;
	(void)argv;
	free(t->search);
	t->search = xstrdup(rest);
	tui_views[SCR_TRIALS]->key(t, ACT_SEARCH_NEXT);
}

static void
own_open(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (argc != 2)
		tui_message(t, 1, "usage: open study");
	else
		tui_open_study(t, argv[1]);
}

static void
own_metric(struct tui *t, int argc, char **argv, const char *rest)
{
	size_t	 i;

	(void)rest;
	for (i = 0; argc == 2 && i < t->nmetrics; i++) {
		if (strcmp(t->metrics[i], argv[1]) == 0)
			break;
	}
	if (argc != 2 || i == t->nmetrics)
		tui_message(t, 1, "metric: give one of the study's "
		    "metrics (m cycles through them)");
	else
		tui_switch_metric(t, i);
}

static void
own_prefix(struct tui *t, int argc, char **argv, const char *rest)
{
	long	 v;

	(void)rest;
	if (argc == 2 && t->s != NULL && (v = int_arg(t, argv[1], 1,
	    tui_target(t) - 1)) > 0)
		tui_set_prefix(t, (int32_t)v);
}

/* :refit [svr]: the SVR named stays what r fits, for this explorer. */
static void
own_refit(struct tui *t, int argc, char **argv, const char *rest)
{
	int	 type;

	(void)rest;
	if (argc > 2) {
		tui_message(t, 1, "refit: one SVR at most: %s",
		    rung_svr_type_list());
		return;
	}
	if (argc == 2) {
		if ((type = rung_svr_type_parse(argv[1])) < 0) {
			tui_message(t, 1, "refit: the SVR must be %s, not '%s'",
			    rung_svr_type_list(), argv[1]);
			return;
		}
		tui_set_refit_svr(t, (enum rung_svr_type)type);
	}
	tui_request_refit(t);
}

static void
own_top(struct tui *t, int argc, char **argv, const char *rest)
{
	long	 v;

	(void)rest;
	if (argc == 2 && (v = int_arg(t, argv[1], 0, 20)) >= 0)
		tui_set_topk(t, (int)v);
}

static void
own_params(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)rest;
	tui_show_params(t, argc, argv);
}

static void
own_mark(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)rest;
	tui_mark_ids(t, argc, argv, 1);
}

static void
own_unmark(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)rest;
	tui_mark_ids(t, argc, argv, 0);
}

static void
own_logy(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)argc;
	(void)argv;
	(void)rest;
	tui_toggle_logy(t);
}

static void
own_smooth(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)rest;
	if (argc == 2)
		tui_set_smooth(t, argv[1]);
	else
		tui_message(t, 1, "smooth: give a weight in [0, 1): 0 for "
		    "none");
}

static void
own_colorby(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)rest;
	tui_set_colorby(t, argc >= 2 ? argv[1] : NULL);
}

static void
own_yrange(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)argc;
	(void)argv;
	tui_set_yrange(t, rest);
}

static void
own_keys(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)argc;
	(void)argv;
	(void)rest;
	tui_set_screen(t, SCR_HELP);
}

static void
own_quit(struct tui *t, int argc, char **argv, const char *rest)
{
	(void)argc;
	(void)argv;
	(void)rest;
	t->quit = 1;
}

static const char *const sort_opts[] = { "--reverse", NULL };

const struct tui_command tui_commands[] = {
	{ "filter", "[expression]", "filter the trials (no expression: all)",
	  NULL, OPD_COLUMN, own_filter, NULL },
	{ "sort", "[--reverse] column", "sort the trials by a column",
	  sort_opts, OPD_COLUMN, own_sort, NULL },
	{ "search", "text", "search the trials for text", NULL, OPD_ANY,
	  own_search, NULL },
	{ "open", "study", "open a study", NULL, OPD_STUDY, own_open, NULL },
	{ "metric", "name", "plot and list another metric", NULL, OPD_METRIC,
	  own_metric, NULL },
	{ "prefix", "k", "put the prefix marker at step k", NULL, OPD_ANY,
	  own_prefix, NULL },
	{ "refit", "[nu-svr|eps-svr|qsvr]", "refit the SVR on the prefix at the "
	  "marker (the SVR named: what r fits from now on)", NULL, OPD_ANY,
	  own_refit, NULL },
	{ "top", "k", "plot the top k trials (0: none)", NULL, OPD_ANY,
	  own_top, NULL },
	{ "params", "[name...]", "show these parameter columns, in this order "
	  "(none named: all)", NULL, OPD_ANY, own_params, NULL },
	{ "mark", "trial...", "mark trials by id", NULL, OPD_ANY, own_mark,
	  NULL },
	{ "unmark", "[trial...]", "unmark trials (none named: all)", NULL,
	  OPD_ANY, own_unmark, NULL },
	{ "logy", "", "toggle the log scale of the y axis", NULL, OPD_ANY,
	  own_logy, NULL },
	{ "smooth", "weight", "smooth the curves as TensorBoard does, weight "
	  "in [0, 1) (0: none)", NULL, OPD_ANY, own_smooth, NULL },
	{ "color-by", "[param]", "colour the curves by a parameter (none "
	  "named: as before)", NULL, OPD_ANY, own_colorby, NULL },
	{ "yrange", "[lo:hi]", "the y axis from lo to hi, either may be left "
	  "out (none: automatic)", NULL, OPD_ANY, own_yrange, NULL },
	{ "keys", "", "show the help screen", NULL, OPD_ANY, own_keys, NULL },
	{ "quit", "", "quit the explorer", NULL, OPD_ANY, own_quit, "q" },
	{ NULL, NULL, NULL, NULL, OPD_ANY, NULL, NULL }
};

/* A line of the explorer's own commands; 0 if it is not one. */
static int
run_own(struct tui *t, const char *line, int argc, char **argv)
{
	const struct tui_command *c;
	const char	*rest;

	for (c = tui_commands; c->name != NULL; c++) {
		if (strcmp(argv[0], c->name) == 0 || (c->alias != NULL &&
		    strcmp(argv[0], c->alias) == 0))
			break;
	}
	if (c->name == NULL)
		return 0;
	rest = line + strspn(line, " \t");
	rest += strcspn(rest, " \t");
	rest += strspn(rest, " \t");
	c->run(t, argc, argv, rest);
	t->dirty = 1;
	return 1;
}

void
tui_run_line(struct tui *t, const char *line, int kind)
{
	const struct rung_view_ops *v;
	char	**argv, *cause = NULL;
	int	  argc;

	if (kind == '/') {
		free(t->search);
		t->search = *line ? xstrdup(line) : NULL;
		/* On a screen of lines its own, else the trials'. */
		v = tui_views[t->screen];
		if ((v->flags & VIEW_SEARCH) == 0)
			v = tui_views[SCR_TRIALS];
		v->key(t, ACT_SEARCH_NEXT);
		return;
	}
	if (kind == 'f') {
		tui_apply_filter(t, line);
		return;
	}
	if ((argv = rung_split_line(line, &argc, &cause)) == NULL) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return;
	}
	if (argc == 0) {
		rung_free_argv(argv);
		return;
	}
	if (run_own(t, line, argc, argv)) {
		rung_free_argv(argv);
		return;
	}
	run_shell(t, line, argc, argv);	/* takes argv */
}
