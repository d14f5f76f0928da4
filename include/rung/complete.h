#ifndef RUNG_COMPLETE_H
#define RUNG_COMPLETE_H

#include <stddef.h>

#include "rung/cmd.h"

/*
 * What the explorer's prompt completes a command's option values and
 * operands from: the words it knows, and the trial ids of a study on
 * request. Apart from readline, so that a test can drive it.
 */
struct rung_completer {
	char	*const *studies;
	size_t	 nstudies;
	char	*const *metrics;	/* of the open study */
	size_t	 nmetrics;
	char	*const *params;		/* of the open study */
	size_t	 nparams;
	/*
	 * The study a command without one gets (the explorer's open one), or
	 * NULL; trial ids come from the study operand, else from it.
	 */
	const char *open_study;
	/* Trial ids of a study, NULL if none; arg is trials_arg. */
	char	*const *(*trials)(void *arg, const char *study, size_t *n);
	void	*trials_arg;
};

/*
 * The candidates for word text of a command line: words[0] is a command of
 * the command table, words[1 .. nwords) the words before text. An option's
 * value (--opt VALUE, --opt=VALUE, -f VALUE) or an operand gets the words
 * its kind lists; in a list (--policy hyperband,as) the items before the
 * last comma stay in front of each candidate. Candidates go to add, whether
 * or not they start with text. Returns 0 if the place takes no known kind
 * of value (then the caller has its own ideas), else 1.
 */
int	 rung_complete_value(const struct rung_completer *,
	     const struct rung_cmd_entry *, char *const *words, int nwords,
	     const char *text, void (*add)(const char *, void *), void *arg);

#endif
