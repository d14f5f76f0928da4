/*
 * Allocation that never returns NULL: running out of memory is fatal, as in
 * tmux and git, so callers need no error path for it.
 */
#ifndef RUNG_XMALLOC_H
#define RUNG_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
int	 xasprintf(char **, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 xvasprintf(char **, const char *, va_list);
char	*xprintf(const char *, ...) __attribute__((format(printf, 1, 2)));

/* Grow an array to hold at least need elements; *cap is updated. */
#define XGROW(ptr, cap, need) do {					\
	if ((size_t)(need) > (cap)) {					\
		size_t xg_n = (cap) ? (cap) : 16;			\
		while (xg_n < (size_t)(need))				\
			xg_n *= 2;					\
		(ptr) = xreallocarray((ptr), xg_n, sizeof *(ptr));	\
		(cap) = xg_n;						\
	}								\
} while (0)

#endif
