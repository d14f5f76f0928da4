/*
 * The insides of the TensorBoard importer, shared by import-tensorboard.c
 * (the log directory: runs, trials, their names, parameter files) and
 * import-tensorboard-events.c (event files: records, Events, scalars, the
 * hparams plugin).
 */
#ifndef RUNG_IMPORT_TENSORBOARD_INT_H
#define RUNG_IMPORT_TENSORBOARD_INT_H

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/util.h"

#define ARENA_CHUNK	(64 * 1024)
#define RAY_PREFIX	"ray/tune/"

/*
 * protobuf-c allocates every string and submessage of a message it
 * unpacks: an arena, emptied after each record, makes that a pointer
 * bump instead of a malloc and a free each.
 */
struct chunk {
	struct chunk	*next;
	size_t		 size;
	size_t		 used;
	max_align_t	 data[];
};

struct arena {
	struct chunk	*head;		/* the one allocated from */
	struct chunk	*big;		/* larger than a chunk: freed */
};

/* A tag of the run being read, and what it is. */
enum tag_kind {
	TAG_UNKNOWN = 0,	/* no plugin named yet */
	TAG_SCALARS,
	TAG_HPARAMS,
	TAG_OTHER,		/* images, histograms, text... */
};

struct tag {
	char		*name;
	uint64_t	 hash;
	enum tag_kind	 kind;
	int		 have_metric;
	uint32_t	 metric;
	uint64_t	 skipped;	/* values that are no scalar */
};

struct tags {
	struct tag	*v;
	size_t		 n;
	size_t		 cap;
	uint32_t	*slot;		/* index + 1, open addressing */
	size_t		 nslot;
};

/* An event file, and the time its name tells. */
struct evfile {
	char		*path;
	const char	*base;
	uint64_t	 ts;
};

struct run {
	char		*rel;		/* below the log directory; "" for it */
	char		*prefix;	/* "train/", or "" */
	size_t		 trial;
	int		 params_only;	/* add_hparams: scalars not taken */
	struct evfile	*files;
	size_t		 nfiles;
	size_t		 fcap;
};

struct tbtrial {
	char		*rel;
	char		*name;
	int		 has_own;	/* a run of its own, not a split */
};

struct tbctx {
	struct rung_batch *b;
	const struct rung_import_opts *o;
	char		**cause;
	struct arena	 arena;
	ProtobufCAllocator alloc;
	const char	*strip;		/* tag prefix left out, or NULL */
	int		 notime;	/* wall_time left out */

	struct run	*runs;
	size_t		 nruns;
	size_t		 rcap;
	struct tbtrial	*trials;
	size_t		 ntrials;
	size_t		 tcap;

	/* The run being read. */
	uint32_t	 trial;
	const struct run *run;
	struct tags	 tags;
	const char	*path;
	uint64_t	 offset;
	int		 haverow;
	uint32_t	 row;
	int32_t		 step;

	/* What the trial being read has. */
	int		 session;	/* an hparams session's parameters */
	int		 ended;		/* an hparams session's end */
	enum rung_status status;
	uint64_t	 events;	/* events that held a point */
	int32_t		 last;		/* largest step */
	struct rung_buf	 name;
};

/* import-tensorboard-events.c */
void		*tb_arena_alloc(void *, size_t);
void		 tb_arena_free(void *, void *);
void		 tb_arena_reset(struct arena *, int all);
void		 tb_tags_clear(struct tags *);
/* A run's event files, in the order of their times, into c->trial. */
int		 tb_read_run(struct tbctx *, struct run *);
const char	*tb_base_name(const char *path);

#endif /* RUNG_IMPORT_TENSORBOARD_INT_H */
