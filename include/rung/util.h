/*
 * Small helpers shared by every module: number parsing and printing that
 * round-trips exactly, messages, progress on a terminal, file reading.
 */
#ifndef RUNG_UTIL_H
#define RUNG_UTIL_H

#include <pthread.h>
#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

#define RUNG_DBL_BUFSZ 32

/*
 * Parse the whole of s[0..len) as a double. Accepts what strtod accepts plus
 * the tokens Python and R write for non-finite values: nan, NaN, inf, Inf,
 * Infinity, -Infinity (any case). Leading and trailing blanks are allowed.
 * Returns 0 on success, -1 if the text is not a number.
 */
int	 rung_parse_double(const char *s, size_t len, double *out);
/*
 * Start a helper thread that costs little address space: a 1 MiB stack,
 * not the 8 MiB default, and (glibc) no malloc arena of its own, for
 * which glibc reserves 64 MiB: an import run under a ulimit -v sized for
 * one thread still fits (t0146). Returns pthread_create's 0 or errno.
 */
int	 rung_thread_start(pthread_t *, void *(*)(void *), void *);
/* Parse the whole of s[0..len) as a decimal int64; -1 if not one. */
int	 rung_parse_int64(const char *s, size_t len, int64_t *out);
/* True when s[0..len) is written as an integer (no point, no exponent). */
int	 rung_is_int_text(const char *s, size_t len);
/*
 * Print v with the fewest digits that read back as the same double
 * ("0.1", not "0.10000000000000001"); non-finite values as NaN, Infinity,
 * -Infinity. always_real appends ".0" to integral values so that a reader
 * keeps them real. Returns buf.
 */
char	*rung_fmt_double(double v, int always_real, char buf[RUNG_DBL_BUFSZ]);
/* Print a value for people: %.6g, non-finite as nan/inf/-inf. */
char	*rung_fmt_human(double v, char buf[RUNG_DBL_BUFSZ]);

/*
 * Messages. The TUI redirects them to its panel through the hook. A message
 * quotes names, ids and values from data: it is written escaped as
 * rung_buf_add_esc does, newlines too, on a terminal, in a pipe and in the
 * TUI alike, so that no data can move the cursor, set a title or clear the
 * screen, and a message is one line.
 */
extern const char *rung_progname;
extern void (*rung_msg_hook)(int is_error, const char *msg);
void	 rung_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 rung_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	 rung_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern int rung_quiet;

/*
 * Progress for long work: drawn on stderr only when stderr is a terminal,
 * at most ten times a second; silent when piped.
 */
struct rung_progress {
	const char	*label;
	uint64_t	 total;
	uint64_t	 done;
	int		 enabled;
	double		 last;
};
void	 rung_progress_start(struct rung_progress *, const char *label,
	     uint64_t total);
void	 rung_progress_update(struct rung_progress *, uint64_t done);
void	 rung_progress_end(struct rung_progress *);

double	 rung_now(void);	/* monotonic seconds */
/* qsort's comparison of two doubles, ascending (no NaN among them). */
int	 rung_cmp_double(const void *, const void *);
int	 rung_cmp_u32(const void *, const void *);	/* uint32_t, for qsort */

/* A growable byte buffer. */
struct rung_buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};
void	 rung_buf_add(struct rung_buf *, const void *, size_t);
void	 rung_buf_addc(struct rung_buf *, char);
void	 rung_buf_addstr(struct rung_buf *, const char *);
void	 rung_buf_printf(struct rung_buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
char	*rung_buf_cstr(struct rung_buf *);	/* NUL-terminated view */
void	 rung_buf_release(struct rung_buf *);

/*
 * Read a whole file, gzip-compressed or not (zlib reads both), into a
 * NUL-terminated buffer. On error returns -1 with *cause set to
 * "cannot open 'path': reason".
 */
int	 rung_read_file(const char *path, char **data, size_t *len,
	     char **cause);
/*
 * Write len bytes of data to path (created or truncated), whole: -1 with
 * *cause naming the path where it cannot be opened or written.
 */
int	 rung_write_file(const char *path, const char *data, size_t len,
	     char **cause);

/*
 * Content digest of a file, after decompression: used to recognise a source
 * that was imported before. Written as "crc32-adler32-size" in hex. A
 * reader that goes through the whole file anyway makes the same digest
 * with rung_digest_add over its bytes in order.
 */
struct rung_digest {
	unsigned long	 crc, adl;
	uint64_t	 total;
};
void	 rung_digest_init(struct rung_digest *);
void	 rung_digest_add(struct rung_digest *, const void *, size_t);
char	*rung_digest_text(const struct rung_digest *);
int	 rung_file_digest(const char *path, char **digest, uint64_t *size,
	     char **cause);

/* Base name without directories and without .gz and one more extension. */
char	*rung_stem(const char *path);
/* dir and name joined with one slash ("runs/" and "a.log": runs/a.log). */
char	*rung_path_join(const char *dir, const char *name);
/*
 * A new file of its own in $TMPDIR (/tmp without it), named
 * stem.XXXXXX, made by mkstemp: its path (to free) and descriptor.
 */
int	 rung_temp_file(const char *stem, char **path, int *fd,
	     char **cause);
/* Lower-case ASCII comparison of a with b. */
int	 rung_strieq(const char *a, const char *b);
/* Case-insensitive substring test. */
int	 rung_strcasestr_has(const char *hay, const char *needle);
/* FNV-1a of a string, for the hash tables of names. */
uint64_t rung_hash_str(const char *s);
/*
 * Names a user may have meant: rung_edit_distance counts the insertions,
 * deletions, substitutions and swaps of neighbours from a to b, case
 * folded. rung_nearest_names writes to out the indices of up to max names
 * within a slip of the keyboard of name (an edit per three characters),
 * nearest first, and returns how many. rung_buf_did_you_mean appends
 * "; did you mean 'a', 'b' or 'c'?" for up to 3 of them and returns 1, or
 * appends nothing and returns 0.
 */
size_t	 rung_edit_distance(const char *a, const char *b);
size_t	 rung_nearest_names(const char *name, char *const *names, size_t n,
	     size_t *out, size_t max);
int	 rung_buf_did_you_mean(struct rung_buf *, const char *name,
	     char *const *names, size_t n);
/*
 * The length of the UTF-8 sequence at p, whose first byte is 0x80 or more,
 * or 0 when it is none (overlong forms, surrogates and values above
 * U+10FFFF are none).
 */
size_t	 rung_utf8_len(const unsigned char *p, const unsigned char *end);
/* Is s[0..len) UTF-8 text? If not, *bad is where it stops being. */
int	 rung_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Text from data as people see it: on a terminal, in an aligned table, in
 * the explorer, in a gnuplot label. A control character (C0, DEL, and C1,
 * U+0080 to U+009F) and a byte that is not part of UTF-8 are written as an
 * escape: \t, \n and \r, and \xNN for any other byte (ESC is \x1b; a C1
 * character, two bytes in UTF-8, is \xc2\x9b). Everything else, a backslash
 * too, is kept as it is, so escaping twice changes nothing: the escaped form
 * is for reading, and --json and --csv keep the exact bytes.
 *
 * rung_esc_next looks at the character at s (avail bytes, avail > 0) and
 * returns its length in bytes; it writes its escape to esc, or an empty
 * string when the character is shown as it is.
 */
#define RUNG_ESC_MAX	9	/* "\xc2\x9b" and its NUL */
size_t	 rung_esc_next(const char *s, size_t avail, char esc[RUNG_ESC_MAX]);
/* Does s[0..len) need escaping? */
int	 rung_esc_needed(const char *s, size_t len);
void	 rung_buf_add_esc(struct rung_buf *, const char *s, size_t len);
/* s escaped, allocated (a copy when nothing needs escaping). */
char	*rung_esc(const char *s);
/*
 * Names of studies, metrics and parameters are shown everywhere and typed
 * back at the prompt: one is refused when empty, when it holds a control
 * character, or when it is not UTF-8. Returns -1 with *cause set to
 * "WHAT 'NAME' ..." (NAME escaped), 0 when name is fine.
 */
int	 rung_name_check(const char *what, const char *name, char **cause);

#endif
