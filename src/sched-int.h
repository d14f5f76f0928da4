/*
 * Internals of the schedulers, shared by src/sched.c, src/sched-hyperband.c
 * and src/sched-asha.c; callers use include/rung/sched.h only.
 */
#ifndef RUNG_SCHED_INT_H
#define RUNG_SCHED_INT_H

#include "rung/sched.h"

struct rung_sched_entry {
	uint32_t	 trial;
	uint8_t		 flag;		/* RUNG_SEL_* */
	double		 value;
};
enum { RUNG_SEL_NONE = 0, RUNG_SEL_CHOSEN, RUNG_SEL_DONE };	/* promoted: chosen, resumed */

struct rung_sched_rung {
	double		 milestone;	/* resource in steps */
	struct rung_sched_entry *e;	/* in arrival order */
	uint32_t	 n;
	size_t		 cap;
};

struct rung_sched_bracket {
	uint32_t	 nrungs;
	struct rung_sched_rung *rungs;
};

struct rung_sched_trial {
	uint32_t	 bracket;
	uint32_t	 rung;		/* the rung it runs towards */
	uint8_t		 state;		/* enum rung_trial_state */
	int32_t		 target;	/* pause (or finish) at this step */
	int32_t		 step;		/* last step reported */
	uint64_t	 recorded;	/* asha stop: rungs recorded, a bit each */
};

struct rung_sched {
	struct rung_sched_params p;

	struct rung_sched_trial *t;
	uint32_t	 nt;
	size_t		 tcap;

	struct rung_sched_bracket *b;
	uint32_t	 nb;

	/* sha and hyperband: the table and where the run is in it. */
	struct rung_hb_bracket *hb;
	int		 nhb;
	uint32_t	 cur;		/* bracket */
	uint32_t	 round;
	uint32_t	 want;		/* trials this round runs */
	uint32_t	 issued;	/* started or resumed in this round */
	uint32_t	 done;		/* reported at the round's resource */

	uint64_t	 rng;		/* Ray's bracket choice */
};

uint32_t	 rung_sched_add_trial(struct rung_sched *, uint32_t bracket,
		     uint32_t rung, int32_t target);
void		 rung_sched_record(struct rung_sched *, uint32_t bracket,
		     uint32_t rung, uint32_t trial, double value);
void		 rung_sched_rank(const struct rung_sched_rung *, uint32_t *idx);
void		 rung_sched_bracket_init(struct rung_sched_bracket *,
		     uint32_t nrungs);

int		 rung_sched_hb_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_hb_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_hb_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_hb_lost(struct rung_sched *, uint32_t);
enum rung_action_kind rung_sched_random_next(struct rung_sched *,
		     struct rung_sched_action *);

int		 rung_sched_asha_setup(struct rung_sched *, char **);
enum rung_action_kind rung_sched_asha_next(struct rung_sched *,
		     struct rung_sched_action *);
enum rung_decision rung_sched_asha_report(struct rung_sched *, uint32_t,
		     int32_t, double);
void		 rung_sched_asha_lost(struct rung_sched *, uint32_t);

#endif
