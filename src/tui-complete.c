/*
 * What the explorer's prompt offers for an option's value or a command's
 * operand. One table says which options take which kind of value, so that
 * renaming an option (as replay --max-r became --max-steps and fit --model
 * --svr) is a change of one line here, and readline stays out of it (tui-prompt.c
 * asks, and unit-complete drives it directly).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rung/complete.h"
#include "rung/import.h"
#include "rung/sched.h"
#include "rung/xmalloc.h"

enum vkind {
	V_NONE,		/* a number, a file: nothing to offer */
	V_WORDS,	/* the entry's words */
	V_POLICY,
	V_IMPORT_FORMAT,
	V_SORT,		/* the built-in keys and the parameters */
	V_METRIC,
	V_PARAM,
	V_STUDY,
	V_TRIAL,	/* of the study operand, else the open study */
	V_STUDY_TRIAL,	/* a study, or a trial of the open study */
};

static const char *const export_formats[] = { "long-csv", "wide-csv",
	"jsonl", NULL };
static const char *const svrs[] = { "nu-svr", "eps-svr", "qsvr", NULL };
static const char *const statuses[] = { "complete", "stopped", "failed",
	"running", NULL };

/*
 * Option (by its long name; cmd NULL for every command that has it) to the
 * kind of its value; list: comma-separated. The first row that matches
 * wins, so a command's own row goes above the general one.
 */
static const struct {
	const char		*cmd;
	const char		*opt;
	enum vkind		 kind;
	int			 list;
	const char *const	*words;
} options[] = {
	{ NULL, "policy", V_POLICY, 1, NULL },
	{ NULL, "baseline", V_POLICY, 0, NULL },
	{ "import", "format", V_IMPORT_FORMAT, 0, NULL },
	{ "import", "metric", V_NONE, 0, NULL },	/* one in the file */
	{ NULL, "format", V_WORDS, 0, export_formats },
	{ NULL, "sort", V_SORT, 0, NULL },
	{ NULL, "metric", V_METRIC, 0, NULL },
	{ NULL, "metrics", V_METRIC, 1, NULL },
	{ NULL, "params", V_PARAM, 1, NULL },
	{ NULL, "from", V_STUDY, 0, NULL },
	{ NULL, "study", V_STUDY, 0, NULL },
	{ NULL, "trials", V_TRIAL, 1, NULL },
	{ NULL, "status", V_WORDS, 1, statuses },
	{ NULL, "svr", V_WORDS, 0, svrs },
	{ NULL, "features", V_WORDS, 0, (const char *const[]){ "raw", "baker",
	    NULL } },
	{ NULL, "search", V_WORDS, 0, (const char *const[]){ "none", "grid",
	    "random:", NULL } },
	{ NULL, "direction", V_WORDS, 0, (const char *const[]){ "min", "max",
	    NULL } },
	{ NULL, "variant", V_WORDS, 0, (const char *const[]){ "stop",
	    "promote", NULL } },
	{ NULL, "rule", V_WORDS, 0, (const char *const[]){ "ray", "syne",
	    "optuna", "determined", NULL } },
	{ NULL, "sampler", V_WORDS, 0, (const char *const[]){ "random", "tpe",
	    NULL } },
	{ NULL, "launcher", V_WORDS, 0, (const char *const[]){ "mpirun",
	    "mpiexec", "srun", "direct", NULL } },
};

/* Operands: the first one's kind, then the others'. */
static const struct {
	const char	*cmd;
	enum vkind	 first, rest;
} operands[] = {
	{ "show", V_STUDY_TRIAL, V_TRIAL },	/* ":show 12": the open one's */
	{ "import", V_NONE, V_NONE },		/* files: readline's own */
	{ "studies", V_NONE, V_NONE },
	{ "models", V_NONE, V_NONE },
	{ "help", V_NONE, V_NONE },
	{ "tui", V_STUDY, V_NONE },
	{ NULL, V_STUDY, V_NONE },		/* the study of a command */
};

struct emit {
	void		(*add)(const char *, void *);
	void		*arg;
	const char	*head;		/* list items before the last comma */
	size_t		 headlen;
};

static void
emit(struct emit *em, const char *word)
{
	char	*s;

	if (em->headlen == 0) {
		em->add(word, em->arg);
		return;
	}
	s = xprintf("%.*s%s", (int)em->headlen, em->head, word);
	em->add(s, em->arg);
	free(s);
}

static void
emit_all(struct emit *em, char *const *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		emit(em, v[i]);
}

/*
 * The long option a word names: --name, --name=, or -c by its letter;
 * lo is every long option of the command (rung_cmd_longopts).
 */
static const struct option *
option_of(const struct option *lo, const char *word, int *attached)
{
	const struct option *o;
	const char	*eq;
	size_t		 n;

	*attached = 0;
	if (word[0] != '-')
		return NULL;
	if (word[1] == '-') {
		word += 2;
		if ((eq = strchr(word, '=')) != NULL)
			*attached = 1;
		n = eq != NULL ? (size_t)(eq - word) : strlen(word);
		for (o = lo; o->name != NULL; o++) {
			if (strlen(o->name) == n && strncmp(o->name, word,
			    n) == 0)
				return o;
		}
		return NULL;
	}
	if (word[1] == '\0' || word[2] != '\0')
		return NULL;
	for (o = lo; o->name != NULL; o++) {
		if (o->val == word[1] && o->has_arg == required_argument)
			return o;
	}
	return NULL;
}

static int
is_study(const struct rung_completer *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nstudies; i++) {
		if (strcmp(c->studies[i], name) == 0)
			return 1;
	}
	return 0;
}

static void
offer(const struct rung_completer *c, enum vkind kind,
    const char *const *words, const char *study, struct emit *em)
{
	static const char *const sorts[] = { "id", "status", "steps",
		"final", "best", NULL };
	char *const	*ids;
	size_t		 n;
	int		 i;

	switch (kind) {
	case V_NONE:
		break;
	case V_WORDS:
		for (; *words != NULL; words++)
			emit(em, *words);
		break;
	case V_POLICY:
		for (i = 0; i < rung_policy_count(); i++)
			emit(em, rung_policy_name((enum rung_policy)i));
		break;
	case V_IMPORT_FORMAT:
		for (i = 0; rung_format_parse(rung_format_name(
		    (enum rung_format)i)) == i; i++)
			emit(em, rung_format_name((enum rung_format)i));
		break;
	case V_SORT:
		for (words = sorts; *words != NULL; words++)
			emit(em, *words);
		emit_all(em, c->params, c->nparams);
		break;
	case V_METRIC:
		emit_all(em, c->metrics, c->nmetrics);
		break;
	case V_PARAM:
		emit_all(em, c->params, c->nparams);
		break;
	case V_STUDY:
		emit_all(em, c->studies, c->nstudies);
		break;
	case V_STUDY_TRIAL:
		emit_all(em, c->studies, c->nstudies);
		/* FALLTHROUGH */
	case V_TRIAL:
		if (study != NULL && c->trials != NULL &&
		    (ids = c->trials(c->trials_arg, study, &n)) != NULL)
			emit_all(em, ids, n);
		break;
	}
}

static int	 complete_value(const struct rung_completer *,
		     const struct rung_cmd_entry *, const struct option *,
		     char *const *, int, const char *,
		     void (*)(const char *, void *), void *);

int
rung_complete_value(const struct rung_completer *c,
    const struct rung_cmd_entry *e, char *const *words, int nwords,
    const char *text, void (*add)(const char *, void *), void *arg)
{
	struct option	*lo = rung_cmd_longopts(e);
	int		 ret;

	ret = complete_value(c, e, lo, words, nwords, text, add, arg);
	free(lo);
	return ret;
}

static int
complete_value(const struct rung_completer *c,
    const struct rung_cmd_entry *e, const struct option *lo,
    char *const *words, int nwords, const char *text,
    void (*add)(const char *, void *), void *arg)
{
	const struct option *o = NULL, *oo;
	struct emit	 em = { add, arg, NULL, 0 };
	const char	*study = NULL, *comma;
	size_t		 i;
	int		 k, attached, nops = 0;

	/*
	 * Walk the words: which are options, which their values, which
	 * operands. The word before text decides, unless it is an operand.
	 */
	for (k = 1; k < nwords; k++) {
		if (strcmp(words[k], "--") == 0)
			break;
		if ((oo = option_of(lo, words[k], &attached)) != NULL) {
			if (oo->has_arg == required_argument && !attached) {
				if (k + 1 == nwords)
					o = oo;
				k++;
			}
			continue;
		}
		if (words[k][0] == '-' && words[k][1] != '\0')
			continue;
		if (nops++ == 0 && is_study(c, words[k]))
			study = words[k];
	}
	if (study == NULL)
		study = c->open_study;
	/* --opt=VALUE: readline breaks the word at '=', so text is VALUE. */
	if (o == NULL && nwords > 1 && (oo = option_of(lo, words[nwords - 1],
	    &attached)) != NULL && attached &&
	    words[nwords - 1][strlen(words[nwords - 1]) - 1] == '=')
		o = oo;
	if (o != NULL) {
		for (i = 0; i < sizeof options / sizeof options[0]; i++) {
			if (strcmp(options[i].opt, o->name) != 0 ||
			    (options[i].cmd != NULL &&
			    strcmp(options[i].cmd, e->name) != 0))
				continue;
			if (options[i].list &&
			    (comma = strrchr(text, ',')) != NULL) {
				em.head = text;
				em.headlen = (size_t)(comma - text) + 1;
			}
			offer(c, options[i].kind, options[i].words, study, &em);
			return options[i].kind != V_NONE;
		}
		return 1;	/* a value nobody lists: no operand either */
	}
	if (text[0] == '-')
		return 0;
	for (i = 0; i < sizeof operands / sizeof operands[0]; i++) {
		if (operands[i].cmd == NULL || strcmp(operands[i].cmd,
		    e->name) == 0) {
			offer(c, nops == 0 ? operands[i].first :
			    operands[i].rest, NULL, study, &em);
			return (nops == 0 ? operands[i].first :
			    operands[i].rest) != V_NONE;
		}
	}
	return 0;
}
