/*
 * The insides of rung_import shared by import.c (the importers' table, the
 * import itself) and import-paths.c (what the paths given stand for, and
 * the names of the trials a file holds without an id).
 */
#ifndef RUNG_IMPORT_INT_H
#define RUNG_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "rung/import.h"

struct pathlist {
	char		**v;
	uint8_t		 *isdir;	/* a directory format's: its rung_format */
	size_t		 *rootlen;	/* of the folder named on the command
					   line it was found under, or of its
					   own folder when it was named */
	uint8_t		 *found;	/* found under a folder, not named */
	size_t		  n;
	size_t		  cap;
};

/* The format of the table whose directories dir is one of, or AUTO. */
enum rung_format import_dir_format(const char *dir, enum rung_format forced);

/*
 * Add what path stands for to pl: a file, a directory a format reads whole,
 * or the files under a directory, in name order. With filter, the files
 * under a directory pass --include and --exclude, and the parameter files
 * of run folders are left out (they are not logs).
 */
int		 import_expand(struct pathlist *, const char *path,
		     const struct rung_import_opts *, int filter,
		     char **cause);
void		 import_paths_release(struct pathlist *);
/*
 * The name of the trials each file of pl holds without an id; twin[i] the
 * index of another file with that name, or SIZE_MAX; *common the last
 * folder the files share when their stems alone do not tell them apart.
 */
void		 import_name_files(const struct pathlist *, char **names,
		     size_t *twin, char **common);

#endif
