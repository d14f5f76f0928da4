/*
 * The schedulers against algorithms.md sections 1 and 2: the Hyperband
 * table and its totals, the conformance vectors of Ray Tune, Syne Tune and
 * Optuna, the divergence table of the four stopping rules, and whole runs
 * of sha, hyperband and asha promote on curves small enough to follow by
 * hand; the LCE policies' garbage test, save and restore, and savings.
 */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rung/sched.h"
#include "rung/util.h"
#include "rung/xmalloc.h"
#include "../src/sched-int.h"
#include "tap.h"

static void
append(char *log, const char *s, size_t len)
{
	size_t	 n = strlen(log);

	snprintf(log + n, len - n, "%s", s);
}

static struct rung_sched *
make(struct rung_sched_params *p)
{
	struct rung_sched	*s;
	char			*cause = NULL;

	if (rung_sched_new(p, &s, &cause) != 0) {
		printf("# rung_sched_new: %s\n", cause);
		exit(1);
	}
	return s;
}

static uint32_t
start(struct rung_sched *s)
{
	struct rung_sched_action a;

	if (rung_sched_next(s, &a) != RUNG_ACT_START) {
		printf("# expected START\n");
		exit(1);
	}
	return a.trial;
}

/* Save and restore, checking the text survives the trip unchanged. */
static struct rung_sched *
roundtrip(struct rung_sched *s)
{
	struct rung_sched	*r;
	char			*t1, *t2, *cause = NULL;

	rung_sched_save(s, &t1);
	if (rung_sched_restore(t1, &r, &cause) != 0) {
		printf("# restore: %s\n", cause);
		exit(1);
	}
	rung_sched_save(r, &t2);
	if (strcmp(t1, t2) != 0) {
		printf("# state changed over a save and restore\n");
		exit(1);
	}
	free(t1);
	free(t2);
	rung_sched_free(s);
	return r;
}

static void
test_hyperband_table(void)
{
	/* algorithms.md 1: the paper's Table 1, s = 4 ... 0. */
	static const uint32_t n[5][5] = {
		{ 81, 27, 9, 3, 1 }, { 34, 11, 3, 1 }, { 15, 5, 1 }, { 8, 2 },
		{ 5 } };
	static const int32_t r[5][5] = {
		{ 1, 3, 9, 27, 81 }, { 3, 9, 27, 81 }, { 9, 27, 81 },
		{ 27, 81 }, { 81 } };
	static const uint64_t with[5] = { 297, 276, 279, 324, 405 };
	static const uint64_t without[5] = { 405, 363, 351, 378, 405 };
	static const uint32_t n100[7] = { 64, 38, 23, 14, 10, 7, 7 };
	static const struct { int64_t R; uint64_t total; } totals[] = {
		{ 100, 3213 }, { 300, 15380 }, { 35, 872 }, { 50, 1245 } };
	struct rung_hb_bracket	*hb;
	char			*cause = NULL;
	int			 nb, k, i;
	size_t			 j;

	is_int(rung_hb_smax(81, 3), 4, "s_max R=81 eta=3");
	is_int(rung_hb_smax(243, 3), 5, "s_max R=243 eta=3 (double says 4)");
	is_int(rung_hb_smax(100, 2), 6, "s_max R=100 eta=2");
	is_int(rung_hb_smax(1, 3), 0, "s_max R=1");

	ok(rung_hb_brackets(81, 3, &hb, &nb, &cause) == 0, "brackets 81/3");
	is_int(nb, 5, "R=81: five brackets");
	for (k = 0; k < nb; k++) {
		is_int(hb[k].s, 4 - k, "bracket %d is s=%d", k, 4 - k);
		for (i = 0; i < hb[k].nrounds; i++) {
			is_int(hb[k].round[i].n, n[k][i], "s=%d n_%d", 4 - k, i);
			is_int(hb[k].round[i].r, r[k][i], "s=%d r_%d", 4 - k, i);
		}
		is_int(rung_hb_bracket_total(&hb[k], 1), with[k],
		    "s=%d epochs with resume", 4 - k);
		is_int(rung_hb_bracket_total(&hb[k], 0), without[k],
		    "s=%d epochs without resume", 4 - k);
	}
	is_int(rung_hb_configs(hb, nb), 143, "R=81: 143 configurations");
	is_int(rung_hb_total(hb, nb, 1), 1581, "R=81 eta=3 with resume 1581");
	is_int(rung_hb_total(hb, nb, 0), 1902, "R=81 eta=3 from scratch 1902");
	rung_hb_free(hb, nb);

	ok(rung_hb_brackets(100, 2, &hb, &nb, &cause) == 0, "brackets 100/2");
	is_int(nb, 7, "R=100 eta=2: s_max 6");
	for (k = 0; k < nb && k < 7; k++)
		is_int(hb[k].round[0].n, n100[k], "R=100 eta=2 s=%d n", 6 - k);
	is_int(rung_hb_configs(hb, nb), 163, "R=100 eta=2: 163 configurations");
	rung_hb_free(hb, nb);

	for (j = 0; j < sizeof totals / sizeof totals[0]; j++) {
		rung_hb_brackets(totals[j].R, 2, &hb, &nb, &cause);
		is_int(rung_hb_total(hb, nb, 1), totals[j].total,
		    "R=%lld eta=2 with resume", (long long)totals[j].R);
		rung_hb_free(hb, nb);
	}
	ok(rung_hb_brackets(0, 3, &hb, &nb, &cause) == -1 && cause != NULL,
	    "R=0 refused");
	free(cause);
}

static void
test_ray_hyperband(void)
{
	static const uint32_t n81[] = { 5, 8, 15, 34, 81 };
	static const int32_t r81[] = { 81, 27, 9, 3, 1 };
	static const uint32_t n1k[] = { 4, 20, 134, 1000 };
	static const int32_t r1k[] = { 1000, 100, 10, 1 };
	uint32_t		 n[8];
	int32_t			 r[8];
	int			 i;

	is_int(rung_ray_hb_brackets(81, 3, n, r, 8), 5, "Ray 81/3: 5 brackets");
	for (i = 0; i < 5; i++) {
		is_int(n[i], n81[i], "Ray 81/3 s=%d n", i);
		is_int(r[i], r81[i], "Ray 81/3 s=%d r", i);
	}
	is_int(rung_ray_hb_brackets(1000, 10, n, r, 8), 4,
	    "Ray 1000/10: 4 brackets");
	for (i = 0; i < 4; i++) {
		is_int(n[i], n1k[i], "Ray 1000/10 s=%d n", i);
		is_int(r[i], r1k[i], "Ray 1000/10 s=%d r", i);
	}
}

static void
test_quantile(void)
{
	double	 a[] = { 3, 1, 2 }, b[] = { 1, 2, 3, 4 }, c[] = { 10, 8 };
	double	 d[] = { 5, 1, 4, 2, 3 }, e[] = { 0.1, 0.7, 0.3 };
	double	 f[] = { -6, -5, -4, -3, -2, -1 }, g[] = { 1 };
	double	 h[] = { 2.5, -1, 7, 0.25 }, x[] = { 1, NAN };

	/* /usr/bin/python3: float(numpy.quantile(v, q)), numpy 1.24.2. */
	is_dbl(rung_quantile_linear(a, 3, 0.5), 2.0, "quantile [3,1,2] .5");
	is_dbl(rung_quantile_linear(b, 4, 1.0 / 3), 2.0,
	    "quantile [1,2,3,4] 1/3");
	is_dbl(rung_quantile_linear(c, 2, 0.5), 9.0, "quantile [10,8] .5");
	is_dbl(rung_quantile_linear(d, 5, 0.75), 4.0, "quantile 1..5 .75");
	is_dbl(rung_quantile_linear(e, 3, 0.9), 0.62,
	    "quantile [.1,.7,.3] .9 = 0.62");
	/* numpy.quantile([-6..-1], ((1-1/3)*100)/100) = -2.666666666666666 */
	is_dbl(rung_quantile_linear(f, 6, ((1 - 1.0 / 3) * 100) / 100),
	    -2.666666666666666, "quantile [-6..-1] 2/3 (numpy's lerp)");
	is_dbl(rung_quantile_linear(g, 1, 0.3), 1.0, "quantile [1] .3");
	is_dbl(rung_quantile_linear(h, 4, 0.6), 2.05,
	    "quantile [2.5,-1,7,.25] .6 = 2.05");
	ok(isnan(rung_quantile_linear(x, 2, 0.5)), "quantile with NaN is NaN");
	ok(isnan(rung_quantile_linear(x, 0, 0.5)), "quantile of nothing NaN");
}

/* Ray's suite: mode=max, so every value goes in negated. */
static int
ray(struct rung_sched *s, uint32_t t, int32_t step, double reward)
{
	return rung_sched_report(s, t, step, -reward);
}

static struct rung_sched *
ray_sched(double max_t, double grace, double rf)
{
	struct rung_sched_params p;

	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	p.max_r = max_t;
	p.min_r = grace;
	p.eta = rf;
	p.rule = RUNG_RULE_RAY;
	return make(&p);
}

/* A reports (i, 100 i) for i = 0...9, B (i, 450) for i = 0...4. */
static void
basic_setup(struct rung_sched *s, uint32_t *a, uint32_t *b, const char *name)
{
	int	 i, cont = 0;

	*a = start(s);
	*b = start(s);
	for (i = 0; i < 10; i++)
		cont += ray(s, *a, i, 100.0 * i) == RUNG_CONTINUE;
	for (i = 0; i < 5; i++)
		cont += ray(s, *b, i, 450) == RUNG_CONTINUE;
	is_int(cont, 15, "%s: basic setup, 15 CONTINUE", name);
}

static void
test_ray(void)
{
	struct rung_sched	*s;
	struct rung_sched_params p;
	uint32_t		 a, b, c, d, t[10];
	int			 i, n;
	const double		 r6[4] = { 10, 8, 6, 4 };

	/* R1 */
	s = ray_sched(10, 1, 4);
	basic_setup(s, &a, &b, "R1");
	c = start(s);
	is_int(ray(s, c, 10, 1000), RUNG_STOP, "R1: C completes (t >= max_t)");
	is_int(ray(s, b, 101, 0), RUNG_STOP, "R1: B at t=101 STOP");
	rung_sched_free(s);

	/* R2 */
	s = ray_sched(100, 2.5, 3);
	basic_setup(s, &a, &b, "R2");
	is_int(ray(s, a, 10, 1000), RUNG_CONTINUE, "R2: A completes");
	is_int(ray(s, b, 10, 1000), RUNG_CONTINUE, "R2: B completes");
	c = start(s);
	is_int(ray(s, c, 1, 10), RUNG_CONTINUE, "R2: C (1,10) CONTINUE");
	is_int(ray(s, c, 2, 10), RUNG_CONTINUE, "R2: C (2,10) CONTINUE");
	is_int(ray(s, c, 3, 10), RUNG_STOP, "R2: C (3,10) STOP, cutoff 400");
	rung_sched_free(s);

	/* R3 */
	s = ray_sched(10, 1, 2);
	basic_setup(s, &a, &b, "R3");
	ray(s, a, 10, 1000);
	ray(s, b, 10, 1000);
	c = start(s);
	is_int(ray(s, c, 1, 260), RUNG_STOP, "R3: C (1,260) STOP, cutoff 275");
	is_int(ray(s, c, 2, 260), RUNG_STOP, "R3: C (2,260) STOP");
	/* C is stopped now; a fresh trial meets the rung at 2 itself. */
	d = start(s);
	is_int(ray(s, d, 2, 260), RUNG_STOP, "R3: (2,260) STOP, cutoff 325");
	d = start(s);
	is_int(ray(s, d, 2, 326), RUNG_CONTINUE, "R3: (2,326) above 325");
	rung_sched_free(s);

	/* R4 */
	s = ray_sched(10, 1, 2);
	a = start(s);
	b = start(s);
	n = 0;
	for (i = 0; i < 10; i++) {
		n += ray(s, a, i, 450) == RUNG_CONTINUE;
		n += ray(s, b, i, NAN) == RUNG_CONTINUE;
	}
	is_int(n, 20, "R4: A 450, B NaN, all CONTINUE");
	is_int(ray(s, a, 10, 450), RUNG_STOP, "R4: A completes");
	is_int(ray(s, b, 10, NAN), RUNG_STOP, "R4: B completes");
	c = start(s);
	is_int(ray(s, c, 1, 260), RUNG_STOP, "R4: C (1,260) STOP");
	is_int(ray(s, c, 2, 260), RUNG_STOP, "R4: C (2,260) STOP");
	d = start(s);
	is_int(ray(s, d, 2, 449), RUNG_STOP, "R4: NaN ignored, cutoff 450");
	d = start(s);
	is_int(ray(s, d, 2, 450), RUNG_CONTINUE, "R4: 450 not below 450");
	rung_sched_free(s);

	/* R5, then again after a save and restore. */
	s = ray_sched(10, 1, 2);
	n = 0;
	for (i = 0; i < 5; i++)
		n += ray(s, start(s), 1, 10) != RUNG_STOP;
	is_int(n, 5, "R5: five trials at 10 not stopped");
	s = roundtrip(s);
	{
		struct rung_sched	*s2 = roundtrip(s);
		const double		 v[3] = { 5, 4, 2 };

		s = NULL;
		for (i = 0; i < 3; i++)
			is_int(ray(s2, start(s2), 1, v[i]), RUNG_STOP,
			    "R5 restored: (1,%g) STOP", v[i]);
		s2 = roundtrip(s2);
		is_int(ray(s2, start(s2), 1, 10), RUNG_CONTINUE,
		    "R5 restored: (1,10) still CONTINUE");
		rung_sched_free(s2);
	}
	s = ray_sched(10, 1, 2);
	for (i = 0; i < 5; i++)
		ray(s, start(s), 1, 10);
	n = 0;
	n += ray(s, start(s), 1, 5) == RUNG_STOP;
	n += ray(s, start(s), 1, 4) == RUNG_STOP;
	n += ray(s, start(s), 1, 2) == RUNG_STOP;
	is_int(n, 3, "R5: then STOP, STOP, STOP");
	rung_sched_free(s);

	/* R6 */
	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	p.max_r = 3;
	p.min_r = 1;
	p.eta = 2;
	p.stop_last_trials = 0;
	s = make(&p);
	for (i = 0; i < 4; i++)
		t[i] = start(s);
	for (i = 0; i < 4; i++)
		is_int(ray(s, t[i], 2, r6[i]), i == 0 ? RUNG_CONTINUE :
		    RUNG_STOP, "R6: trial %d at t=2 value %g", i + 1, r6[i]);
	is_int(ray(s, t[0], 4, 10), RUNG_CONTINUE, "R6: (4,10) CONTINUE");
	is_int(ray(s, t[0], 8, 10), RUNG_CONTINUE, "R6: (8,10) CONTINUE");
	is_int(ray(s, t[0], 14, 1), RUNG_CONTINUE, "R6: (14,1) CONTINUE");
	rung_sched_free(s);

	/* R7 */
	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	p.max_r = 10;
	p.min_r = 1;
	p.eta = 4;
	p.brackets = 10;
	s = make(&p);
	n = 0;
	for (i = 0; i < 10; i++)
		n += ray(s, start(s), 10, -2) == RUNG_STOP;
	is_int(n, 10, "R7: 10 brackets, all STOP at max_t");
	s = roundtrip(s);
	rung_sched_free(s);
}

static struct rung_sched *
rule_sched(enum rung_asha_rule rule, double grace, double eta, double max_t)
{
	struct rung_sched_params p;

	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	p.rule = rule;
	p.min_r = grace;
	p.eta = eta;
	p.max_r = max_t;
	return make(&p);
}

static void
test_syne_optuna(void)
{
	struct rung_sched	*s;
	const double		 v[4] = { 1.0, 0.9, 0.8, 1.2 };
	const int		 want[4] = { RUNG_CONTINUE, RUNG_CONTINUE,
				     RUNG_CONTINUE, RUNG_STOP };
	uint32_t		 t;
	int			 i;

	s = rule_sched(RUNG_RULE_SYNE, 3, 3, 27);
	for (i = 0; i < 4; i++)
		is_int(rung_sched_report(s, start(s), 3, v[i]), want[i],
		    "Syne Tune: trial %d at epoch 3 value %g", i, v[i]);
	t = start(s);
	is_int(rung_sched_report(s, t, 4, 5), RUNG_CONTINUE,
	    "Syne Tune: a result past the milestone is not judged");
	is_int(rung_sched_report(s, t, 9, 5), RUNG_CONTINUE,
	    "Syne Tune: alone at rung 9, kept");
	rung_sched_free(s);

	s = rule_sched(RUNG_RULE_OPTUNA, 1, 2, 100);
	is_int(rung_sched_report(s, start(s), 1, 1), RUNG_CONTINUE,
	    "Optuna: first trial 1 at step 1 kept");
	is_int(rung_sched_report(s, start(s), 1, 2), RUNG_STOP,
	    "Optuna: second trial 2 at step 1 pruned");
	rung_sched_free(s);

	s = rule_sched(RUNG_RULE_OPTUNA, 2, 2, 100);
	t = start(s);
	is_int(rung_sched_report(s, t, 1, NAN), RUNG_CONTINUE,
	    "Optuna min_resource=2: NaN at step 1 kept");
	is_int(rung_sched_report(s, t, 2, NAN), RUNG_STOP,
	    "Optuna min_resource=2: NaN at step 2 pruned");
	rung_sched_free(s);
}

static void
test_divergence(void)
{
	static const struct {
		double	 prev[8];
		int	 nprev;
		double	 v;
		double	 eta;
		int	 stop[4];	/* ray, syne, optuna, determined */
	} rows[] = {
		{ { 0 }, 0, 5.0, 3, { 0, 0, 0, 0 } },
		{ { 1 }, 1, 2, 3, { 1, 1, 1, 1 } },
		{ { 1, 2, 3, 4, 5, 6 }, 6, 2.9, 3, { 1, 0, 1, 1 } },
		{ { 1, 2, 3, 4, 5 }, 5, 2.0, 4, { 0, 0, 1, 1 } },
		{ { 1, 2, 3, 4, 5, 6, 7 }, 7, 2.1, 3, { 0, 0, 1, 1 } },
	};
	struct rung_sched	*s;
	size_t			 i;
	int			 rule, j;

	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		for (rule = 0; rule < 4; rule++) {
			s = rule_sched((enum rung_asha_rule)rule, 1,
			    rows[i].eta, 100);
			for (j = 0; j < rows[i].nprev; j++)
				rung_sched_report(s, start(s), 1,
				    rows[i].prev[j]);
			is_int(rung_sched_report(s, start(s), 1, rows[i].v),
			    rows[i].stop[rule] ? RUNG_STOP : RUNG_CONTINUE,
			    "divergence row %zu, %s", i + 1,
			    rung_asha_rule_name((enum rung_asha_rule)rule));
			rung_sched_free(s);
		}
	}
}

/*
 * One worker runs what next() says on the curves value(c, t) = base[c] -
 * slope[c] t, configuration c being the trial handle; the log reads
 * "S3@1" (start trial 3 to step 1), "R5@9" (resume trial 5 to step 9),
 * then DONE. With rt the scheduler is saved and restored before every
 * call, which must change nothing.
 */
static const double base[17] = { 5, 3, 8, 1, 7, 2, 9, 4, 6,
    4, 2, 6, 3, 5, 1, 2, 3 };

static double
value(uint32_t c, int32_t t)
{
	return base[c % 17] - (c == 5 ? 0.5 * t : 0);
}

static struct rung_sched *
drive(struct rung_sched *s, char *log, size_t len, uint64_t *steps, int rt)
{
	struct rung_sched_action a;
	enum rung_decision	 d;
	int32_t			 t;
	char			 buf[32];
	int			 guard = 0;

	*log = '\0';
	*steps = 0;
	for (;;) {
		if (rt)
			s = roundtrip(s);
		rung_sched_next(s, &a);
		if (a.kind == RUNG_ACT_DONE || a.kind == RUNG_ACT_WAIT ||
		    ++guard > 1000) {
			append(log, a.kind == RUNG_ACT_DONE ? "DONE" : "WAIT",
			    len);
			return s;
		}
		snprintf(buf, sizeof buf, "%c%u@%d ",
		    a.kind == RUNG_ACT_START ? 'S' : 'R', a.trial, a.resource);
		append(log, buf, len);
		for (t = a.from + 1; t <= a.resource; t++) {
			(*steps)++;
			if (rt)
				s = roundtrip(s);
			d = rung_sched_report(s, a.trial, t, value(a.trial, t));
			if (d != RUNG_CONTINUE)
				break;
		}
	}
}

static void
test_runs(void)
{
	struct rung_sched_params p;
	struct rung_sched	*s;
	struct rung_sched_action a;
	char			 log[1024];
	uint64_t		 steps;
	int			 rt, i;
	uint32_t		 t;
	const char		*sha = "S0@1 S1@1 S2@1 S3@1 S4@1 S5@1 S6@1 S7@1 "
				     "S8@1 R3@3 R5@3 R1@3 R5@9 ";
	char			 hb[512];

	snprintf(hb, sizeof hb, "%sS9@3 S10@3 S11@3 S12@3 S13@3 R10@9 "
	    "S14@9 S15@9 S16@9 DONE", sha);
	for (rt = 0; rt < 2; rt++) {
		rung_sched_params_init(&p, RUNG_POLICY_SHA);
		p.max_r = 9;
		s = drive(make(&p), log, sizeof log, &steps, rt);
		ok(strncmp(log, sha, strlen(sha)) == 0 &&
		    strcmp(log + strlen(sha), "DONE") == 0,
		    "sha R=9 eta=3%s: %s", rt ? " (restored)" : "", log);
		is_int(steps, 9 + 3 * 2 + 6, "sha: 21 steps with resume");
		is_int(rung_sched_trial_state(s, 5), RUNG_TRIAL_FINISHED,
		    "sha: trial 5 finished");
		is_int(rung_sched_trial_state(s, 3), RUNG_TRIAL_STOPPED,
		    "sha: trial 3 stopped at rung 1");
		is_int(rung_sched_trial_state(s, 8), RUNG_TRIAL_STOPPED,
		    "sha: trial 8 stopped at rung 0");
		rung_sched_free(s);

		rung_sched_params_init(&p, RUNG_POLICY_HYPERBAND);
		p.max_r = 9;
		s = drive(make(&p), log, sizeof log, &steps, rt);
		is_str(log, hb, "hyperband R=9 eta=3%s", rt ? " (restored)" :
		    "");
		is_int(steps, 69, "hyperband R=9: 69 steps (21 + 21 + 27)");
		is_int(rung_sched_ntrials(s), 17, "hyperband R=9: 17 trials");
		rung_sched_free(s);

		rung_sched_params_init(&p, RUNG_POLICY_ASHA);
		p.variant = RUNG_ASHA_PROMOTE;
		p.max_r = 9;
		p.max_configs = 6;
		s = drive(make(&p), log, sizeof log, &steps, rt);
		is_str(log, "S0@1 S1@1 S2@1 R1@3 S3@1 R3@3 S4@1 S5@1 R5@3 "
		    "R5@9 DONE", "asha promote R=9 eta=3%s", rt ?
		    " (restored)" : "");
		rung_sched_free(s);
	}

	/* Synchronous: the round waits for its last report. */
	rung_sched_params_init(&p, RUNG_POLICY_SHA);
	p.max_r = 9;
	s = make(&p);
	for (i = 0; i < 9; i++)
		start(s);
	is_int(rung_sched_next(s, &a), RUNG_ACT_WAIT, "sha: WAIT for round 0");
	for (t = 0; t < 8; t++)
		is_int(rung_sched_report(s, t, 1, value(t, 1)), RUNG_PAUSE,
		    "sha: trial %u pauses at its rung", t);
	rung_sched_lost(s, 8);
	is_int(rung_sched_next(s, &a), RUNG_ACT_RESUME,
	    "sha: a lost trial does not hold the round");
	is_int(a.trial, 3, "sha: the best resumes first");
	is_int(a.from, 1, "sha: resumes from its checkpoint");
	rung_sched_free(s);

	/* Random: max_configs trials to max_r. */
	rung_sched_params_init(&p, RUNG_POLICY_RANDOM);
	p.max_r = 5;
	p.max_configs = 3;
	s = drive(make(&p), log, sizeof log, &steps, 1);
	is_str(log, "S0@5 S1@5 S2@5 DONE", "random: three to max_r");
	is_int(steps, 15, "random: 15 steps");
	rung_sched_free(s);
}

static void
test_errors(void)
{
	struct rung_sched_params p;
	struct rung_sched	*s;
	char			*cause = NULL;

	rung_sched_params_init(&p, RUNG_POLICY_HYPERBAND);
	p.eta = 2.5;
	ok(rung_sched_new(&p, &s, &cause) == -1 && s == NULL,
	    "hyperband refuses eta 2.5: %s", cause);
	free(cause);
	cause = NULL;
	rung_sched_params_init(&p, RUNG_POLICY_RANDOM);
	ok(rung_sched_new(&p, &s, &cause) == -1,
	    "random refuses no budget: %s", cause);
	free(cause);
	cause = NULL;
	ok(rung_sched_restore("{\"format\":\"x\"}", &s, &cause) == -1,
	    "restore refuses another format: %s", cause);
	free(cause);
	cause = NULL;
	ok(rung_sched_restore("{\"format\":\"rung-sched\",\"version\":1,"
	    "\"params\":{}}", &s, &cause) == -1, "restore refuses bad "
	    "params: %s", cause);
	free(cause);
	is_int(rung_policy_parse("Hyperband"), RUNG_POLICY_HYPERBAND,
	    "policy names parse");
	is_int(rung_asha_rule_parse("determined"), RUNG_RULE_DETERMINED,
	    "rule names parse");
	is_str(rung_decision_name(RUNG_PAUSE), "pause", "decision names");
}

/* The policy's milestones as text: " 1 3 9". */
static void
ladder(const struct rung_sched_params *p, char *buf, size_t size)
{
	double		*v;
	uint32_t	 n, i;
	size_t		 len = 0;

	v = rung_sched_milestones(p, &n);
	buf[0] = '\0';
	for (i = 0; i < n && len < size; i++)
		len += (size_t)snprintf(buf + len, size - len, " %g", v[i]);
	free(v);
}

/* What the policy table tells replay, launch and plot. */
static void
test_table(void)
{
	struct rung_sched_params p;
	char		*names, *cause = NULL, buf[256];
	double		*v;
	uint64_t	 need;
	uint32_t	 n;

	is_int(rung_policy_count(), 10, "ten policies");
	names = rung_policy_names();
	is_str(names, "random, sha, hyperband, asha, swift-hyperband, baker, "
	    "asha-svr, lce, asha-lce or hyperband-lce", "the names for "
	    "messages");
	free(names);
	ok(rung_policy_flags(RUNG_POLICY_SHA) == (RUNG_PF_CONFIGS |
	    RUNG_PF_SIZED | RUNG_PF_INTEGER), "sha: configs, own size, integer");
	ok(rung_policy_flags(RUNG_POLICY_ASHA_SVR) == (RUNG_PF_CONFIGS |
	    RUNG_PF_PRED), "asha-svr: configs, predictor");
	ok(!rung_policy_takes_configs(RUNG_POLICY_SWIFT) &&
	    (rung_policy_flags(RUNG_POLICY_SWIFT) & RUNG_PF_PRED),
	    "swift-hyperband: brackets, predictor");
	ok(rung_policy_flags(RUNG_POLICY_HYPERBAND_LCE) == (RUNG_PF_PRED |
	    RUNG_PF_INTEGER), "hyperband-lce: brackets, predictor");
	is_int(rung_policy_flags((enum rung_policy)10), 0, "no policy 10");

	/* Hyperband R=9 eta=3: brackets of 9, 5 and 3 configurations. */
	rung_sched_params_init(&p, RUNG_POLICY_HYPERBAND);
	p.max_r = 9;
	ok(rung_sched_needed(&p, &need, &cause) == 0 && need == 17,
	    "hyperband R=9 needs 17 configurations");
	p.policy = RUNG_POLICY_SHA;
	ok(rung_sched_needed(&p, &need, &cause) == 0 && need == 9,
	    "sha R=9 needs its bracket's 9");
	p.max_configs = 4;
	ok(rung_sched_needed(&p, &need, &cause) == 0 && need == 4,
	    "sha with 4 configurations needs 4");
	p.policy = RUNG_POLICY_ASHA;
	p.max_configs = 0;
	ok(rung_sched_needed(&p, &need, &cause) == 0 && need == 1,
	    "unlimited asha needs 1");
	p.policy = (enum rung_policy)10;
	ok(rung_sched_needed(&p, &need, &cause) == -1, "no policy 10: %s",
	    cause);
	free(cause);

	/* The ladders the brackets plot draws. */
	rung_sched_params_init(&p, RUNG_POLICY_ASHA);
	p.max_r = 100;
	ladder(&p, buf, sizeof buf);
	is_str(buf, " 1 3 9 27 81 100", "asha's milestones, max_r last");
	p.policy = RUNG_POLICY_SWIFT;
	p.max_r = 27;
	p.min_r = 3;
	ladder(&p, buf, sizeof buf);
	is_str(buf, " 3 9 27", "swift-hyperband's rounds, in steps");
	p.policy = RUNG_POLICY_BAKER;
	v = rung_sched_milestones(&p, &n);
	ok(n == 1 && v[0] == 27, "baker: max_r only");
	free(v);
}

/*
 * asha-svr (issue 17): curves that cross. Trial c starts at 1.5 - L and
 * falls towards L by step 3, so the value at step 1 ranks the trials
 * backwards and only a model of step 3 from step 1 ranks them right.
 */
static double
svr_value(uint32_t c, int32_t t)
{
	double	 L = fmod(c * 0.618033988749895, 1.0);
	double	 S = 1.5 - L;

	return L + (S - L) * exp(-2.0 * (t - 1));
}

static void
svr_params(struct rung_sched_params *p, enum rung_svr_train train)
{
	rung_sched_params_init(p, RUNG_POLICY_ASHA_SVR);
	p->max_r = 9;
	p->max_configs = 40;
	p->svr_train = train;
	p->min_curves = 3;
}

/*
 * One trial at a time, each to its stop, the steps it stopped at in
 * stop[] (from its handle) and as " c:step" in log; with restore_at, a
 * save and restore after that many trials.
 */
static struct rung_sched *
svr_drive(struct rung_sched *s, char *log, size_t len, int32_t *stop,
    uint32_t restore_at)
{
	struct rung_sched_action a;
	char			 buf[32];
	int32_t			 t;
	uint32_t		 n = 0;

	log[0] = '\0';
	while (rung_sched_next(s, &a) == RUNG_ACT_START) {
		for (t = 1; t <= 9; t++) {
			if (rung_sched_report(s, a.trial, t,
			    svr_value(a.trial, t)) != RUNG_CONTINUE)
				break;
		}
		if (stop != NULL && a.trial < 40)
			stop[a.trial] = t;
		snprintf(buf, sizeof buf, " %u:%d", a.trial, t);
		append(log, buf, len);
		if (++n == restore_at)
			s = roundtrip(s);
	}
	return s;
}

/* Do the n trials of tr all end in state? */
static int
svr_all(struct rung_sched *s, const uint32_t *tr, uint32_t n,
    enum rung_trial_state state)
{
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		if (rung_sched_trial_state(s, tr[i]) != state)
			return 0;
	}
	return 1;
}

static void
test_asha_svr_partial(void)
{
	struct rung_sched_params p;
	struct rung_sched	*s;
	const uint32_t		*tr;
	char			 part[1024], log[1024], full[1024];
	char			*text, *cause = NULL, *at;
	const char		*key = "\"svr_train\":\"full\",";
	int32_t			 stop[40];
	uint32_t		 n, i, k, stopped = 0, bad = 0;

	svr_params(&p, RUNG_SVR_TRAIN_PARTIAL);
	s = svr_drive(make(&p), part, sizeof part, stop, 0);

	/*
	 * Rung 0's model learnt from the trials that reached step 3, in
	 * order, the ones stopped there too; the last few may have come
	 * after its last refit.
	 */
	n = rung_sched_svr_trainset(s, 0, 0, &tr);
	ok(n >= 5, "rung 0 has a model, on %u trials", n);
	for (i = k = 0; i < 40 && k < n && bad == 0; i++) {
		if (stop[i] >= 3)
			bad = tr[k++] != i;
	}
	ok(k == n && bad == 0, "they are the first %u trials to reach step 3",
	    n);
	for (i = 0; i < n; i++)
		stopped += stop[tr[i]] == 3;
	ok(stopped > 0, "%u of them stopped at step 3: partial curves",
	    stopped);
	n = rung_sched_svr_trainset(s, 0, 1, &tr);
	ok(n >= 5 && svr_all(s, tr, n, RUNG_TRIAL_FINISHED),
	    "rung 1's model learnt from %u trials, all at max_r", n);
	rung_sched_free(s);

	/* Keyed by the model, rung 0 keeps other trials than asha does. */
	p.policy = RUNG_POLICY_ASHA;
	s = svr_drive(make(&p), log, sizeof log, NULL, 0);
	ok(strcmp(log, part) != 0, "partial decides otherwise than asha");
	rung_sched_free(s);

	/* Identical after a save and restore past the first refits. */
	p.policy = RUNG_POLICY_ASHA_SVR;
	s = svr_drive(make(&p), log, sizeof log, NULL, 25);
	is_str(log, part, "partial: the same decisions after a restore");
	rung_sched_free(s);

	/* Full: nothing learnt from a trial that stopped below max_r. */
	svr_params(&p, RUNG_SVR_TRAIN_FULL);
	s = svr_drive(make(&p), full, sizeof full, NULL, 0);
	n = rung_sched_svr_trainset(s, 0, 0, &tr);
	ok(n >= 3 && svr_all(s, tr, n, RUNG_TRIAL_FINISHED),
	    "full: rung 0 learnt from %u trials, all at max_r", n);
	rung_sched_free(s);
	s = svr_drive(make(&p), log, sizeof log, NULL, 25);
	is_str(log, full, "full: the same decisions after a restore");
	rung_sched_free(s);

	/*
	 * A state saved before --svr-train (no "svr_train" in it) restores
	 * to training on full curves: it decides as full, not as partial.
	 */
	s = make(&p);
	svr_drive(s, log, sizeof log, NULL, 0);
	rung_sched_save(s, &text);
	rung_sched_free(s);
	at = strstr(text, key);
	ok(at != NULL, "the state names its training set");
	if (at != NULL)
		memmove(at, at + strlen(key), strlen(at + strlen(key)) + 1);
	s = NULL;
	ok(rung_sched_restore(text, &s, &cause) == 0 &&
	    rung_sched_params(s)->svr_train == RUNG_SVR_TRAIN_FULL,
	    "a state without it restores to full");
	free(text);
	if (s != NULL) {
		n = rung_sched_svr_trainset(s, 0, 0, &tr);
		ok(n >= 3 && svr_all(s, tr, n, RUNG_TRIAL_FINISHED),
		    "and its rung 0 learnt from %u finished trials", n);
		rung_sched_free(s);
	}
	ok(strcmp(full, part) != 0, "full decides otherwise than partial");
}

/*
 * The LCE policies on curves that improve at different rates, some of
 * them crossing: lv(c, t), with a little deterministic noise. With
 * garbage, every point after the last step the clean run reported of a
 * configuration is NaN: a policy that never looks past what it was told
 * decides the same, bit for bit.
 */
#define LCE_N	200

static int	 lce_crossing;

static double
lv(uint32_t c, int32_t t)
{
	double	 floor = 0.2 + 0.05 * (double)((c * 7 + 5) % 13);
	double	 gain = 1 + 0.25 * (double)(c * 5 % 7);

	/* Never crossing: one shape, shifted by the floor. */
	if (!lce_crossing)
		return floor + pow((double)t, -0.5);
	return floor + gain * pow((double)t, -0.3 - 0.1 * (c % 4)) +
	    0.01 * sin((double)(c * 31 + (uint32_t)t));
}

struct lce_run {
	char		 log[65536];
	uint64_t	 steps;
	int32_t		 last[LCE_N];	/* last step reported */
	uint32_t	 early;		/* stopped between rungs */
	double		 best;		/* best value at max_r */
};

static struct rung_sched *
drive_lce(struct rung_sched *s, struct lce_run *r, const int32_t *garbage,
    int rt)
{
	struct rung_sched_action a;
	enum rung_decision	 d;
	int32_t			 t, R = (int32_t)rung_sched_params(s)->max_r;
	char			 buf[48];
	double			 v;
	int			 guard = 0, calls = 0;

	r->log[0] = '\0';
	r->steps = 0;
	r->early = 0;
	r->best = INFINITY;
	memset(r->last, 0, sizeof r->last);
	for (;;) {
		if (rt && ++calls % 97 == 0)
			s = roundtrip(s);
		rung_sched_next(s, &a);
		if (a.kind == RUNG_ACT_DONE || a.kind == RUNG_ACT_WAIT ||
		    ++guard > 5000 || a.trial >= LCE_N) {
			append(r->log, a.kind == RUNG_ACT_DONE ? "DONE" :
			    "WAIT", sizeof r->log);
			return s;
		}
		snprintf(buf, sizeof buf, "%c%u@%d ", a.kind ==
		    RUNG_ACT_START ? 'S' : 'R', a.trial, a.resource);
		append(r->log, buf, sizeof r->log);
		for (t = a.from + 1; t <= a.resource && t <= R; t++) {
			if (rt && ++calls % 97 == 0)
				s = roundtrip(s);
			r->steps++;
			v = garbage != NULL && t > garbage[a.trial] ? NAN :
			    lv(a.trial, t);
			r->last[a.trial] = t;
			d = rung_sched_report(s, a.trial, t, v);
			if (t == R && v < r->best)
				r->best = v;
			if (d == RUNG_STOP && t < a.resource) {
				snprintf(buf, sizeof buf, "x%u@%d ", a.trial,
				    t);
				append(r->log, buf, sizeof r->log);
				r->early++;
			}
			if (d != RUNG_CONTINUE)
				break;
		}
	}
}

static void
lce_params(struct rung_sched_params *p, enum rung_policy pol)
{
	rung_sched_params_init(p, pol);
	p->max_r = 81;
	if (rung_policy_takes_configs(pol))
		p->max_configs = 60;
}

static void
test_lce(void)
{
	static const enum rung_policy pols[] = { RUNG_POLICY_LCE,
	    RUNG_POLICY_ASHA_LCE, RUNG_POLICY_HYPERBAND_LCE };
	static const enum rung_policy bases[] = { RUNG_POLICY_RANDOM,
	    RUNG_POLICY_ASHA, RUNG_POLICY_HYPERBAND };
	struct rung_sched_params p;
	struct rung_sched	*s;
	struct lce_run		*a, *b, *c;
	const char		*name;
	char			*cause = NULL;
	size_t			 i;

	a = xcalloc(1, sizeof *a);
	b = xcalloc(1, sizeof *b);
	c = xcalloc(1, sizeof *c);
	lce_crossing = 1;
	for (i = 0; i < sizeof pols / sizeof *pols; i++) {
		name = rung_policy_name(pols[i]);
		lce_params(&p, pols[i]);
		rung_sched_free(drive_lce(make(&p), a, NULL, 0));
		ok(a->early > 0 && strstr(a->log, "DONE") != NULL,
		    "%s: runs to DONE and stops %u trials early", name,
		    a->early);
		rung_sched_free(drive_lce(make(&p), b, a->last, 0));
		ok(strcmp(a->log, b->log) == 0 && a->steps == b->steps,
		    "%s: NaN after each trial's last step changes nothing",
		    name);
		rung_sched_free(drive_lce(make(&p), c, NULL, 1));
		ok(strcmp(a->log, c->log) == 0 && a->steps == c->steps,
		    "%s: saved and restored along the way, the same "
		    "decisions", name);

		lce_params(&p, bases[i]);
		rung_sched_free(drive_lce(make(&p), b, NULL, 0));
		ok(a->steps < b->steps, "%s costs less than %s on crossing "
		    "curves: %llu < %llu steps", name,
		    rung_policy_name(bases[i]), (unsigned long long)a->steps,
		    (unsigned long long)b->steps);
	}

	/* Never crossing: cheaper still, and the same best returned. */
	lce_crossing = 0;
	for (i = 0; i < sizeof pols / sizeof *pols; i++) {
		name = rung_policy_name(pols[i]);
		lce_params(&p, pols[i]);
		rung_sched_free(drive_lce(make(&p), a, NULL, 0));
		lce_params(&p, bases[i]);
		rung_sched_free(drive_lce(make(&p), b, NULL, 0));
		ok(a->steps < b->steps && a->best == b->best, "never "
		    "crossing: %s costs %llu steps to %s's %llu, best %g and "
		    "%g", name, (unsigned long long)a->steps,
		    rung_policy_name(bases[i]), (unsigned long long)b->steps,
		    a->best, b->best);
	}
	lce_crossing = 1;

	/* delta 1 is z infinite: only non-finite points stop. */
	lce_params(&p, RUNG_POLICY_LCE);
	p.delta = 1;
	rung_sched_free(drive_lce(make(&p), a, NULL, 0));
	is_int(a->early, 0, "lce with delta 1 stops nothing");
	p.delta = 0;
	is_int(rung_sched_new(&p, &s, &cause), -1, "lce refuses delta 0");
	is_str(cause, "delta must be in (0, 1]", "and says why");
	free(cause);

	/* A diverged point stops at once, with or without an incumbent. */
	p.delta = 0.99;
	s = make(&p);
	start(s);
	is_int(rung_sched_report(s, 0, 1, 1.0), RUNG_CONTINUE, "lce: step 1 "
	    "continues");
	is_int(rung_sched_report(s, 0, 2, NAN), RUNG_STOP, "lce: NaN at step "
	    "2 stops");
	rung_sched_free(s);
	free(a);
	free(b);
	free(c);
}

int
main(void)
{
	test_hyperband_table();
	test_ray_hyperband();
	test_quantile();
	test_ray();
	test_syne_optuna();
	test_divergence();
	test_runs();
	test_errors();
	test_table();
	test_asha_svr_partial();
	test_lce();
	return done_testing();
}
