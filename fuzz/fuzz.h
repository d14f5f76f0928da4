/*
 * What the libFuzzer targets share (fuzz/common.c): a scratch directory,
 * an import of a file or directory through `rung import` into an in-memory
 * store (emptied after each input), and the checks made after it.
 * Targets are built and run by fuzz/run.sh (make fuzz); fuzz/README says
 * how.
 */
#ifndef RUNG_FUZZ_H
#define RUNG_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int	 LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	 LLVMFuzzerInitialize(int *, char ***);

/* Once per process: silence messages, make the scratch directory. */
void	 fuzz_init(void);
/* The scratch directory (removed at exit). */
const char *fuzz_dir(void);
/* Write data to NAME in the scratch directory; returns its path. */
char	*fuzz_write(const char *name, const void *data, size_t len);
/* Empty the scratch directory. */
void	 fuzz_clean(void);

/*
 * The first byte of an input picks one of n option sets (a NULL-ended list
 * of words each); the rest is the data.
 */
const char *const *fuzz_pick(const char *const *const *sets, size_t n,
	     const uint8_t **data, size_t *size);

/*
 * `rung import OPTS... PATH` into the empty in-memory database; then every
 * study it made is listed, exported as JSON Lines and imported back. An
 * import that fails must leave the database empty, and an export must read
 * back: abort() says when not. Returns the import's exit status.
 */
int	 fuzz_import(const char *const *opts, const char *path);
/*
 * A target whose input is one file: the option set picked by the first
 * byte, the rest written to NAME and imported, the scratch emptied.
 */
void	 fuzz_import_input(const char *const *const *sets, size_t n,
	     const char *name, const uint8_t *data, size_t size);
/*
 * A tree of files under dir from an input that is a sequence of files,
 * each introduced by a line "=== RELATIVE/PATH": paths of at most maxdepth
 * names of [A-Za-z0-9._,=+-] (not "." or ".."), other bytes becoming '_';
 * text before the first header is ignored.
 */
void	 fuzz_tree(const char *dir, const uint8_t *data, size_t size,
	     size_t maxdepth);
/*
 * A target whose input is a folder: the option set picked by the first
 * byte, the rest made a tree (fuzz_tree) under NAME and imported, the
 * scratch emptied.
 */
void	 fuzz_tree_input(const char *const *const *sets, size_t n,
	     const char *name, size_t maxdepth, const uint8_t *data,
	     size_t size);

#endif
