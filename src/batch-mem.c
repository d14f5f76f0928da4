/*
 * The memory of a batch's trials: ids, the table that finds them, statuses,
 * parameters and what candidate columns keep of each trial. Rows spill to
 * a file past the batch's budget (batch-spill.c); these arrays, a few tens
 * of bytes a trial, grow with the trials instead, and a few million trials
 * would pass any bound. So once they hold more than half the budget on the
 * heap, each one that grows moves to a temporary file, mapped into memory:
 * the code that reads and writes them is the same, and the batch lets go
 * of their pages as it goes (MADV_DONTNEED), so that what it holds of them
 * at once is bounded too. A page let go keeps its bytes in the file, and the
 * kernel brings it back at the next touch.
 *
 * Why mapped pages, not pages read and written by hand: every access to
 * these arrays stays a plain load or store, and a page the writer's thread
 * reads while the prep thread lets it go is only read again. Why a page
 * let go by the batch, not left to the kernel: a page of a mapped file
 * counts in the process's resident memory until it is unmapped, and a
 * user's limit (a Slurm job's) is on that.
 *
 * Each block, on the heap or mapped, starts with a header that says which,
 * so that growing and freeing one needs no lookup.
 */

#include "config.h"

#include <sys/mman.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/batch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "batch-int.h"

/*
 * Resident pages of mapped blocks the batch lets pass before it lets them
 * go (at most a quarter of its budget), and blocks copied this much at a
 * time.
 */
#define MEM_SLACK	(16 * 1024 * 1024)
#define MEM_CHUNK	(4 * 1024 * 1024)

struct bhdr {
	uint64_t	 bytes;		/* of data, after the header */
	int64_t		 off;		/* in the file; -1: on the heap */
	uint64_t	 at;		/* mapped: its index in mem->maps */
	uint64_t	 pad;		/* data aligned as malloc's */
};

static struct bhdr *
hdr_of(void *p)
{
	return (struct bhdr *)((unsigned char *)p - sizeof (struct bhdr));
}

static size_t
page_round(const struct bmem *m, size_t n)
{
	return (n + (size_t)m->pagesize - 1) / (size_t)m->pagesize *
	    (size_t)m->pagesize;
}

void
batch_mem_init(struct bmem *m)
{
	memset(m, 0, sizeof *m);
	m->fd = -1;
	m->statm = -1;
	m->pagesize = sysconf(_SC_PAGESIZE);
	if (m->pagesize <= 0)
		m->pagesize = 4096;
}

/*
 * Resident pages backed by a file (the mapped blocks among them), in
 * bytes; SIZE_MAX when they cannot be read.
 */
static size_t
resident_shared(struct bmem *m)
{
	char			 buf[128];
	ssize_t			 n;
	unsigned long long	 size, res, shared;

	if (m->statm == -1)
		return SIZE_MAX;
	n = pread(m->statm, buf, sizeof buf - 1, 0);
	if (n <= 0)
		return SIZE_MAX;
	buf[n] = '\0';
	if (sscanf(buf, "%llu %llu %llu", &size, &res, &shared) != 3)
		return SIZE_MAX;
	return (size_t)shared * (size_t)m->pagesize;
}

/* Every mapped block's pages let go: their bytes stay in the file. */
static void
let_go(struct bmem *m)
{
	size_t		 i;
	struct bhdr	*h;

	for (i = 0; i < m->nmaps; i++) {
		h = m->maps[i];
		madvise(h, page_round(m, sizeof *h + h->bytes), MADV_DONTNEED);
	}
	m->base = resident_shared(m);
}

void
batch_mem_trim(struct rung_batch *b)
{
	struct bmem	*m = &b->mem;
	size_t		 slack = batch_budget(b) / 4, now;

	if (slack > MEM_SLACK)
		slack = MEM_SLACK;
	now = resident_shared(m);
	if (now != SIZE_MAX && m->base != SIZE_MAX && now < m->base + slack)
		return;
	let_go(m);
}

/* The file the blocks are mapped from, made at the first: 0, else -1. */
static int
mem_file(struct bmem *m)
{
	char	*path, *cause = NULL;

	if (m->fd != -1)
		return 0;
	if (m->failed)
		return -1;
	/* Unlinked at once: nothing is left behind, however rung ends. */
	if (rung_temp_file("rung-trials", &path, &m->fd, &cause) != 0) {
		free(cause);
		m->failed = 1;
		return -1;
	}
	unlink(path);
	free(path);
	fcntl(m->fd, F_SETFD, FD_CLOEXEC);
	m->statm = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	m->base = resident_shared(m);
	return 0;
}

/*
 * A mapped block of bytes, zeroed: NULL where the file cannot give one
 * (no file, a full disk: the room is taken now, so that a store to a page
 * never meets a full disk as a SIGBUS), and the heap serves.
 */
static struct bhdr *
map_block(struct bmem *m, size_t bytes)
{
	struct bhdr	*h;
	size_t		 len = page_round(m, sizeof *h + bytes);
	void		*p;

	if (mem_file(m) != 0)
		return NULL;
	if (posix_fallocate(m->fd, m->size, (off_t)len) != 0)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, m->fd,
	    m->size);
	if (p == MAP_FAILED)
		return NULL;
	/*
	 * No readahead, and so no large folios, which a fault maps whole: a
	 * page touched is a page held, and a probe of the ids' table at
	 * random holds one.
	 */
	madvise(p, len, MADV_RANDOM);
	h = p;
	h->bytes = bytes;
	h->off = m->size;
	m->size += (off_t)len;
	XGROW(m->maps, m->mapcap, m->nmaps + 1);
	h->at = m->nmaps;
	m->maps[m->nmaps++] = h;
	return h;
}

/* A mapped block unmapped, and its room in the file given back. */
static void
unmap_block(struct bmem *m, struct bhdr *h)
{
	size_t		 len = page_round(m, sizeof *h + h->bytes), at = h->at;
	off_t		 off = h->off;

	m->maps[at] = m->maps[--m->nmaps];
	if (at < m->nmaps)
		m->maps[at]->at = at;
	munmap(h, len);
#ifdef FALLOC_FL_PUNCH_HOLE
	fallocate(m->fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off,
	    (off_t)len);
#else
	(void)off;
#endif
}

/*
 * Grow block p (NULL: none) to bytes, its bytes kept and the new ones
 * zero, on the heap while the batch's blocks there fit half its budget
 * (the rows have the whole of it), else mapped. A mapped block is copied
 * a chunk at a time, its pages let go as they pass the bound, so that
 * growing one holds little more than before.
 */
void *
rung_batch_mem_grow(struct rung_batch *b, void *p, size_t bytes)
{
	struct bmem	*m = &b->mem;
	struct bhdr	*old = p != NULL ? hdr_of(p) : NULL, *h = NULL;
	size_t		 had = old != NULL ? old->bytes : 0, n, done, heap;
	unsigned char	*to, *from;

	if (bytes <= had)
		return p;
	/* The heap's blocks but this one, which leaves it if it grows. */
	heap = m->heap - (old != NULL && old->off < 0 ? had : 0);
	if (heap + bytes > batch_budget(b) / 2 ||
	    (old != NULL && old->off >= 0))
		h = map_block(m, bytes);
	if (h == NULL && old != NULL && old->off < 0) {
		/* On the heap, and stays there. */
		h = xrealloc(old, sizeof *h + bytes);
		memset((unsigned char *)(h + 1) + had, 0, bytes - had);
		h->bytes = bytes;
		m->heap += bytes - had;
		return h + 1;
	}
	if (h == NULL) {
		h = xcalloc(1, sizeof *h + bytes);
		h->bytes = bytes;
		h->off = -1;
		m->heap += bytes;
	}
	to = (unsigned char *)(h + 1);
	from = p;
	for (done = 0; done < had; done += n) {
		n = had - done < MEM_CHUNK ? had - done : MEM_CHUNK;
		memcpy(to + done, from + done, n);
		if (h->off >= 0)
			batch_mem_trim(b);
	}
	rung_batch_mem_free(b, p);
	return to;
}

void *
rung_batch_mem_reserve(struct rung_batch *b, void *p, size_t *cap,
    size_t need, size_t size)
{
	size_t	 n;

	if (need <= *cap)
		return p;
	for (n = *cap ? *cap : 16; n < need; n *= 2)
		/* nothing */;
	*cap = n;
	return rung_batch_mem_grow(b, p, n * size);
}

void
rung_batch_mem_free(struct rung_batch *b, void *p)
{
	struct bmem	*m = &b->mem;
	struct bhdr	*h;

	if (p == NULL)
		return;
	h = hdr_of(p);
	if (h->off >= 0)
		unmap_block(m, h);
	else {
		m->heap -= h->bytes;
		free(h);
	}
}

/* The batch is freed: its blocks were, the file goes. */
void
batch_mem_release(struct bmem *m)
{
	while (m->nmaps > 0)
		unmap_block(m, m->maps[m->nmaps - 1]);
	free(m->maps);
	if (m->fd != -1)
		close(m->fd);
	if (m->statm != -1)
		close(m->statm);
}
