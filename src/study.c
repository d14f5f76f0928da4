#include "config.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rung/study.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

static const char *status_names[RUNG_NSTATUS] = {
	"complete", "stopped", "failed", "running"
};

const char *
rung_status_name(enum rung_status s)
{
	return (unsigned)s < RUNG_NSTATUS ? status_names[s] : "unknown";
}

/* The words of rung, Optuna, Ray Tune, Syne Tune and people's logs. */
static const struct {
	const char	*word;
	int		 status;
} status_words[] = {
	{ "complete", RUNG_COMPLETE }, { "completed", RUNG_COMPLETE },
	{ "done", RUNG_COMPLETE }, { "success", RUNG_COMPLETE },
	{ "succeeded", RUNG_COMPLETE }, { "ok", RUNG_COMPLETE },
	{ "finished", RUNG_COMPLETE }, { "terminated", RUNG_COMPLETE },
	{ "stopped", RUNG_STOPPED }, { "pruned", RUNG_STOPPED },
	{ "early_stopped", RUNG_STOPPED }, { "paused", RUNG_STOPPED },
	{ "failed", RUNG_FAILED }, { "fail", RUNG_FAILED },
	{ "error", RUNG_FAILED }, { "errored", RUNG_FAILED },
	{ "crashed", RUNG_FAILED }, { "diverged", RUNG_FAILED },
	{ "running", RUNG_RUNNING }, { "pending", RUNG_RUNNING },
	{ "waiting", RUNG_RUNNING }, { "in_progress", RUNG_RUNNING },
};
#define NSTATUSWORDS (sizeof status_words / sizeof status_words[0])

int
rung_status_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < NSTATUSWORDS; i++) {
		if (strcasecmp(s, status_words[i].word) == 0)
			return status_words[i].status;
	}
	return -1;
}

const char *
rung_status_expected(void)
{
	static char	 buf[512];
	size_t		 i, len;

	if (buf[0] != '\0')
		return buf;
	len = (size_t)snprintf(buf, sizeof buf, "a status (");
	for (i = 0; i < NSTATUSWORDS && len < sizeof buf; i++) {
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    i == 0 ? "" : status_words[i].status !=
		    status_words[i - 1].status ? "; " : ", ",
		    status_words[i].word);
	}
	if (len < sizeof buf)
		snprintf(buf + len, sizeof buf - len, ")");
	return buf;
}

const char *
rung_direction_name(enum rung_direction d)
{
	return d == RUNG_MAX ? "max" : "min";
}

int
rung_direction_parse(const char *s)
{
	if (strcasecmp(s, "min") == 0 || strcasecmp(s, "minimize") == 0)
		return RUNG_MIN;
	if (strcasecmp(s, "max") == 0 || strcasecmp(s, "maximize") == 0)
		return RUNG_MAX;
	return 0;
}

/*
 * The words of a metric's name that tell its direction. A name is split into
 * word parts (val_acc, valid.loss, trainLoss, top1-error), compared whole and
 * case-insensitively: a substring match would read "accumulated" as accuracy
 * and "mapped" as mAP.
 */
static const struct {
	const char		*word;
	enum rung_direction	 dir;
} direction_words[] = {
	{ "acc", RUNG_MAX }, { "accuracy", RUNG_MAX }, { "auc", RUNG_MAX },
	{ "f1", RUNG_MAX }, { "precision", RUNG_MAX }, { "recall", RUNG_MAX },
	{ "map", RUNG_MAX }, { "iou", RUNG_MAX }, { "dice", RUNG_MAX },
	{ "r2", RUNG_MAX }, { "bleu", RUNG_MAX }, { "rouge", RUNG_MAX },
	{ "reward", RUNG_MAX }, { "return", RUNG_MAX }, { "score", RUNG_MAX },
	{ "loss", RUNG_MIN }, { "error", RUNG_MIN }, { "err", RUNG_MIN },
	{ "perplexity", RUNG_MIN }, { "ppl", RUNG_MIN }, { "mse", RUNG_MIN },
	{ "rmse", RUNG_MIN }, { "mae", RUNG_MIN }, { "nll", RUNG_MIN },
	{ "wer", RUNG_MIN }, { "cer", RUNG_MIN }, { "regret", RUNG_MIN },
};
#define NDIRECTION_WORDS (sizeof direction_words / sizeof direction_words[0])

const char *
rung_direction_words(enum rung_direction d)
{
	static char	 buf[2][256];
	char		*b = buf[d == RUNG_MAX];
	size_t		 i, len = 0;

	if (*b != '\0')
		return b;
	for (i = 0; i < NDIRECTION_WORDS; i++) {
		if (direction_words[i].dir != d)
			continue;
		len += (size_t)snprintf(b + len, sizeof buf[0] - len, "%s%s",
		    len ? ", " : "", direction_words[i].word);
	}
	return b;
}

int
rung_direction_infer(const char *metric, enum rung_direction *out,
    const char **word)
{
	const char	*p = metric, *start;
	size_t		 len, i;
	int		 found = 0;

	/*
	 * Names put the quantity last (train_loss, val_acc, bleu_score,
	 * top1_error), so the last word that tells decides.
	 */
	while (*p != '\0') {
		while (*p != '\0' && !isalnum((unsigned char)*p))
			p++;
		start = p;
		while (isalnum((unsigned char)*p)) {
			p++;
			/* camelCase: a capital after a small letter starts a word. */
			if (isupper((unsigned char)*p) &&
			    islower((unsigned char)p[-1]))
				break;
		}
		len = (size_t)(p - start);
		if (len == 0)
			continue;
		for (i = 0; i < NDIRECTION_WORDS; i++) {
			if (strlen(direction_words[i].word) == len &&
			    strncasecmp(direction_words[i].word, start,
			    len) == 0) {
				*out = direction_words[i].dir;
				if (word != NULL)
					*word = direction_words[i].word;
				found = 1;
			}
		}
	}
	return found;
}

enum rung_direction
rung_direction_guess(const char *metric)
{
	enum rung_direction d;

	return rung_direction_infer(metric, &d, NULL) ? d : RUNG_MIN;
}

const char *
rung_ptype_name(enum rung_ptype t)
{
	switch (t) {
	case RUNG_PREAL:
		return "real";
	case RUNG_PINT:
		return "int";
	case RUNG_PCAT:
		return "categorical";
	}
	return "unknown";
}

void
rung_study_free(struct rung_study *s)
{
	uint32_t	 i, l;

	if (s == NULL)
		return;
	free(s->name);
	free(s->source);
	for (i = 0; i < s->ntrials; i++)
		free(s->ids[i]);
	free(s->ids);
	free(s->trial_rowid);
	free(s->status);
	free(s->curve.name);
	free(s->curve.off);
	free(s->curve.steps);
	free(s->curve.vals);
	free(s->curve.final);
	free(s->curve.best);
	free(s->curve.last);
	free(s->secs);
	for (i = 0; i < s->nparams; i++) {
		free(s->params[i].name);
		free(s->params[i].num);
		free(s->params[i].cat);
		for (l = 0; l < s->params[i].nlevels; l++)
			free(s->params[i].levels[l]);
		free(s->params[i].levels);
	}
	free(s->params);
	free(s);
}

int32_t
rung_trial_last_step(const struct rung_study *s, uint32_t t)
{
	uint32_t	 end = s->curve.off[t + 1];

	if (end == s->curve.off[t])
		return 0;
	return s->curve.last != NULL ? s->curve.last[t] :
	    s->curve.steps[end - 1];
}

double
rung_trial_final(const struct rung_study *s, uint32_t t)
{
	return s->curve.final[t];
}

int
rung_better(enum rung_direction d, double a, double b)
{
	if (isnan(a))
		return 0;
	if (isnan(b))
		return 1;
	return d == RUNG_MAX ? a > b : a < b;
}

double
rung_trial_best(const struct rung_study *s, uint32_t t)
{
	return s->curve.best[t];
}

int64_t
rung_study_find_trial(const struct rung_study *s, const char *id)
{
	uint32_t	 t;

	for (t = 0; t < s->ntrials; t++) {
		if (strcmp(s->ids[t], id) == 0)
			return t;
	}
	return -1;
}

int
rung_study_find_param(const struct rung_study *s, const char *name)
{
	uint32_t	 p;

	for (p = 0; p < s->nparams; p++) {
		if (strcmp(s->params[p].name, name) == 0)
			return (int)p;
	}
	return -1;
}

/* Levels to order by value; NaN after every number, ties by text. */
struct lvkey {
	double		 v;
	uint32_t	 l;
	const char	*text;
};

static int
cmp_lvkey(const void *va, const void *vb)
{
	const struct lvkey *a = va, *b = vb;

	if (isnan(a->v) || isnan(b->v)) {
		if (isnan(a->v) != isnan(b->v))
			return isnan(a->v) ? 1 : -1;
	} else if (a->v != b->v)
		return a->v < b->v ? -1 : 1;
	/* "1.0" and "1" are two levels of one value. */
	return strcmp(a->text, b->text);
}

void
rung_param_order_levels(struct rung_param *p, uint32_t ntrials)
{
	struct lvkey	*k;
	uint32_t	*to, l, t;
	char		**levels;

	p->numeric = 0;
	if (p->type != RUNG_PCAT || p->nlevels == 0)
		return;
	k = xreallocarray(NULL, p->nlevels, sizeof *k);
	for (l = 0; l < p->nlevels; l++) {
		k[l].l = l;
		k[l].text = p->levels[l];
		if (rung_parse_double(p->levels[l], strlen(p->levels[l]),
		    &k[l].v) != 0) {
			free(k);
			return;
		}
	}
	p->numeric = 1;
	qsort(k, p->nlevels, sizeof *k, cmp_lvkey);
	to = xreallocarray(NULL, p->nlevels, sizeof *to);
	levels = xreallocarray(NULL, p->nlevels, sizeof *levels);
	for (l = 0; l < p->nlevels; l++) {
		to[k[l].l] = l;
		levels[l] = p->levels[k[l].l];
	}
	free(p->levels);
	p->levels = levels;
	for (t = 0; t < ntrials; t++) {
		if (p->cat[t] != UINT32_MAX)
			p->cat[t] = to[p->cat[t]];
	}
	free(to);
	free(k);
}

int
rung_level_cmp(const struct rung_param *p, uint32_t a, uint32_t b)
{
	if (p->numeric)
		return a < b ? -1 : (a > b);
	return strcmp(p->levels[a], p->levels[b]);
}
