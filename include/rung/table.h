/*
 * Aligned text tables for listings on a terminal or in a pipe.
 */
#ifndef RUNG_TABLE_H
#define RUNG_TABLE_H

#include <stdio.h>

struct rung_table;

/* Columns whose header starts with '>' are right-aligned (numbers). */
struct rung_table *rung_table_new(const char *const *headers, int ncols);
void		 rung_table_add(struct rung_table *, const char *const *cells);
/* Aligned, cells escaped (rung_esc) and their widths those of the escapes. */
void		 rung_table_print(struct rung_table *, FILE *);
/* One RFC 4180 field, quoted where needed, its bytes exact. */
void		 rung_csv_field(FILE *, const char *);
/* RFC 4180 CSV: the header row, then the rows, cells quoted where needed. */
void		 rung_table_print_csv(struct rung_table *, FILE *);
void		 rung_table_free(struct rung_table *);

#endif
