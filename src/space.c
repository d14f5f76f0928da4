/*
 * Search spaces: the parser of space files and the draw of configurations
 * (include/rung/space.h).
 */
#include "config.h"

#include <ctype.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/jsonout.h"
#include "rung/predict.h"
#include "rung/space.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

static const char *kind_names[] = { "uniform", "loguniform", "int", "logint",
    "choice" };
#define NKINDS ((int)(sizeof kind_names / sizeof kind_names[0]))

const char *
rung_space_kind_name(enum rung_space_kind k)
{
	return (int)k >= 0 && (int)k < NKINDS ? kind_names[k] : "?";
}

void
rung_space_free(struct rung_space *sp)
{
	uint32_t	 i, j;

	if (sp == NULL)
		return;
	for (i = 0; i < sp->nparams; i++) {
		free(sp->params[i].name);
		for (j = 0; j < sp->params[i].nchoices; j++)
			free(sp->params[i].choices[j]);
		free(sp->params[i].choices);
	}
	free(sp->params);
	free(sp->path);
	free(sp);
}

int
rung_space_find(const struct rung_space *sp, const char *name)
{
	uint32_t	 i;

	for (i = 0; i < sp->nparams; i++) {
		if (strcmp(sp->params[i].name, name) == 0)
			return (int)i;
	}
	return -1;
}

/* A name: a letter or _, then letters, digits, _, - and dots. */
static int
valid_name(const char *s)
{
	if (!isalpha((unsigned char)*s) && *s != '_')
		return 0;
	for (s++; *s != '\0'; s++) {
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-' &&
		    *s != '.')
			return 0;
	}
	return 1;
}

/* The words of a line, up to a # comment. */
static size_t
split_words(char *line, char ***words, size_t *cap)
{
	size_t	 n = 0;
	char	*p = line, *w;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\0' || *p == '#')
			break;
		w = p;
		while (*p != '\0' && *p != ' ' && *p != '\t' && *p != '\r' &&
		    *p != '#')
			p++;
		XGROW(*words, *cap, n + 1);
		(*words)[n++] = w;
		if (*p == '#') {
			*p = '\0';
			break;
		}
		if (*p != '\0')
			*p++ = '\0';
	}
	return n;
}

/*
 * A set of words, to find a name defined twice or a choice listed twice
 * without comparing each with every other: a choice of 100,000 words took
 * 8 seconds to parse, and a million would take a quarter of an hour.
 * Open addressing; each word is kept with where it was seen (from 1).
 */
struct wordset {
	struct wordset_slot {
		const char	*word;
		uint32_t	 at;
	}		*slot;
	size_t		 size;		/* a power of 2, or 0 */
	size_t		 n;
};

static size_t
word_hash(const char *s)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return (size_t)h;
}

static void
wordset_put(struct wordset_slot *slot, size_t size, const char *word,
    uint32_t at)
{
	size_t	 h = word_hash(word) & (size - 1);

	while (slot[h].word != NULL)
		h = (h + 1) & (size - 1);
	slot[h].word = word;
	slot[h].at = at;
}

/*
 * Where word was seen before, or 0 when it was not: it is then added,
 * seen at at. The words are not copied: they outlive the set.
 */
static uint32_t
wordset_add(struct wordset *ws, const char *word, uint32_t at)
{
	struct wordset_slot *old = ws->slot;
	size_t		 oldsize = ws->size, h, i;

	if ((ws->n + 1) * 2 > ws->size) {
		ws->size = ws->size ? ws->size * 2 : 64;
		ws->slot = xcalloc(ws->size, sizeof *ws->slot);
		for (i = 0; i < oldsize; i++) {
			if (old[i].word != NULL)
				wordset_put(ws->slot, ws->size, old[i].word,
				    old[i].at);
		}
		free(old);
	}
	for (h = word_hash(word) & (ws->size - 1); ws->slot[h].word != NULL;
	    h = (h + 1) & (ws->size - 1)) {
		if (strcmp(ws->slot[h].word, word) == 0)
			return ws->slot[h].at;
	}
	wordset_put(ws->slot, ws->size, word, at);
	ws->n++;
	return 0;
}

static void
wordset_clear(struct wordset *ws)
{
	free(ws->slot);
	memset(ws, 0, sizeof *ws);
}

static int
line_error(char **cause, const char *path, uint32_t line, size_t field,
    const char *word, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
line_error(char **cause, const char *path, uint32_t line, size_t field,
    const char *word, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	if (word != NULL)
		xasprintf(cause, "%s:%u: field %zu ('%s'): %s", path, line,
		    field, word, msg);
	else
		xasprintf(cause, "%s:%u: field %zu: %s", path, line, field,
		    msg);
	free(msg);
	return -1;
}

/*
 * The parameter of a line's words w[0..n). names holds the names of the
 * lines before, with their line; the line's own is added.
 */
static int
parse_param(const char *path, uint32_t line, char **w, size_t n,
    struct wordset *names, struct rung_space_param *p, char **cause)
{
	struct wordset	 words = { 0 };
	const char	*what;
	double		 d[2];
	int64_t		 i[2];
	size_t		 k;
	uint32_t	 first;
	int		 kind = -1;

	memset(p, 0, sizeof *p);
	p->line = line;
	if (!valid_name(w[0]))
		return line_error(cause, path, line, 1, w[0], "a parameter "
		    "name starts with a letter or _ and holds letters, digits, "
		    "_, - and .");
	if (strcmp(w[0], "trial") == 0)
		return line_error(cause, path, line, 1, w[0], "'trial' is "
		    "reserved: {trial} in the command is the trial's id");
	if ((first = wordset_add(names, w[0], line)) != 0)
		return line_error(cause, path, line, 1, w[0], "parameter "
		    "defined twice (first on line %u)", first);
	if (n < 2)
		return line_error(cause, path, line, 2, NULL, "missing type "
		    "(uniform, loguniform, int, logint or choice)");
	for (k = 0; k < (size_t)NKINDS; k++) {
		if (strcmp(w[1], kind_names[k]) == 0)
			kind = (int)k;
	}
	if (kind < 0)
		return line_error(cause, path, line, 2, w[1], "unknown type "
		    "(expected uniform, loguniform, int, logint or choice)");
	p->kind = (enum rung_space_kind)kind;
	if (p->kind == RUNG_SPACE_CHOICE) {
		if (n < 3)
			return line_error(cause, path, line, 3, NULL, "choice "
			    "needs at least one value");
		p->choices = xcalloc(n - 2, sizeof *p->choices);
		for (k = 2; k < n; k++) {
			if ((first = wordset_add(&words, w[k],
			    (uint32_t)k + 1)) != 0) {
				wordset_clear(&words);
				return line_error(cause, path, line, k + 1,
				    w[k], "value listed twice (also field %u)",
				    first);
			}
			p->choices[p->nchoices++] = xstrdup(w[k]);
		}
		wordset_clear(&words);
		p->name = xstrdup(w[0]);
		return 0;
	}
	if (n < 4)
		return line_error(cause, path, line, n + 1, NULL, "%s needs "
		    "LOW and HIGH", w[1]);
	if (n > 4)
		return line_error(cause, path, line, 5, w[4], "%s takes LOW "
		    "and HIGH only", w[1]);
	for (k = 0; k < 2; k++) {
		what = k == 0 ? "LOW" : "HIGH";
		if (p->kind == RUNG_SPACE_INT || p->kind == RUNG_SPACE_LOGINT) {
			if (rung_parse_int64(w[k + 2], strlen(w[k + 2]),
			    &i[k]) != 0 || i[k] <= -(INT64_C(1) << 53) ||
			    i[k] >= INT64_C(1) << 53)
				return line_error(cause, path, line, k + 3,
				    w[k + 2], "%s is not an integer", what);
		} else {
			if (rung_parse_double(w[k + 2], strlen(w[k + 2]),
			    &d[k]) != 0 || !isfinite(d[k]))
				return line_error(cause, path, line, k + 3,
				    w[k + 2], "%s is not a finite number",
				    what);
		}
	}
	switch (p->kind) {
	case RUNG_SPACE_UNIFORM:
	case RUNG_SPACE_LOGUNIFORM:
		if (p->kind == RUNG_SPACE_LOGUNIFORM && !(d[0] > 0))
			return line_error(cause, path, line, 3, w[2],
			    "loguniform needs LOW > 0");
		if (!(d[1] > d[0]))
			return line_error(cause, path, line, 4, w[3], "HIGH "
			    "must be greater than LOW (%s)", w[2]);
		p->low = d[0];
		p->high = d[1];
		break;
	default:
		if (p->kind == RUNG_SPACE_LOGINT && i[0] < 1)
			return line_error(cause, path, line, 3, w[2],
			    "logint needs LOW >= 1");
		if (i[1] < i[0])
			return line_error(cause, path, line, 4, w[3], "HIGH "
			    "must be at least LOW (%s)", w[2]);
		p->ilow = i[0];
		p->ihigh = i[1];
		break;
	}
	p->name = xstrdup(w[0]);
	return 0;
}

int
rung_space_parse(const char *path, const char *text, size_t len,
    struct rung_space **out, char **cause)
{
	struct rung_space *sp;
	struct wordset	 names = { 0 };
	char		*copy, *line, *next, **w = NULL;
	size_t		 wcap = 0, n, pcap = 0, bad;
	uint32_t	 lineno = 0;

	sp = xcalloc(1, sizeof *sp);
	sp->path = xstrdup(path);
	if (memchr(text, '\0', len) != NULL) {
		xasprintf(cause, "%s: not a text file (it holds a NUL byte)",
		    path);
		rung_space_free(sp);
		return -1;
	}
	copy = xstrndup(text, len);
	for (line = copy; line != NULL; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		/*
		 * A choice reaches the study, RUNG_PARAMS and the exports,
		 * which must read back: text that is not UTF-8 is refused
		 * as the importers refuse it, comments included.
		 */
		if (!rung_utf8_valid(line, strlen(line), &bad)) {
			xasprintf(cause, "%s:%u: text that is not UTF-8 "
			    "(byte %zu of the line)", path, lineno, bad + 1);
			goto fail;
		}
		if ((n = split_words(line, &w, &wcap)) == 0)
			continue;
		XGROW(sp->params, pcap, sp->nparams + 1);
		if (parse_param(path, lineno, w, n, &names,
		    &sp->params[sp->nparams], cause) != 0) {
			/* Free what the failed line allocated. */
			sp->nparams++;
			goto fail;
		}
		sp->nparams++;
		if (next == NULL)
			break;
	}
	if (sp->nparams == 0) {
		xasprintf(cause, "%s: no parameter (one a line: name uniform|"
		    "loguniform|int|logint LOW HIGH, or name choice A B...)",
		    path);
		goto fail;
	}
	wordset_clear(&names);
	free(w);
	free(copy);
	*out = sp;
	return 0;
fail:
	wordset_clear(&names);
	free(w);
	free(copy);
	rung_space_free(sp);
	return -1;
}

int
rung_space_load(const char *path, struct rung_space **out, char **cause)
{
	char	*text;
	size_t	 len;
	int	 rc;

	if (rung_read_file(path, &text, &len, cause) != 0)
		return -1;
	rc = rung_space_parse(path, text, len, out, cause);
	free(text);
	return rc;
}

/* Configurations. */

void
rung_config_release(struct rung_config *c)
{
	uint32_t	 i;

	for (i = 0; i < c->n; i++) {
		free(c->names[i]);
		free(c->v[i].s);
	}
	free(c->names);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static void
config_alloc(struct rung_config *c, uint32_t n)
{
	c->n = n;
	c->names = xcalloc(n ? n : 1, sizeof *c->names);
	c->v = xcalloc(n ? n : 1, sizeof *c->v);
}

void
rung_config_copy(struct rung_config *dst, const struct rung_config *src)
{
	uint32_t	 i;

	config_alloc(dst, src->n);
	for (i = 0; i < src->n; i++) {
		dst->names[i] = xstrdup(src->names[i]);
		dst->v[i] = src->v[i];
		if (src->v[i].s != NULL)
			dst->v[i].s = xstrdup(src->v[i].s);
	}
}

/* An integer uniform in [lo, hi]. */
static int64_t
uniform_int(struct rung_rng *r, int64_t lo, int64_t hi)
{
	double	 span = (double)(hi - lo) + 1;
	int64_t	 v = lo + (int64_t)floor(rung_rng_uniform(r) * span);

	return v > hi ? hi : v;
}

void
rung_space_sample(const struct rung_space *sp, uint64_t seed, uint64_t index,
    struct rung_config *c)
{
	const struct rung_space_param *p;
	struct rung_pvalue *v;
	struct rung_rng	 r;
	double		 u, lo, hi, x;
	uint32_t	 i;

	/* Each configuration its own stream, from the seed and the index. */
	rung_rng_seed(&r, seed * RUNG_RNG_GOLDEN ^
	    (index + 1) * 0xd1b54a32d192ed03ULL);
	rung_rng_next(&r);
	config_alloc(c, sp->nparams);
	for (i = 0; i < sp->nparams; i++) {
		p = &sp->params[i];
		v = &c->v[i];
		c->names[i] = xstrdup(p->name);
		u = rung_rng_uniform(&r);
		switch (p->kind) {
		case RUNG_SPACE_UNIFORM:
			v->type = RUNG_PREAL;
			/*
			 * HIGH - LOW overflows when the bounds are far apart
			 * (-1e308 1e308): every draw was then infinite and
			 * put back to LOW, or NaN. The weighted mean stays
			 * finite; bounds that subtract keep the draws they
			 * always had.
			 */
			if (isfinite(p->high - p->low))
				v->d = p->low + u * (p->high - p->low);
			else
				v->d = (1 - u) * p->low + u * p->high;
			if (v->d >= p->high)
				v->d = p->low;
			break;
		case RUNG_SPACE_LOGUNIFORM:
			v->type = RUNG_PREAL;
			v->log = 1;
			lo = log(p->low);
			hi = log(p->high);
			v->d = exp(lo + u * (hi - lo));
			if (v->d < p->low)
				v->d = p->low;
			if (v->d >= p->high)
				v->d = p->low;
			break;
		case RUNG_SPACE_INT:
			v->type = RUNG_PINT;
			v->i = p->ilow + (int64_t)floor(u * ((double)(p->ihigh -
			    p->ilow) + 1));
			if (v->i > p->ihigh)
				v->i = p->ihigh;
			break;
		case RUNG_SPACE_LOGINT:
			/* Uniform in log over [LOW - 0.5, HIGH + 0.5]. */
			v->type = RUNG_PINT;
			v->log = 1;
			lo = log((double)p->ilow - 0.5);
			hi = log((double)p->ihigh + 0.5);
			x = rint(exp(lo + u * (hi - lo)));
			v->i = (int64_t)x;
			if (v->i < p->ilow)
				v->i = p->ilow;
			if (v->i > p->ihigh)
				v->i = p->ihigh;
			break;
		case RUNG_SPACE_CHOICE:
			v->type = RUNG_PCAT;
			v->s = xstrdup(p->choices[uniform_int(&r, 0,
			    (int64_t)p->nchoices - 1)]);
			break;
		}
	}
}

char *
rung_pvalue_text(const struct rung_pvalue *v)
{
	char	 buf[RUNG_DBL_BUFSZ];

	switch (v->type) {
	case RUNG_PREAL:
		return xstrdup(rung_fmt_double(v->d, 0, buf));
	case RUNG_PINT:
		return xprintf("%" PRId64, v->i);
	case RUNG_PCAT:
		break;
	}
	return xstrdup(v->s != NULL ? v->s : "");
}

json_object *
rung_pvalue_json(const struct rung_pvalue *v)
{
	char	 buf[RUNG_DBL_BUFSZ];
	double	 d;
	int64_t	 i;
	size_t	 len;

	switch (v->type) {
	case RUNG_PREAL:
		/* A real stays real in Python: 3.0, not 3. */
		if (!isfinite(v->d))
			return NULL;
		return json_object_new_double_s(v->d,
		    rung_fmt_double(v->d, 1, buf));
	case RUNG_PINT:
		return json_object_new_int64(v->i);
	case RUNG_PCAT:
		break;
	}
	if (v->s == NULL)
		return NULL;
	len = strlen(v->s);
	if (rung_is_int_text(v->s, len) && rung_parse_int64(v->s, len,
	    &i) == 0)
		return json_object_new_int64(i);
	if (len > 0 && (isdigit((unsigned char)v->s[len - 1]) ||
	    v->s[len - 1] == '.') && rung_parse_double(v->s, len, &d) == 0 &&
	    isfinite(d))
		return rung_json_double(d, 0);
	return json_object_new_string(v->s);
}

char *
rung_config_json(const struct rung_config *c)
{
	json_object	*o = json_object_new_object();
	char		*s;
	uint32_t	 i;

	for (i = 0; i < c->n; i++)
		json_object_object_add(o, c->names[i],
		    rung_pvalue_json(&c->v[i]));
	s = xstrdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
	    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return s;
}

int
rung_config_from_json(const char *text, struct rung_config *c, char **cause)
{
	json_object	*o;
	struct rung_pvalue *v;
	uint32_t	 n = 0;

	memset(c, 0, sizeof *c);
	if ((o = json_tokener_parse(text)) == NULL ||
	    !json_object_is_type(o, json_type_object)) {
		xasprintf(cause, "parameters are not a JSON object: %s", text);
		if (o != NULL)
			json_object_put(o);
		return -1;
	}
	config_alloc(c, (uint32_t)json_object_object_length(o));
	json_object_object_foreach(o, key, val) {
		v = &c->v[n];
		c->names[n++] = xstrdup(key);
		switch (json_object_get_type(val)) {
		case json_type_int:
			v->type = RUNG_PINT;
			v->i = json_object_get_int64(val);
			break;
		case json_type_double:
			v->type = RUNG_PREAL;
			v->d = json_object_get_double(val);
			break;
		case json_type_null:
			v->type = RUNG_PCAT;
			break;
		default:
			v->type = RUNG_PCAT;
			v->s = xstrdup(json_object_get_string(val));
			break;
		}
	}
	json_object_put(o);
	return 0;
}
