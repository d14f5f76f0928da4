/*
 * The interactive explorer: ncurses screens over a study (studies, trials
 * and curves, fit, replay, command output) and a GNU readline command line
 * that runs every shell command. `rung` on a terminal and `rung tui` open
 * it.
 */
#ifndef RUNG_TUI_H
#define RUNG_TUI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "rung/import.h"
#include "rung/study.h"

struct rung_ctx;

struct rung_tui_opts {
	const char	*study;		/* open it; NULL: the studies screen */
	const char	*metric;	/* NULL: the metric of interest */
	enum rung_direction direction;	/* 0: the metric's own */
	int		 ascii;		/* no Unicode glyphs */
	int		 logy;
	long		 bench_keys;	/* > 0: feed that many keys, time them */
};

/*
 * rung tui --follow: a follower (rung/follow.h) of paths into study, read
 * as fmt, on a thread with its own connection to db, until
 * rung_tui_follow_stop.
 */
int		 rung_tui_follow_start(const char *db, char *const *paths,
		     size_t n, const char *study, enum rung_format fmt,
		     char **cause);
void		 rung_tui_follow_stop(void);

/* Run the explorer until the user quits; returns an exit status. */
int		 rung_tui_run(struct rung_ctx *, const struct rung_tui_opts *);

/* Print the key table, one key binding a line: keys, screens, action. */
void		 rung_tui_list_keys(FILE *);

/*
 * Filter expressions over the trials of a study, parsed by hand (no SQL is
 * ever built from them):
 *
 *	expr := term { ("or" | "||") term }
 *	term := fact { ("and" | "&&") fact }
 *	fact := ("not" | "!") fact | "(" expr ")" | cmp
 *	cmp  := field op value | value op field
 *	op   := "<" | "<=" | ">" | ">=" | "==" | "=" | "!=" | "~" | "!~"
 *
 * A field is id, status, steps, points, best, final, predicted (pred) or a
 * parameter name; a value is a number, a quoted string or a bare word.
 * "~" tests for a substring, case-insensitively.
 */
struct rung_filter;

struct rung_filter *rung_filter_parse(const char *text,
		     const struct rung_study *, char **cause);
/* pred: predicted final values per trial, or NULL when none. */
int		 rung_filter_match(const struct rung_filter *,
		     const struct rung_study *, const double *pred,
		     uint32_t trial);
void		 rung_filter_free(struct rung_filter *);

/*
 * Ticks of an axis from lo to hi: the multiples of 1, 2 or 5 times a power
 * of ten inside [lo, hi], at most max of them, the finest such; whole
 * numbers only when integer (an axis of steps has no step 50.5). Writes
 * them to ticks[0..max) in order; returns how many.
 */
int		 rung_tui_ticks(double lo, double hi, int integer, int max,
		     double *ticks);

/* Split a command line as sh would (quotes, backslashes); NULL-ended. */
char		**rung_split_line(const char *line, int *argc, char **cause);
void		 rung_free_argv(char **);

#endif
