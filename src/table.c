#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "rung/table.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

struct rung_table {
	int		  ncols;
	char		**cells;	/* row-major, header row first */
	size_t		  nrows;
	size_t		  cap;
	int		 *right;
};

struct rung_table *
rung_table_new(const char *const *headers, int ncols)
{
	struct rung_table *t;
	int		 i;
	const char	*h[64];

	t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->right = xcalloc((size_t)ncols, sizeof *t->right);
	for (i = 0; i < ncols && i < 64; i++) {
		t->right[i] = headers[i][0] == '>';
		h[i] = headers[i] + t->right[i];
	}
	rung_table_add(t, h);
	return t;
}

void
rung_table_add(struct rung_table *t, const char *const *cells)
{
	int	 i;

	XGROW(t->cells, t->cap, (t->nrows + 1) * (size_t)t->ncols);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] =
		    xstrdup(cells[i] != NULL ? cells[i] : "");
	t->nrows++;
}

/*
 * Display width of escaped UTF-8 text (parameter values may hold any). In a
 * locale that is not UTF-8 a byte counts one column.
 */
static int
text_width(const char *s)
{
	mbstate_t	 ps;
	wchar_t		 wc;
	size_t		 n;
	int		 w = 0, cw;

	memset(&ps, 0, sizeof ps);
	while (*s != '\0') {
		n = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
		if (n == (size_t)-1 || n == (size_t)-2) {
			memset(&ps, 0, sizeof ps);
			s++;
			w++;
			continue;
		}
		cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += n;
	}
	return w;
}

/*
 * Cells keep the exact bytes for CSV; the aligned table shows them escaped
 * (rung_esc: an id or a value holding ESC sequences must not reach the
 * terminal), and widths are those of the escaped text, so that a column
 * stays aligned whatever a cell holds.
 */
void
rung_table_print(struct rung_table *t, FILE *f)
{
	int	*width, i, w, *cw;
	size_t	 r, n = t->nrows * (size_t)t->ncols, k;
	char	**shown, *c;

	width = xcalloc((size_t)t->ncols, sizeof *width);
	shown = xcalloc(n, sizeof *shown);
	cw = xcalloc(n, sizeof *cw);
	for (k = 0; k < n; k++) {
		/* A copy only where a cell needs escaping; most do not. */
		c = t->cells[k];
		shown[k] = rung_esc_needed(c, strlen(c)) ? rung_esc(c) : c;
		cw[k] = text_width(shown[k]);
		i = (int)(k % (size_t)t->ncols);
		if (cw[k] > width[i])
			width[i] = cw[k];
	}
	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			k = r * (size_t)t->ncols + (size_t)i;
			w = width[i] - cw[k];
			if (t->right[i])
				fprintf(f, "%*s%s", w, "", shown[k]);
			else if (i < t->ncols - 1)
				fprintf(f, "%s%*s", shown[k], w, "");
			else
				fputs(shown[k], f);
			fputs(i < t->ncols - 1 ? "  " : "\n", f);
		}
	}
	for (k = 0; k < n; k++) {
		if (shown[k] != t->cells[k])
			free(shown[k]);
	}
	free(shown);
	free(cw);
	free(width);
}

void
rung_csv_field(FILE *f, const char *s)
{
	size_t	 len = strlen(s);

	/* Quoted when it must be, and with spaces at an end (some readers trim). */
	if (strpbrk(s, ",\"\r\n") == NULL &&
	    (len == 0 || (s[0] != ' ' && s[len - 1] != ' '))) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

void
rung_table_print_csv(struct rung_table *t, FILE *f)
{
	size_t		 r;
	int		 i;
	const char	*c;

	for (r = 0; r < t->nrows; r++) {
		for (i = 0; i < t->ncols; i++) {
			c = t->cells[r * (size_t)t->ncols + (size_t)i];
			if (i > 0)
				fputc(',', f);
			/* "-" stands for no value in the aligned table. */
			if (r == 0 || strcmp(c, "-") != 0)
				rung_csv_field(f, c);
		}
		fputc('\n', f);
	}
}

void
rung_table_free(struct rung_table *t)
{
	size_t	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->right);
	free(t);
}
