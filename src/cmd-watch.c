/*
 * rung watch: a study summed up in one line, again whenever the database
 * changes (another process imported, followed or launched into it): for a
 * tmux pane on a login node, or a log file. On a terminal the line is
 * redrawn in place; piped, a line is written each time what it says
 * changes (not its rate alone), and nothing else.
 */
#include "config.h"

#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/forecast.h"
#include "rung/jsonout.h"
#include "rung/store.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

enum { OPT_INTERVAL = 256, OPT_ONCE };

static const struct option watch_longopts[] = {
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "once", no_argument, NULL, OPT_ONCE },
	{ NULL, 0, NULL, 0 }
};

static volatile sig_atomic_t watch_stop;

static void
watch_signal(int sig)
{
	(void)sig;
	watch_stop = 1;
}

/* What a line says. */
struct summary {
	uint32_t	 n[RUNG_NSTATUS];
	uint64_t	 points;
	double		 best;
	char		*best_trial;
	double		 lead;		/* the best forecast of a running trial */
	double		 lead_p;
	char		*lead_trial;
	int32_t		 target;
};

static void
summary_release(struct summary *m)
{
	free(m->best_trial);
	free(m->lead_trial);
	memset(m, 0, sizeof *m);
}

/*
 * The forecasts made so far, by trial id: a trial's is made again only
 * when it has points it did not have (or the incumbent moved), so that a
 * campaign of many running trials costs a fit for each trial that
 * reported, not for all of them, at each change.
 */
struct fcache {
	struct fentry {
		char		*id;	/* NULL: a free slot */
		uint32_t	 npoints;
		int32_t		 target;
		double		 ystar;
		struct rung_forecast fc;
	}		*v;
	size_t		 cap;		/* a power of two */
	size_t		 n;
	uint64_t	 fits;		/* made, for --json */
};

static struct fentry *
fcache_slot(struct fcache *c, const char *id)
{
	struct fentry	*old = c->v;
	size_t		 i, oldcap = c->cap;
	uint64_t	 h;

	if (c->n * 2 >= c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = xcalloc(c->cap, sizeof *c->v);
		c->n = 0;
		for (i = 0; i < oldcap; i++) {
			if (old[i].id != NULL)
				*fcache_slot(c, old[i].id) = old[i];
		}
		free(old);
	}
	h = rung_hash_str(id);
	for (i = h & (c->cap - 1); c->v[i].id != NULL &&
	    strcmp(c->v[i].id, id) != 0; i = (i + 1) & (c->cap - 1))
		;
	if (c->v[i].id == NULL) {
		c->v[i].id = xstrdup(id);
		c->v[i].npoints = UINT32_MAX;
		c->n++;
	}
	return &c->v[i];
}

static void
fcache_release(struct fcache *c)
{
	size_t	 i;

	for (i = 0; i < c->cap; i++)
		free(c->v[i].id);
	free(c->v);
	memset(c, 0, sizeof *c);
}

static void
sum_up(const struct rung_study *s, struct fcache *cache, struct summary *m)
{
	struct rung_forecaster	 f;
	struct rung_forecast	 fc;
	struct fentry		*e;
	double			 ystar, v;
	uint32_t		 t, best = UINT32_MAX, lead = UINT32_MAX;

	memset(m, 0, sizeof *m);
	m->best = m->lead = m->lead_p = NAN;
	m->target = s->max_step;
	m->points = s->curve.off[s->ntrials];
	for (t = 0; t < s->ntrials; t++) {
		m->n[s->status[t]]++;
		v = rung_trial_best(s, t);
		if (isfinite(v) && (best == UINT32_MAX ||
		    rung_better(s->direction, v, m->best))) {
			best = t;
			m->best = v;
		}
	}
	if (best != UINT32_MAX)
		m->best_trial = rung_esc(s->ids[best]);
	rung_forecaster_init(&f);
	ystar = rung_study_incumbent(s, s->max_step, -1);
	for (t = 0; t < s->ntrials; t++) {
		if (s->status[t] != RUNG_RUNNING)
			continue;
		e = fcache_slot(cache, s->ids[t]);
		if (e->npoints != rung_curve_len(s, t) ||
		    e->target != s->max_step ||
		    !(e->ystar == ystar || (isnan(e->ystar) && isnan(ystar))) ||
		    e->fc.verdict == RUNG_VERDICT_DONE) {
			rung_forecast(&f, s, t, s->max_step, ystar, &e->fc);
			e->npoints = rung_curve_len(s, t);
			e->target = s->max_step;
			e->ystar = ystar;
			cache->fits++;
		}
		fc = e->fc;
		if (isfinite(fc.value) && (lead == UINT32_MAX ||
		    rung_better(s->direction, fc.value, m->lead))) {
			lead = t;
			m->lead = fc.value;
			m->lead_p = fc.p_best;
		}
	}
	rung_forecaster_release(&f);
	if (lead != UINT32_MAX)
		m->lead_trial = rung_esc(s->ids[lead]);
}

/* The line, less its rate: what a change is judged by. */
static void
say(struct rung_buf *b, const char *study, const struct summary *m)
{
	char	 v[RUNG_DBL_BUFSZ];

	b->len = 0;
	rung_buf_printf(b, "%s: %u trials (%u complete, %u stopped, %u failed, "
	    "%u running), %llu points", study, m->n[RUNG_COMPLETE] +
	    m->n[RUNG_STOPPED] + m->n[RUNG_FAILED] + m->n[RUNG_RUNNING],
	    m->n[RUNG_COMPLETE], m->n[RUNG_STOPPED], m->n[RUNG_FAILED],
	    m->n[RUNG_RUNNING], (unsigned long long)m->points);
	if (m->best_trial != NULL)
		rung_buf_printf(b, "; best %s (%s)", rung_fmt_human(m->best, v),
		    m->best_trial);
	if (m->lead_trial != NULL) {
		rung_buf_printf(b, "; forecast leader %s, %s at step %d",
		    m->lead_trial, rung_fmt_human(m->lead, v), m->target);
		if (!isnan(m->lead_p))
			rung_buf_printf(b, " (P best %.2f)", m->lead_p);
	}
}

static json_object *
summary_json(const char *study, const struct summary *m, double rate,
    uint64_t fits)
{
	json_object	*o = json_object_new_object(), *st;
	int		 i;

	json_object_object_add(o, "study", json_object_new_string(study));
	st = json_object_new_object();
	for (i = 0; i < RUNG_NSTATUS; i++)
		json_object_object_add(st, rung_status_name(i),
		    json_object_new_int64(m->n[i]));
	json_object_object_add(o, "trials", st);
	json_object_object_add(o, "points", json_object_new_int64(
	    (int64_t)m->points));
	json_object_object_add(o, "best", rung_json_double(m->best, 0));
	json_object_object_add(o, "best_trial", m->best_trial != NULL ?
	    json_object_new_string(m->best_trial) : NULL);
	json_object_object_add(o, "forecast_leader", m->lead_trial != NULL ?
	    json_object_new_string(m->lead_trial) : NULL);
	json_object_object_add(o, "forecast", rung_json_double(m->lead, 0));
	json_object_object_add(o, "p_best", rung_json_double(m->lead_p, 0));
	json_object_object_add(o, "target", json_object_new_int(m->target));
	json_object_object_add(o, "points_per_minute",
	    rung_json_double(rate, 0));
	json_object_object_add(o, "forecasts_made", json_object_new_int64(
	    (int64_t)fits));
	return o;
}

static int
cmd_watch_exec(struct rung_ctx *ctx, struct rung_args *args)
{
	struct rung_study	*s;
	struct summary		 m;
	struct fcache		 cache;
	struct rung_buf		 line = { 0 }, last = { 0 };
	struct sigaction	 sa, oldint, oldterm;
	double			 interval = 2, t0 = rung_now(), until, rate;
	uint64_t		 points0 = 0;
	int64_t			 ver, seen = -2;
	char			*cause = NULL, *name;
	int			 once, first = 1, ret = RUNG_EXIT_OK;

	if (rung_args_real_opt(args, "watch", OPT_INTERVAL, "interval", 0,
	    86400, 1, "a number of seconds above 0 and at most 86400",
	    &interval) != 0)
		return RUNG_EXIT_USAGE;
	once = rung_args_has(args, OPT_ONCE) || ctx->in_tui;
	memset(&cache, 0, sizeof cache);
	name = rung_esc(args->argv[0]);
	watch_stop = 0;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = watch_signal;
	sigemptyset(&sa.sa_mask);
	if (!once) {
		sigaction(SIGINT, &sa, &oldint);
		sigaction(SIGTERM, &sa, &oldterm);
	}
	while (!watch_stop) {
		ver = rung_store_data_version(ctx->store);
		if (ver != seen || ver < 0) {
			seen = ver;
			if (rung_ctx_load(ctx, args->argv[0], args, 0, &s,
			    &cause) != 0) {
				rung_error("%s", cause);
				free(cause);
				ret = RUNG_EXIT_ERROR;
				break;
			}
			sum_up(s, &cache, &m);
			rung_study_free(s);
			if (first)
				points0 = m.points;
			rate = rung_now() - t0 > 1 ? (double)(m.points -
			    points0) / ((rung_now() - t0) / 60) : NAN;
			say(&line, name, &m);
			if (ctx->format == RUNG_OUT_JSON) {
				if (first || strcmp(rung_buf_cstr(&line),
				    rung_buf_cstr(&last)) != 0) {
					rung_json_print(ctx->out,
					    summary_json(args->argv[0], &m,
					    rate, cache.fits), 0);
					fflush(ctx->out);
				}
			} else if (ctx->tty && !once) {
				/* Redrawn in place: the line, then its rate. */
				fprintf(ctx->out, "\r\033[K%s",
				    rung_buf_cstr(&line));
				if (!isnan(rate))
					fprintf(ctx->out, "; %.0f points/min",
					    rate);
				fflush(ctx->out);
			} else if (first || strcmp(rung_buf_cstr(&line),
			    rung_buf_cstr(&last)) != 0) {
				fprintf(ctx->out, "%s\n", rung_buf_cstr(&line));
				fflush(ctx->out);
			}
			last.len = 0;
			rung_buf_addstr(&last, rung_buf_cstr(&line));
			summary_release(&m);
			first = 0;
		}
		if (once)
			break;
		for (until = rung_now() + interval; !watch_stop &&
		    rung_now() < until;)
			poll(NULL, 0, 100);
	}
	if (ctx->tty && !once && ctx->format != RUNG_OUT_JSON)
		fputc('\n', ctx->out);
	if (!once) {
		sigaction(SIGINT, &oldint, NULL);
		sigaction(SIGTERM, &oldterm, NULL);
	}
	rung_buf_release(&line);
	rung_buf_release(&last);
	fcache_release(&cache);
	free(name);
	return ret;
}

const struct rung_cmd_entry rung_cmd_watch_entry = {
	.name = "watch",
	.usage = "[--interval seconds] [--once] study",
	.summary = "sum up a study in a line, again whenever it changes",
	.shortopts = "",
	.longopts = watch_longopts,
	.minargs = 1,
	.maxargs = 1,
	.flags = RUNG_CMD_STORE_RO | RUNG_CMD_METRIC | RUNG_CMD_JSON,
	.exec = cmd_watch_exec,
};
