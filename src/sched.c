/*
 * The scheduler interface: parameters, the table of policies and the calls
 * through it, and the state as JSON.
 *
 * Adding a policy is one new file and one line here:
 *  1. src/sched-<name>.c defines const struct rung_sched_policy
 *     rung_policy_<name> (src/sched-int.h says what each op does): its
 *     name as typed after --policy, its RUNG_PF_* flags, the size of its
 *     private state (s->priv, zeroed; a struct of its own, never a field
 *     of struct rung_sched), and its ops. It keeps trials and rungs with
 *     src/sched-common.c and, if a predictor drives it, learns through
 *     src/sched-pred.c. It may wrap another policy by starting its state
 *     with that policy's and calling its ops (asha-svr wraps ASHA).
 *  2. Declare it in src/sched-int.h, add it at the end of policies[]
 *     below and the file to librung_a_SOURCES in Makefile.am.
 * Its number is its place in the table; an enumerator in enum rung_policy
 * is needed only where code outside names it. Replay, launch, plot and the
 * command line learn of it from the table (rung_policy_name, _parse,
 * _flags, rung_replay_needed, rung_sched_milestones). The saved state of
 * a policy with RUNG_PF_PRED is its calls; the others save their trials,
 * rungs and words (struct rung_sched_words).
 */
#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rung/sched.h"
#include "sched-int.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

/* In the order of enum rung_policy. */
static const struct rung_sched_policy *policies[] = {
	&rung_policy_random,
	&rung_policy_sha,
	&rung_policy_hyperband,
	&rung_policy_asha,
	&rung_policy_swift,
	&rung_policy_baker,
	&rung_policy_asha_svr,
	&rung_policy_lce,
	&rung_policy_asha_lce,
	&rung_policy_hyperband_lce,
};
static const char *rule_names[] = { "ray", "syne", "optuna", "determined" };
static const char *variant_names[] = { "stop", "promote" };
static const char *decision_names[] = { "continue", "pause", "stop" };

#define NITEMS(a) (sizeof (a) / sizeof *(a))

/* The policy p, or NULL. */
static const struct rung_sched_policy *
policy(enum rung_policy p)
{
	return (size_t)p < NITEMS(policies) ? policies[p] : NULL;
}

static int
parse_name(const char **names, size_t n, const char *s)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (rung_strieq(s, names[i]))
			return (int)i;
	}
	return -1;
}

const char *
rung_policy_name(enum rung_policy p)
{
	return policy(p) != NULL ? policy(p)->name : "?";
}

int
rung_policy_parse(const char *s)
{
	size_t	 i;

	for (i = 0; i < NITEMS(policies); i++) {
		if (rung_strieq(s, policies[i]->name))
			return (int)i;
	}
	return -1;
}

int
rung_policy_count(void)
{
	return (int)NITEMS(policies);
}

char *
rung_policy_names(void)
{
	struct rung_buf	 b = { 0 };
	size_t		 i;

	for (i = 0; i < NITEMS(policies); i++) {
		if (i > 0)
			rung_buf_addstr(&b, i == NITEMS(policies) - 1 ?
			    " or " : ", ");
		rung_buf_addstr(&b, policies[i]->name);
	}
	return rung_buf_cstr(&b);
}

int
rung_policy_flags(enum rung_policy p)
{
	return policy(p) != NULL ? policy(p)->flags : 0;
}

int
rung_policy_takes_configs(enum rung_policy p)
{
	return (rung_policy_flags(p) & RUNG_PF_CONFIGS) != 0;
}

const char *
rung_asha_rule_name(enum rung_asha_rule r)
{
	return (size_t)r < NITEMS(rule_names) ? rule_names[r] : "?";
}

int
rung_asha_rule_parse(const char *s)
{
	return parse_name(rule_names, NITEMS(rule_names), s);
}

const char *
rung_asha_variant_name(enum rung_asha_variant v)
{
	return (size_t)v < NITEMS(variant_names) ? variant_names[v] : "?";
}

int
rung_asha_variant_parse(const char *s)
{
	return parse_name(variant_names, NITEMS(variant_names), s);
}

const char *
rung_decision_name(enum rung_decision d)
{
	return (size_t)d < NITEMS(decision_names) ? decision_names[d] : "?";
}

void
rung_sched_params_init(struct rung_sched_params *p, enum rung_policy policy)
{
	memset(p, 0, sizeof *p);
	p->policy = policy;
	p->eta = 3;
	p->min_r = 1;
	p->max_r = 81;
	p->variant = RUNG_ASHA_STOP;
	p->rule = RUNG_RULE_RAY;
	p->stop_last_trials = 1;
	p->brackets = 1;
	p->min_curves = 15;
	p->keep_full = 0.5;
	p->known_curve = 0.5;
	p->delta = 0.99;
	rung_svr_params_init(&p->svr);
}

static int
check_params(const struct rung_sched_params *p, char **cause)
{
	if (policy(p->policy) == NULL) {
		xasprintf(cause, "unknown policy %d", (int)p->policy);
		return -1;
	}
	if ((size_t)p->variant >= NITEMS(variant_names) ||
	    (size_t)p->rule >= NITEMS(rule_names)) {
		xasprintf(cause, "unknown asha variant or rule");
		return -1;
	}
	/* The negations also catch NaN. */
	if (!(p->eta > 1) || !isfinite(p->eta)) {
		xasprintf(cause, "eta must be greater than 1");
		return -1;
	}
	if (!(p->min_r > 0) || !(p->max_r >= p->min_r) ||
	    !(p->max_r <= INT32_MAX)) {
		xasprintf(cause, "need 0 < min_r <= max_r <= %d", INT32_MAX);
		return -1;
	}
	if (p->brackets < 1 || p->brackets > 64) {
		xasprintf(cause, "brackets must be 1 to 64");
		return -1;
	}
	return 0;
}

int
rung_sched_new(const struct rung_sched_params *p, struct rung_sched **out,
    char **cause)
{
	struct rung_sched	*s;

	*out = NULL;
	if (check_params(p, cause) != 0)
		return -1;
	s = xcalloc(1, sizeof *s);
	s->p = *p;
	s->pol = policy(p->policy);
	if (s->pol->size != 0)
		s->priv = xcalloc(1, s->pol->size);
	if (s->pol->setup != NULL && s->pol->setup(s, cause) != 0) {
		rung_sched_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

void
rung_sched_free(struct rung_sched *s)
{
	if (s == NULL)
		return;
	if (s->pol->release != NULL)
		s->pol->release(s);
	free(s->priv);
	rung_sched_release_common(s);
	free(s);
}

/* Would setup make the same of a and b, but for what the seed seeds? */
static int
same_setup(const struct rung_sched_params *a,
    const struct rung_sched_params *b)
{
	return a->policy == b->policy && a->eta == b->eta &&
	    a->min_r == b->min_r && a->max_r == b->max_r &&
	    a->variant == b->variant && a->rule == b->rule &&
	    a->stop_last_trials == b->stop_last_trials &&
	    a->brackets == b->brackets && a->max_configs == b->max_configs;
}

int
rung_sched_reset(struct rung_sched *s, const struct rung_sched_params *p)
{
	if (s->pol->reset == NULL || !same_setup(&s->p, p))
		return -1;
	rung_sched_reset_common(s);
	s->p = *p;
	s->pol->reset(s);
	return 0;
}

int
rung_sched_can_reset(const struct rung_sched *s)
{
	return s->pol->reset != NULL;
}

const struct rung_sched_params *
rung_sched_params(const struct rung_sched *s)
{
	return &s->p;
}

enum rung_action_kind
rung_sched_next(struct rung_sched *s, struct rung_sched_action *a)
{
	memset(a, 0, sizeof *a);
	if (s->pol->flags & RUNG_PF_PRED)
		rung_sched_log(s, 0, 0, 0, 0);
	return a->kind = s->pol->next(s, a);
}

enum rung_decision
rung_sched_report(struct rung_sched *s, uint32_t trial, int32_t step,
    double value)
{
	if (trial >= s->nt)
		return RUNG_STOP;
	if (s->t[trial].state == RUNG_TRIAL_PAUSED)
		return RUNG_PAUSE;
	if (s->t[trial].state != RUNG_TRIAL_RUNNING)
		return RUNG_STOP;
	if (s->pol->flags & RUNG_PF_PRED) {
		rung_sched_log(s, 1, trial, step, value);
		rung_sched_observe(s, trial, step, value);
	}
	return s->pol->report(s, trial, step, value);
}

void
rung_sched_lost(struct rung_sched *s, uint32_t trial)
{
	if (trial >= s->nt || s->t[trial].state != RUNG_TRIAL_RUNNING)
		return;
	if (s->pol->flags & RUNG_PF_PRED)
		rung_sched_log(s, 2, trial, 0, 0);
	if (s->pol->lost != NULL)
		s->pol->lost(s, trial);
	s->t[trial].state = RUNG_TRIAL_STOPPED;
}

int32_t
rung_sched_quiet(const struct rung_sched *s, uint32_t trial)
{
	if (trial >= s->nt || s->t[trial].state != RUNG_TRIAL_RUNNING ||
	    (s->pol->flags & RUNG_PF_PRED) || s->pol->quiet == NULL)
		return 0;
	return s->pol->quiet(s, trial);
}

uint32_t
rung_sched_ntrials(const struct rung_sched *s)
{
	return s->nt;
}

enum rung_trial_state
rung_sched_trial_state(const struct rung_sched *s, uint32_t trial)
{
	if (trial >= s->nt)
		return RUNG_TRIAL_STOPPED;
	return s->t[trial].state;
}

int
rung_sched_needed(const struct rung_sched_params *p, uint64_t *need,
    char **cause)
{
	const struct rung_sched_policy *pol = policy(p->policy);

	if (pol == NULL) {
		xasprintf(cause, "unknown policy %d", (int)p->policy);
		return -1;
	}
	if (pol->needed != NULL)
		return pol->needed(p, need, cause);
	*need = p->max_configs != 0 ? p->max_configs : 1;
	return 0;
}

double *
rung_sched_milestones(const struct rung_sched_params *p, uint32_t *n)
{
	const struct rung_sched_policy *pol = policy(p->policy);
	double		*v = NULL, r;
	size_t		 cap = 0;
	uint32_t	 i, j;

	*n = 0;
	if (pol != NULL && pol->milestones != NULL)
		pol->milestones(p, &v, &cap, n);
	XGROW(v, cap, *n + 1);
	v[(*n)++] = p->max_r;
	/* Sorted, without repeats. */
	for (i = 1; i < *n; i++) {
		r = v[i];
		for (j = i; j > 0 && v[j - 1] > r; j--)
			v[j] = v[j - 1];
		v[j] = r;
	}
	for (i = j = 0; i < *n; i++) {
		if (j == 0 || v[i] != v[j - 1])
			v[j++] = v[i];
	}
	*n = j;
	return v;
}

/*
 * State as JSON. A double is a JSON number written with the fewest digits
 * that read back exactly, or the string "NaN", "Infinity" or "-Infinity";
 * 64-bit words (seed, generator, masks) are hex strings since JSON readers
 * stop at 2^63 or 2^53.
 */
static json_object *
jdouble(double v)
{
	char	 buf[RUNG_DBL_BUFSZ];

	rung_fmt_double(v, 0, buf);
	if (!isfinite(v))
		return json_object_new_string(buf);
	return json_object_new_double_s(v, buf);
}

static json_object *
jhex(uint64_t v)
{
	char	 buf[32];

	snprintf(buf, sizeof buf, "%016" PRIx64, v);
	return json_object_new_string(buf);
}

void
rung_sched_save(const struct rung_sched *s, char **text)
{
	json_object		*o, *p, *a, *row, *br, *rg, *e;
	struct rung_sched_words	 w;
	uint32_t		 i, k, j;

	o = json_object_new_object();
	json_object_object_add(o, "format", json_object_new_string("rung-sched"));
	json_object_object_add(o, "version", json_object_new_int(1));

	p = json_object_new_object();
	json_object_object_add(p, "policy",
	    json_object_new_string(rung_policy_name(s->p.policy)));
	json_object_object_add(p, "eta", jdouble(s->p.eta));
	json_object_object_add(p, "min_r", jdouble(s->p.min_r));
	json_object_object_add(p, "max_r", jdouble(s->p.max_r));
	json_object_object_add(p, "variant",
	    json_object_new_string(rung_asha_variant_name(s->p.variant)));
	json_object_object_add(p, "rule",
	    json_object_new_string(rung_asha_rule_name(s->p.rule)));
	json_object_object_add(p, "stop_last_trials",
	    json_object_new_boolean(s->p.stop_last_trials != 0));
	json_object_object_add(p, "brackets",
	    json_object_new_int64(s->p.brackets));
	json_object_object_add(p, "max_configs",
	    json_object_new_int64(s->p.max_configs));
	json_object_object_add(p, "seed", jhex(s->p.seed));
	json_object_object_add(p, "min_curves",
	    json_object_new_int64(s->p.min_curves));
	json_object_object_add(p, "keep_full", jdouble(s->p.keep_full));
	json_object_object_add(p, "known_curve", jdouble(s->p.known_curve));
	json_object_object_add(p, "delta", jdouble(s->p.delta));
	json_object_object_add(p, "svr_train",
	    json_object_new_string(rung_svr_train_name(s->p.svr_train)));
	json_object_object_add(p, "svr_type",
	    json_object_new_string(rung_svr_type_name(s->p.svr.type)));
	json_object_object_add(p, "svr_C", jdouble(s->p.svr.C));
	json_object_object_add(p, "svr_nu", jdouble(s->p.svr.nu));
	json_object_object_add(p, "svr_epsilon", jdouble(s->p.svr.epsilon));
	json_object_object_add(p, "svr_gamma", jdouble(s->p.svr.gamma));
	json_object_object_add(p, "svr_tol", jdouble(s->p.svr.tol));
	json_object_object_add(o, "params", p);

	/*
	 * A predictor-driven policy is saved as the calls it has seen: its
	 * models are functions of them, and replaying them on restore
	 * rebuilds every model and decision exactly.
	 */
	if (s->pol->flags & RUNG_PF_PRED) {
		a = json_object_new_array();
		for (i = 0; i < s->nlog; i++) {
			row = json_object_new_array();
			json_object_array_add(row,
			    json_object_new_int(s->log[i].kind));
			if (s->log[i].kind != 0) {
				json_object_array_add(row,
				    json_object_new_int64(s->log[i].trial));
			}
			if (s->log[i].kind == 1) {
				json_object_array_add(row,
				    json_object_new_int(s->log[i].step));
				json_object_array_add(row,
				    jdouble(s->log[i].value));
			}
			json_object_array_add(a, row);
		}
		json_object_object_add(o, "calls", a);
		goto done;
	}

	memset(&w, 0, sizeof w);
	w.rng = RUNG_SCHED_RNG0(s->p.seed);
	if (s->pol->save != NULL)
		s->pol->save(s, &w);
	json_object_object_add(o, "rng", jhex(w.rng));
	json_object_object_add(o, "cur", json_object_new_int64(w.cur));
	json_object_object_add(o, "round", json_object_new_int64(w.round));
	json_object_object_add(o, "want", json_object_new_int64(w.want));
	json_object_object_add(o, "issued", json_object_new_int64(w.issued));
	json_object_object_add(o, "done", json_object_new_int64(w.done));

	/* Trials: [bracket, rung, state, target, step, recorded]. */
	a = json_object_new_array();
	for (i = 0; i < s->nt; i++) {
		row = json_object_new_array();
		json_object_array_add(row, json_object_new_int64(s->t[i].bracket));
		json_object_array_add(row, json_object_new_int64(s->t[i].rung));
		json_object_array_add(row, json_object_new_int(s->t[i].state));
		json_object_array_add(row, json_object_new_int(s->t[i].target));
		json_object_array_add(row, json_object_new_int(s->t[i].step));
		json_object_array_add(row, jhex(s->t[i].recorded));
		json_object_array_add(a, row);
	}
	json_object_object_add(o, "trials", a);

	/* Rungs by bracket, entries [trial, flag, value] in arrival order. */
	a = json_object_new_array();
	for (i = 0; i < s->nb; i++) {
		br = json_object_new_array();
		for (k = 0; k < s->b[i].nrungs; k++) {
			rg = json_object_new_array();
			for (j = 0; j < s->b[i].rungs[k].n; j++) {
				const struct rung_sched_entry *en;

				en = &s->b[i].rungs[k].e[j];
				e = json_object_new_array();
				json_object_array_add(e,
				    json_object_new_int64(en->trial));
				json_object_array_add(e,
				    json_object_new_int(en->flag));
				json_object_array_add(e, jdouble(en->value));
				json_object_array_add(rg, e);
			}
			json_object_array_add(br, rg);
		}
		json_object_array_add(a, br);
	}
	json_object_object_add(o, "rungs", a);

done:
	*text = xstrdup(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN));
	json_object_put(o);
}

/* Readers that fail softly: the caller reports one message. */
static int
get_double(json_object *v, double *out)
{
	const char	*str;

	if (json_object_is_type(v, json_type_double) ||
	    json_object_is_type(v, json_type_int)) {
		*out = json_object_get_double(v);
		return 0;
	}
	if (json_object_is_type(v, json_type_string)) {
		str = json_object_get_string(v);
		return rung_parse_double(str, strlen(str), out);
	}
	return -1;
}

static int
get_int(json_object *v, int64_t lo, int64_t hi, int64_t *out)
{
	if (!json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_int64(v);
	return (*out < lo || *out > hi) ? -1 : 0;
}

static int
get_hex(json_object *v, uint64_t *out)
{
	const char	*str;
	char		*end;

	if (!json_object_is_type(v, json_type_string))
		return -1;
	str = json_object_get_string(v);
	if (*str == '\0')
		return -1;
	*out = strtoull(str, &end, 16);
	return *end == '\0' ? 0 : -1;
}

static json_object *
field(json_object *o, const char *name)
{
	json_object	*v;

	if (o == NULL || !json_object_is_type(o, json_type_object))
		return NULL;
	return json_object_object_get_ex(o, name, &v) ? v : NULL;
}

static int
get_u32(json_object *o, const char *name, uint32_t *out)
{
	int64_t	 v;

	if (get_int(field(o, name), 0, UINT32_MAX, &v) != 0)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int
read_params(json_object *p, struct rung_sched_params *sp)
{
	json_object	*v;
	int		 i;
	uint32_t	 u;

	if ((v = field(p, "policy")) == NULL ||
	    (i = rung_policy_parse(json_object_get_string(v))) < 0)
		return -1;
	rung_sched_params_init(sp, (enum rung_policy)i);
	if ((v = field(p, "variant")) == NULL ||
	    (i = rung_asha_variant_parse(json_object_get_string(v))) < 0)
		return -1;
	sp->variant = (enum rung_asha_variant)i;
	if ((v = field(p, "rule")) == NULL ||
	    (i = rung_asha_rule_parse(json_object_get_string(v))) < 0)
		return -1;
	sp->rule = (enum rung_asha_rule)i;
	if (get_double(field(p, "eta"), &sp->eta) != 0 ||
	    get_double(field(p, "min_r"), &sp->min_r) != 0 ||
	    get_double(field(p, "max_r"), &sp->max_r) != 0)
		return -1;
	if ((v = field(p, "stop_last_trials")) == NULL ||
	    !json_object_is_type(v, json_type_boolean))
		return -1;
	sp->stop_last_trials = json_object_get_boolean(v);
	if (get_u32(p, "brackets", &sp->brackets) != 0 ||
	    get_u32(p, "max_configs", &u) != 0)
		return -1;
	sp->max_configs = u;
	if (get_hex(field(p, "seed"), &sp->seed) != 0)
		return -1;
	/*
	 * The predictor's settings: absent from states saved before them.
	 * A state saved before svr_train trained asha-svr on full curves.
	 */
	if ((v = field(p, "svr_train")) == NULL)
		sp->svr_train = RUNG_SVR_TRAIN_FULL;
	else if ((i = rung_svr_train_parse(json_object_get_string(v))) < 0)
		return -1;
	else
		sp->svr_train = (enum rung_svr_train)i;
	if (field(p, "min_curves") == NULL)
		return 0;
	if (get_u32(p, "min_curves", &sp->min_curves) != 0 ||
	    get_double(field(p, "keep_full"), &sp->keep_full) != 0 ||
	    get_double(field(p, "known_curve"), &sp->known_curve) != 0 ||
	    get_double(field(p, "delta"), &sp->delta) != 0 ||
	    (v = field(p, "svr_type")) == NULL ||
	    get_double(field(p, "svr_C"), &sp->svr.C) != 0 ||
	    get_double(field(p, "svr_nu"), &sp->svr.nu) != 0 ||
	    get_double(field(p, "svr_epsilon"), &sp->svr.epsilon) != 0 ||
	    get_double(field(p, "svr_gamma"), &sp->svr.gamma) != 0 ||
	    get_double(field(p, "svr_tol"), &sp->svr.tol) != 0)
		return -1;
	i = rung_svr_type_parse(json_object_get_string(v));
	sp->svr.type = i < 0 ? RUNG_NU_SVR : (enum rung_svr_type)i;
	return 0;
}

/* Replay the saved calls of a predictor-driven policy. */
static int
read_calls(json_object *o, struct rung_sched *s)
{
	json_object		*a, *row;
	struct rung_sched_action act;
	int64_t			 k, t = 0, st = 0;
	double			 v = 0;
	size_t			 i, n;

	a = field(o, "calls");
	if (a == NULL || !json_object_is_type(a, json_type_array))
		return -1;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		row = json_object_array_get_idx(a, i);
		if (!json_object_is_type(row, json_type_array) ||
		    json_object_array_length(row) < 1 ||
		    get_int(json_object_array_get_idx(row, 0), 0, 2, &k) != 0)
			return -1;
		if (json_object_array_length(row) != (k == 0 ? 1 :
		    k == 1 ? 4 : 2))
			return -1;
		if (k != 0 && get_int(json_object_array_get_idx(row, 1), 0,
		    (int64_t)s->nt - 1, &t) != 0)
			return -1;
		if (k == 1 && (get_int(json_object_array_get_idx(row, 2),
		    INT32_MIN, INT32_MAX, &st) != 0 ||
		    get_double(json_object_array_get_idx(row, 3), &v) != 0))
			return -1;
		if (k == 0)
			rung_sched_next(s, &act);
		else if (k == 1)
			rung_sched_report(s, (uint32_t)t, (int32_t)st, v);
		else
			rung_sched_lost(s, (uint32_t)t);
	}
	return 0;
}

static int
read_state(json_object *o, struct rung_sched *s)
{
	json_object		*a, *row, *br, *rg, *e;
	struct rung_sched_trial	*t;
	struct rung_sched_rung	*r;
	struct rung_sched_words	 w;
	int64_t			 v[5];
	size_t			 i, k, j, n;
	double			 d;

	if (get_hex(field(o, "rng"), &w.rng) != 0 ||
	    get_u32(o, "cur", &w.cur) != 0 ||
	    get_u32(o, "round", &w.round) != 0 ||
	    get_u32(o, "want", &w.want) != 0 ||
	    get_u32(o, "issued", &w.issued) != 0 ||
	    get_u32(o, "done", &w.done) != 0)
		return -1;

	a = field(o, "trials");
	if (a == NULL || !json_object_is_type(a, json_type_array))
		return -1;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++) {
		row = json_object_array_get_idx(a, i);
		if (!json_object_is_type(row, json_type_array) ||
		    json_object_array_length(row) != 6)
			return -1;
		if (get_int(json_object_array_get_idx(row, 0), 0,
		    s->nb ? s->nb - 1 : 0, &v[0]) != 0 ||
		    get_int(json_object_array_get_idx(row, 1), 0, 63,
		    &v[1]) != 0 ||
		    get_int(json_object_array_get_idx(row, 2), 0,
		    RUNG_TRIAL_FINISHED, &v[2]) != 0 ||
		    get_int(json_object_array_get_idx(row, 3), INT32_MIN,
		    INT32_MAX, &v[3]) != 0 ||
		    get_int(json_object_array_get_idx(row, 4), INT32_MIN,
		    INT32_MAX, &v[4]) != 0)
			return -1;
		rung_sched_add_trial(s, (uint32_t)v[0], (uint32_t)v[1],
		    (int32_t)v[3]);
		t = &s->t[s->nt - 1];
		t->state = (uint8_t)v[2];
		t->step = (int32_t)v[4];
		if (get_hex(json_object_array_get_idx(row, 5),
		    &t->recorded) != 0)
			return -1;
		/* One past the top at most: the policy says if it may. */
		if (s->nb != 0 && t->rung > s->b[t->bracket].nrungs)
			return -1;
	}

	a = field(o, "rungs");
	if (a == NULL || !json_object_is_type(a, json_type_array) ||
	    json_object_array_length(a) != s->nb)
		return -1;
	for (i = 0; i < s->nb; i++) {
		br = json_object_array_get_idx(a, i);
		if (!json_object_is_type(br, json_type_array) ||
		    json_object_array_length(br) != s->b[i].nrungs)
			return -1;
		for (k = 0; k < s->b[i].nrungs; k++) {
			rg = json_object_array_get_idx(br, k);
			if (!json_object_is_type(rg, json_type_array))
				return -1;
			n = json_object_array_length(rg);
			for (j = 0; j < n; j++) {
				e = json_object_array_get_idx(rg, j);
				if (!json_object_is_type(e, json_type_array) ||
				    json_object_array_length(e) != 3 ||
				    get_int(json_object_array_get_idx(e, 0), 0,
				    (int64_t)s->nt - 1, &v[0]) != 0 ||
				    get_int(json_object_array_get_idx(e, 1), 0,
				    RUNG_SEL_DONE, &v[1]) != 0 ||
				    get_double(json_object_array_get_idx(e, 2),
				    &d) != 0)
					return -1;
				rung_sched_record(s, (uint32_t)i, (uint32_t)k,
				    (uint32_t)v[0], d);
				r = &s->b[i].rungs[k];
				r->e[r->n - 1].flag = (uint8_t)v[1];
			}
		}
	}
	return s->pol->restore != NULL ? s->pol->restore(s, &w) : 0;
}

int
rung_sched_restore(const char *text, struct rung_sched **out, char **cause)
{
	json_object			*o, *v;
	struct rung_sched_params	 p;
	struct rung_sched		*s;

	*out = NULL;
	o = json_tokener_parse(text);
	if (o == NULL || (v = field(o, "format")) == NULL ||
	    !json_object_is_type(v, json_type_string) ||
	    strcmp(json_object_get_string(v), "rung-sched") != 0) {
		xasprintf(cause, "not a saved scheduler state");
		json_object_put(o);
		return -1;
	}
	if ((v = field(o, "version")) == NULL ||
	    json_object_get_int(v) != 1) {
		xasprintf(cause, "unknown scheduler state version");
		json_object_put(o);
		return -1;
	}
	if (read_params(field(o, "params"), &p) != 0) {
		xasprintf(cause, "bad scheduler parameters in saved state");
		json_object_put(o);
		return -1;
	}
	if (rung_sched_new(&p, &s, cause) != 0) {
		json_object_put(o);
		return -1;
	}
	if ((s->pol->flags & RUNG_PF_PRED) ? read_calls(o, s) != 0 :
	    read_state(o, s) != 0) {
		xasprintf(cause, "bad saved scheduler state");
		rung_sched_free(s);
		json_object_put(o);
		return -1;
	}
	json_object_put(o);
	*out = s;
	return 0;
}
