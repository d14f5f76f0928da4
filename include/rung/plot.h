/*
 * Plots through gnuplot. A plot is a gnuplot script: commands, and named
 * data sets of numbers. rung runs the real gnuplot on it through a pipe
 * (no shell), the data inline as data blocks, and can write the same
 * script out as a standalone plot.gp beside one NAME.dat per data set.
 *
 * Nothing taken from data ever becomes a command: data sets hold only
 * numbers, and labels (study, trial, metric and parameter names) enter the
 * commands only through rung_plot_quote, a single-quoted gnuplot string
 * whose control characters are escaped (rung_esc_next), whose backquotes
 * are left out and whose quotes are doubled. The
 * script never uses a macro (@).
 */
#ifndef RUNG_PLOT_H
#define RUNG_PLOT_H

#include <stdio.h>

#include "rung/util.h"

enum rung_plot_term {
	RUNG_PLOT_DUMB = 0,	/* text (.txt, or stdout) */
	RUNG_PLOT_PNG,		/* pngcairo */
	RUNG_PLOT_SVG,		/* svg */
	RUNG_PLOT_PDF,		/* pdfcairo */
	RUNG_PLOT_WINDOW,	/* qt, wxt or x11 */
};

/* Where and how a plot is drawn. */
struct rung_plot_target {
	enum rung_plot_term term;
	const char	*window;	/* RUNG_PLOT_WINDOW: qt, wxt or x11 */
	const char	*path;		/* the file; NULL: stdout or a window */
	/* Pixels (pdf: at 96 an inch); characters for dumb. */
	int		 width;
	int		 height;
};

/* The terminal of a file name's extension (.png .svg .pdf .txt); -1 if none. */
int		 rung_plot_term_of(const char *path);
const char	*rung_plot_term_name(enum rung_plot_term);
void		 rung_plot_default_size(enum rung_plot_term, int *w, int *h);
/* "WxH" within the terminal's limits; -1 with *cause if not. */
int		 rung_plot_size_parse(const char *, enum rung_plot_term,
		     int *w, int *h, char **cause);

/*
 * The program run: $RUNG_GNUPLOT, else gnuplot found on PATH.
 * rung_plot_window asks it which interactive terminal it has: qt, wxt or
 * x11 in that order (static strings), NULL when none (gnuplot-nox); -1
 * with *cause when gnuplot cannot be run.
 */
const char	*rung_plot_program(void);
int		 rung_plot_window(const char **name, char **cause);

struct rung_plot;

struct rung_plot *rung_plot_new(void);
void		 rung_plot_free(struct rung_plot *);

/*
 * Commands. rung_plot_cmd appends text (never give it anything read from
 * data: quote labels with rung_plot_quote, write numbers with %g or
 * rung_plot_num); rung_plot_ref refers to a data set, as $NAME inline or
 * 'NAME.dat' in plot.gp.
 */
void		 rung_plot_cmd(struct rung_plot *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
void		 rung_plot_quote(struct rung_plot *, const char *);
void		 rung_plot_num(struct rung_plot *, double);
void		 rung_plot_ref(struct rung_plot *, const char *name);
/* The quoting alone: 'text', control characters escaped, ` left out. */
void		 rung_plot_quote_buf(struct rung_buf *, const char *);

/*
 * Data. rung_plot_data starts (or goes back to) the data set name (letters,
 * digits and _), rung_plot_row adds a row of n numbers to it (non-finite
 * ones as NaN, which gnuplot skips), rung_plot_gap one blank line (a break
 * in a line) or two (a new block, for "index").
 */
void		 rung_plot_data(struct rung_plot *, const char *name);
void		 rung_plot_row(struct rung_plot *, int n, ...);
void		 rung_plot_gap(struct rung_plot *, int blank_lines);
/* Rows in the current data set (0 before any). */
size_t		 rung_plot_rows(const struct rung_plot *);

/*
 * The whole script: for the pipe (files 0: data blocks inline, output to
 * stdout) or plot.gp (files 1: the .dat files, output to the base name
 * of the target's path, a window waiting to be closed). Allocated.
 */
char		*rung_plot_script(const struct rung_plot *,
		     const struct rung_plot_target *, int files);
/*
 * Run gnuplot on the script: the image goes to the target's path (written
 * beside and renamed, never half-written), to out (text), or to a window.
 * What gnuplot says on stderr reaches the user: as warnings when it
 * succeeds, in *cause when it fails.
 */
int		 rung_plot_render(const struct rung_plot *,
		     const struct rung_plot_target *, FILE *out, char **cause);
/* Write DIR/plot.gp and DIR/NAME.dat (DIR made if missing). */
int		 rung_plot_export(const struct rung_plot *,
		     const struct rung_plot_target *, const char *dir,
		     char **cause);
/* The base name plot.gp writes to: the path's, or plot.EXT if unsafe. */
char		*rung_plot_export_name(const struct rung_plot_target *);

/*
 * Axis labels that stay apart. rung_plot_tic_step: the step between tics,
 * 1, 2 or 5 times a power of ten (1 at least when integer), for at most
 * maxtics of them over span. rung_plot_stagger: labels centred at pos[i]
 * and w[i] wide (ascending, in one unit, a gap of one between them) to
 * rows: row[i] 0, 1 for a second row where a neighbour on the first is too
 * close, -1 left out where both are; returns the rows used.
 */
double		 rung_plot_tic_step(double span, int maxtics, int integer);
int		 rung_plot_stagger(const double *pos, const double *w, int n,
		     int *row);

#endif
