/*
 * Campaigns of rung launch as the store reads them for others: the
 * explorer's launch screen (the newest campaign, its trials, its events)
 * and rung show (a launched trial's record). The engine's own reads and
 * writes are in src/launch-int.h (ldb_*).
 */
#ifndef RUNG_STORE_LAUNCH_H
#define RUNG_STORE_LAUNCH_H

#include <stdint.h>

struct rung_store;

/* A row of launches, with its study's name and metric. */
struct rung_launch_campaign {
	int64_t		 id;
	char		*study;
	char		*policy;
	char		*status;
	int64_t		 pid;		/* 0: none */
	char		*host;
	int64_t		 steps;
	char		*updated;	/* or created */
	char		*message;
	char		*metric;
};
void		 rung_launch_campaign_release(struct rung_launch_campaign *);

/*
 * The campaign of study, or the newest one when study is NULL: 0, 1 when
 * there is none, -1 with *cause (a database without launches says so).
 */
int		 rung_store_launch_campaign(struct rung_store *,
		     const char *study, struct rung_launch_campaign *,
		     char **cause);

/* A trial of a campaign, in the order of its handles. */
struct rung_launch_row {
	char		*id;		/* trials.ext_id */
	char		*state;
	int32_t		 step;		/* seen */
	int32_t		 target;
	uint32_t	 runs;
	char		*gpus;
	char		*decision;
	int32_t		 dstep;
	char		*reason;
	char		*log;
	double		 value;		/* the metric's last, or NAN */
};
void		 rung_launch_rows_free(struct rung_launch_row *, uint32_t n);
/* 0, or -1 with *cause (SQLite's message). */
int		 rung_store_launch_rows(struct rung_store *, int64_t launch_id,
		     struct rung_launch_row **, uint32_t *n, char **cause);

/* An event, newest first. */
struct rung_launch_event {
	char		*at;		/* HH:MM:SS */
	char		*event;
	char		*trial;		/* "" of the campaign */
	int		 has_step;
	int64_t		 step;
	char		*detail;	/* "" when none */
};
void		 rung_launch_events_free(struct rung_launch_event *,
		     uint32_t n);
/* The newest max events: 0, or -1 with *cause (SQLite's message). */
int		 rung_store_launch_events(struct rung_store *,
		     int64_t launch_id, uint32_t max,
		     struct rung_launch_event **, uint32_t *n, char **cause);

/* A launched trial's row of launch_trials; NULL text is SQL's NULL. */
struct rung_launch_record {
	char		*state;
	int64_t		 handle;
	int64_t		 runs;
	int		 has_target;
	int64_t		 target;
	char		*gpus;
	char		*decision;
	int		 has_decision_step;
	int64_t		 decision_step;
	char		*reason;
	int		 has_exit_code;
	int64_t		 exit_code;
	int		 has_exit_signal;
	int64_t		 exit_signal;
	char		*log;
	char		*log_tail;
	char		*params;
	char		*started;
	char		*updated;
	char		*log_incomplete; /* why its log is incomplete */
};
void		 rung_launch_record_release(struct rung_launch_record *);
/* 1 with the record of the trial, 0 when it was not launched. */
int		 rung_store_launch_record(struct rung_store *,
		     int64_t trial_rowid, struct rung_launch_record *);

#endif
