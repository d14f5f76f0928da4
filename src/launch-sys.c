/*
 * What rung launch asks of the system: the processes of a trial, found in
 * /proc by session and by the key in their environment, and the GPUs of
 * the node.
 */
#include "config.h"

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#define KEY_VAR		"RUNG_TRIAL_KEY="

/* Read a small file whole (NUL-terminated); -1 if it cannot be read. */
static ssize_t
read_small(int dirfd, const char *path, char **out)
{
	char	*buf = NULL;
	size_t	 cap = 0, len = 0;
	ssize_t	 n;
	int	 fd;

	if ((fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	for (;;) {
		XGROW(buf, cap, len + 4097);
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (n < 0) {
		free(buf);
		return -1;
	}
	buf[len] = '\0';
	*out = buf;
	return (ssize_t)len;
}

/* Fields 3 (state), 4 (parent) and 6 (session) of /proc/PID/stat. */
static int
proc_stat(int dirfd, const char *pid, char *state, pid_t *ppid, pid_t *sid)
{
	char	 path[320], *buf, *p;
	long	 v[4];
	int	 i;

	snprintf(path, sizeof path, "%s/stat", pid);
	if (read_small(dirfd, path, &buf) < 0)
		return -1;
	/* The command name may hold spaces and parentheses: after the last. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ' || p[2] == '\0') {
		free(buf);
		return -1;
	}
	*state = p[2];
	p += 3;
	/* ppid, pgrp, session. */
	for (i = 0; i < 3; i++) {
		if (*p != ' ') {
			free(buf);
			return -1;
		}
		v[i] = strtol(p + 1, &p, 10);
	}
	free(buf);
	if (v[0] < 0 || v[2] < 0)
		return -1;
	if (ppid != NULL)
		*ppid = (pid_t)v[0];
	*sid = (pid_t)v[2];
	return 0;
}

pid_t
rung_proc_sid(const char *procdir, pid_t pid)
{
	char	 name[32], state;
	pid_t	 sid;
	int	 dirfd;

	if ((dirfd = open(procdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	snprintf(name, sizeof name, "%ld", (long)pid);
	if (proc_stat(dirfd, name, &state, NULL, &sid) != 0)
		sid = -1;
	close(dirfd);
	return sid;
}

/* 1: the key, 0: no key, -1: another's key (or unreadable: 0). */
static int
proc_key(int dirfd, const char *pid, const char *key)
{
	char	 path[320], *buf, *p, *end;
	ssize_t	 n;
	int	 ret = 0;

	snprintf(path, sizeof path, "%s/environ", pid);
	if ((n = read_small(dirfd, path, &buf)) < 0)
		return 0;
	end = buf + n;
	for (p = buf; p < end; p += strlen(p) + 1) {
		if (strncmp(p, KEY_VAR, strlen(KEY_VAR)) != 0)
			continue;
		ret = key != NULL && strcmp(p + strlen(KEY_VAR), key) == 0 ?
		    1 : -1;
		break;
	}
	free(buf);
	return ret;
}

size_t
rung_proc_find(const char *procdir, pid_t sid, const char *key, pid_t **pids)
{
	DIR		*d;
	struct dirent	*e;
	struct stat	 sb;
	pid_t		 s, self = getpid(), *v = NULL;
	size_t		 n = 0, cap = 0;
	uid_t		 uid = geteuid();
	char		 state;
	int		 dfd, k, mine;

	if (pids != NULL)
		*pids = NULL;
	if ((d = opendir(procdir)) == NULL)
		return 0;
	dfd = dirfd(d);
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (atol(e->d_name) == (long)self)
			continue;
		if (proc_stat(dfd, e->d_name, &state, NULL, &s) != 0)
			continue;
		if (state == 'Z' || state == 'X')
			continue;	/* holds nothing any more */
		mine = sid > 0 && s == sid;
		if (key != NULL) {
			/* Others' environments are not ours to read. */
			if (fstatat(dfd, e->d_name, &sb, 0) != 0)
				continue;
			k = sb.st_uid == uid || uid == 0 ?
			    proc_key(dfd, e->d_name, key) : 0;
			if (k < 0)
				mine = 0;	/* another trial's */
			else if (k > 0)
				mine = 1;
		}
		if (!mine)
			continue;
		if (pids != NULL) {
			XGROW(v, cap, n + 1);
			v[n] = (pid_t)atol(e->d_name);
		}
		n++;
	}
	closedir(d);
	if (pids != NULL)
		*pids = v;
	else
		free(v);
	return n;
}

size_t
rung_proc_snapshot(const char *procdir, struct rung_proc **procs)
{
	DIR		*d;
	struct dirent	*e;
	struct rung_proc *v = NULL;
	size_t		 n = 0, cap = 0;
	pid_t		 ppid, sid;
	char		 state;

	*procs = NULL;
	if ((d = opendir(procdir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		if (proc_stat(dirfd(d), e->d_name, &state, &ppid, &sid) != 0)
			continue;
		if (state == 'Z' || state == 'X')
			continue;	/* holds nothing any more */
		XGROW(v, cap, n + 1);
		v[n].pid = (pid_t)atol(e->d_name);
		v[n].ppid = ppid;
		n++;
	}
	closedir(d);
	*procs = v;
	return n;
}

static int
cmp_proc(const void *a, const void *b)
{
	pid_t	 x = ((const struct rung_proc *)a)->pid;
	pid_t	 y = ((const struct rung_proc *)b)->pid;

	return x < y ? -1 : x > y;
}

static const struct rung_proc *
proc_lookup(const struct rung_proc *v, size_t n, pid_t pid)
{
	struct rung_proc key = { .pid = pid };

	return bsearch(&key, v, n, sizeof *v, cmp_proc);
}

size_t
rung_proc_below(struct rung_proc *v, size_t n, pid_t top, const pid_t *skip,
    size_t nskip, pid_t **pids)
{
	const struct rung_proc *p;
	pid_t		*out = NULL, up;
	size_t		 i, j, k, cap = 0, nout = 0;
	int		 below;

	*pids = NULL;
	qsort(v, n, sizeof *v, cmp_proc);
	for (i = 0; i < n; i++) {
		if (v[i].pid == top)
			continue;
		/*
		 * Up the parent chain to top; a chain longer than the
		 * snapshot is a loop of pids reused while it was taken.
		 */
		below = 0;
		p = &v[i];
		for (k = 0; k <= n && p != NULL; k++) {
			for (j = 0; j < nskip; j++) {
				if (p->pid == skip[j])
					break;
			}
			if (j < nskip)
				break;
			if ((up = p->ppid) == top) {
				below = 1;
				break;
			}
			if (up <= 1)
				break;
			p = proc_lookup(v, n, up);
		}
		if (!below)
			continue;
		XGROW(out, cap, nout + 1);
		out[nout++] = v[i].pid;
	}
	*pids = out;
	return nout;
}

/*
 * cgroup v2: a trial's run in a cgroup of its own below the campaign's,
 * itself below rung's: a process can leave its session, its process group
 * and its environment, but not its cgroup.
 */

/* "\040" in a mount point of /proc/self/mountinfo is a space. */
static char *
mount_unescape(const char *s, size_t len)
{
	char	*out = xmalloc(len + 1), *o = out;
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len &&
		    s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' &&
		    s[i + 3] >= '0' && s[i + 3] <= '7') {
			*o++ = (char)((s[i + 1] - '0') * 64 +
			    (s[i + 2] - '0') * 8 + (s[i + 3] - '0'));
			i += 3;
		} else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

/* Field i (0-based) of a mountinfo line, as a pointer and a length. */
static int
mount_field(const char *line, int i, const char **f, size_t *len)
{
	const char	*p = line;

	for (; i > 0; i--) {
		if ((p = strchr(p, ' ')) == NULL)
			return -1;
		p++;
	}
	*f = p;
	*len = strcspn(p, " \n");
	return 0;
}

char *
rung_cgroup_base(char **why)
{
	char		*text = NULL, *rel = NULL, *dir = NULL, *root, *mnt;
	const char	*p, *line, *f;
	size_t		 len, rlen;

	*why = NULL;
	if (read_small(AT_FDCWD, "/proc/self/cgroup", &text) < 0) {
		*why = xstrdup("no /proc/self/cgroup");
		return NULL;
	}
	/* "0::/path": the unified hierarchy. */
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		if (strncmp(p, "0::", 3) == 0) {
			rel = xstrndup(p + 3, strcspn(p + 3, "\n"));
			break;
		}
	}
	free(text);
	if (rel == NULL) {
		*why = xstrdup("no cgroup v2 hierarchy");
		return NULL;
	}
	if (read_small(AT_FDCWD, "/proc/self/mountinfo", &text) < 0) {
		free(rel);
		*why = xstrdup("no /proc/self/mountinfo");
		return NULL;
	}
	for (line = text; line != NULL && *line != '\0' && dir == NULL;
	    line = strchr(line, '\n'), line = line != NULL ? line + 1 : NULL) {
		if ((p = strstr(line, " - cgroup2 ")) == NULL ||
		    p > line + strcspn(line, "\n"))
			continue;
		if (mount_field(line, 3, &f, &len) != 0)
			continue;
		root = mount_unescape(f, len);
		if (mount_field(line, 4, &f, &len) != 0) {
			free(root);
			continue;
		}
		mnt = mount_unescape(f, len);
		/* rung's cgroup must be inside what is mounted there. */
		rlen = strcmp(root, "/") == 0 ? 0 : strlen(root);
		if (strncmp(rel, root, rlen) == 0 && (rel[rlen] == '/' ||
		    rel[rlen] == '\0'))
			dir = xprintf("%s%s", mnt, strcmp(rel + rlen, "/") ==
			    0 ? "" : rel + rlen);
		free(root);
		free(mnt);
	}
	free(text);
	free(rel);
	if (dir == NULL)
		*why = xstrdup("no cgroup2 file system mounted");
	return dir;
}

int
rung_cgroup_make(const char *dir, char **cause)
{
	char	*procs;
	int	 ok;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		xasprintf(cause, "cannot create '%s': %s", dir,
		    strerror(errno));
		return -1;
	}
	/* A directory but no cgroup (a file system over the mount). */
	procs = xprintf("%s/cgroup.procs", dir);
	ok = access(procs, W_OK) == 0;
	free(procs);
	if (!ok) {
		xasprintf(cause, "'%s' is no cgroup rung may move processes "
		    "into", dir);
		(void)rmdir(dir);
		return -1;
	}
	return 0;
}

int
rung_cgroup_open(const char *dir)
{
	char	*procs = xprintf("%s/cgroup.procs", dir);
	int	 fd;

	fd = open(procs, O_WRONLY | O_CLOEXEC);
	free(procs);
	return fd;
}

size_t
rung_cgroup_procs(const char *dir, pid_t **pids)
{
	char	*path, *text, *p, *end;
	pid_t	*v = NULL;
	size_t	 n = 0, cap = 0;
	long	 pid;

	*pids = NULL;
	path = xprintf("%s/cgroup.procs", dir);
	if (read_small(AT_FDCWD, path, &text) < 0) {
		free(path);
		return 0;
	}
	free(path);
	for (p = text; *p != '\0'; p = end) {
		pid = strtol(p, &end, 10);
		if (end == p)
			break;
		if (pid > 0) {
			XGROW(v, cap, n + 1);
			v[n++] = (pid_t)pid;
		}
	}
	free(text);
	*pids = v;
	return n;
}

void
rung_cgroup_kill(const char *dir)
{
	char	*path = xprintf("%s/cgroup.kill", dir);
	pid_t	*pids;
	size_t	 n, i;
	int	 fd;

	/* cgroup.kill (Linux 5.14) takes those forked meanwhile too. */
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) >= 0) {
		if (write(fd, "1", 1) == 1) {
			close(fd);
			free(path);
			return;
		}
		close(fd);
	}
	free(path);
	n = rung_cgroup_procs(dir, &pids);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	free(pids);
}

int
rung_cgroup_remove(const char *dir)
{
	if (rmdir(dir) == 0 || errno == ENOENT)
		return 0;
	return -1;
}

/* GPUs. */

const char *const rung_gpu_vars[] = { "CUDA_VISIBLE_DEVICES",
    "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "ZE_AFFINITY_MASK",
    "HABANA_VISIBLE_MODULES", NULL };

const char *rung_gpu_sysroot = "";

/*
 * AMD: HIP_VISIBLE_DEVICES (and CUDA_VISIBLE_DEVICES, its alias in HIP,
 * and GPU_DEVICE_ORDINAL) index into the list ROCR_VISIBLE_DEVICES leaves:
 * a trial narrowed by ROCR_VISIBLE_DEVICES must not inherit them, or its
 * GPUs are picked twice (Slurm sets them all alike).
 */
static const char *const rocr_unset[] = { "HIP_VISIBLE_DEVICES",
    "CUDA_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", NULL };

void
rung_gpu_pool_release(struct rung_gpu_pool *p)
{
	uint32_t	 i;

	for (i = 0; i < p->n; i++)
		free(p->tokens[i]);
	free(p->tokens);
	free(p->var);
	free(p->source);
	memset(p, 0, sizeof *p);
}

/* Split a comma-separated list; -1 on an empty item. */
static int
split_list(const char *s, char ***tokens, uint32_t *n)
{
	const char	*p = s, *q;
	size_t		 cap = 0;

	*tokens = NULL;
	*n = 0;
	for (;;) {
		q = p + strcspn(p, ",");
		if (q == p)
			return -1;
		XGROW(*tokens, cap, *n + 1);
		(*tokens)[(*n)++] = xstrndup(p, (size_t)(q - p));
		if (*q == '\0')
			return 0;
		p = q + 1;
	}
}

static int
all_digits(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return 0;
	}
	return len > 0;
}

/*
 * Whether two items name one GPU (or one holds the other): 0 and 00 are
 * GPU 0, a UUID is one whatever its case, and ze's 0 holds its
 * sub-devices 0.0 and 0.1.
 */
static int
gpu_same(const char *a, const char *b)
{
	size_t	 la = strcspn(a, "."), lb = strcspn(b, ".");

	if (all_digits(a, la) && all_digits(b, lb)) {
		if (strtoul(a, NULL, 10) != strtoul(b, NULL, 10))
			return 0;
		if (a[la] == '\0' || b[lb] == '\0')
			return 1;	/* the device and one of its parts */
		return gpu_same(a + la + 1, b + lb + 1);
	}
	return strcasecmp(a, b) == 0;
}

/* The first item of the list that names a GPU an earlier one names. */
static int
gpu_repeated(char **tokens, uint32_t n, uint32_t *first, uint32_t *again)
{
	uint32_t	 i, j;

	for (j = 1; j < n; j++) {
		for (i = 0; i < j; i++) {
			if (gpu_same(tokens[i], tokens[j])) {
				*first = i;
				*again = j;
				return 1;
			}
		}
	}
	return 0;
}

/* A range of GPU numbers "2-5" as its items; 0 if it is none. */
#define GPU_RANGE_MAX	4096
static int
gpu_range(const char *item, char ***tokens, const char ***from, uint32_t *n,
    size_t *cap)
{
	size_t		 l = strcspn(item, "-");
	unsigned long	 lo, hi, g;

	if (item[l] != '-' || !all_digits(item, l) ||
	    !all_digits(item + l + 1, strlen(item + l + 1)))
		return 0;
	errno = 0;
	lo = strtoul(item, NULL, 10);
	hi = strtoul(item + l + 1, NULL, 10);
	if (errno != 0 || lo > hi || hi - lo >= GPU_RANGE_MAX)
		return -1;
	for (g = lo; g <= hi; g++) {
		*from = xreallocarray(*from, *cap + 1, sizeof **from);
		(*from)[*n] = item;
		XGROW(*tokens, *cap, *n + 1);
		(*tokens)[(*n)++] = xprintf("%lu", g);
	}
	return 1;
}

/*
 * The list of --gpus spec (after its kind): items separated by commas,
 * "2-5" for 2,3,4,5; a GPU named twice is refused (two trials would share
 * it).
 */
static int
gpu_list(const char *spec, const char *s, char ***tokens, uint32_t *n,
    char **cause)
{
	const char	*p = s, *q, **from = NULL;
	char		**items = NULL;
	size_t		 cap = 0, icap = 0, nitems = 0;
	uint32_t	 i, first, again;
	int		 r, ret = -1;

	*tokens = NULL;
	*n = 0;
	for (;;) {
		q = p + strcspn(p, ",");
		if (q == p)
			goto bad;
		XGROW(items, icap, nitems + 1);
		items[nitems] = xstrndup(p, (size_t)(q - p));
		/* Each GPU's item as given, for the message. */
		if ((r = gpu_range(items[nitems], tokens, &from, n,
		    &cap)) < 0) {
			nitems++;
			goto bad;
		}
		if (r == 0) {
			from = xreallocarray(from, cap + 1, sizeof *from);
			from[*n] = items[nitems];
			XGROW(*tokens, cap, *n + 1);
			(*tokens)[(*n)++] = xstrdup(items[nitems]);
		}
		nitems++;
		if (*q == '\0')
			break;
		p = q + 1;
	}
	if (gpu_repeated(*tokens, *n, &first, &again)) {
		if (from[first] == from[again])
			xasprintf(cause, "--gpus %s names a GPU twice "
			    "('%s'): a GPU runs one trial at a time", spec,
			    (*tokens)[again]);
		else
			xasprintf(cause, "--gpus %s names a GPU twice ('%s' "
			    "and '%s'): a GPU runs one trial at a time", spec,
			    from[first], from[again]);
		goto fail;
	}
	ret = 0;
	goto out;
bad:
	xasprintf(cause, "--gpus takes auto, none or a list of GPUs (0,1,3 or "
	    "0-3; cuda:, rocr:, ze: or habana: before it names the kind), not "
	    "'%s'", spec);
fail:
	for (i = 0; i < *n; i++)
		free((*tokens)[i]);
	free(*tokens);
	*tokens = NULL;
	*n = 0;
out:
	for (i = 0; i < nitems; i++)
		free(items[i]);
	free(items);
	free(from);
	return ret;
}

uint32_t
rung_gpu_parse_smi(const char *text, char ***tokens)
{
	const char	*p;
	char		*end;
	size_t		 cap = 0;
	uint32_t	 n = 0;
	long		 i;

	*tokens = NULL;
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		if (strncmp(p, "GPU ", 4) != 0)
			continue;
		i = strtol(p + 4, &end, 10);
		if (end == p + 4 || *end != ':' || i < 0)
			continue;
		XGROW(*tokens, cap, n + 1);
		(*tokens)[n++] = xprintf("%ld", i);
	}
	return n;
}

/* Add item to tokens unless it is there already. */
static void
token_add(char ***tokens, uint32_t *n, size_t *cap, char *item)
{
	uint32_t	 i;

	for (i = 0; i < *n; i++) {
		if (strcmp((*tokens)[i], item) == 0) {
			free(item);
			return;
		}
	}
	XGROW(*tokens, *cap, *n + 1);
	(*tokens)[(*n)++] = item;
}

uint32_t
rung_gpu_parse_rocm_smi(const char *text, char ***tokens)
{
	const char	*p;
	char		**seen = NULL, *end;
	size_t		 cap = 0, scap = 0;
	uint32_t	 n = 0, nseen = 0, i;
	long		 g;

	/*
	 * Its tables say "GPU[3]\t\t: ...", its CSV "card3,..." after a
	 * "device,..." header, several lines a GPU either way. The GPUs in
	 * the order listed are ROCR_VISIBLE_DEVICES's 0, 1, ... (ROCm
	 * enumerates the kfd nodes alike); a card number may skip one.
	 */
	*tokens = NULL;
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		if (strncmp(p, "GPU[", 4) == 0) {
			g = strtol(p + 4, &end, 10);
			if (end == p + 4 || *end != ']' || g < 0)
				continue;
		} else if (strncmp(p, "card", 4) == 0) {
			g = strtol(p + 4, &end, 10);
			if (end == p + 4 || *end != ',' || g < 0)
				continue;
		} else
			continue;
		token_add(&seen, &nseen, &scap, xprintf("%ld", g));
	}
	for (i = 0; i < nseen; i++) {
		free(seen[i]);
		XGROW(*tokens, cap, n + 1);
		(*tokens)[n] = xprintf("%u", n);
		n++;
	}
	free(seen);
	return n;
}

uint32_t
rung_gpu_parse_hl_smi(const char *text, char ***tokens)
{
	const char	*p;
	size_t		 cap = 0, len, end;
	uint32_t	 n = 0;

	/* hl-smi -Q module_id -f csv,noheader: a module id a line. */
	*tokens = NULL;
	for (p = text; p != NULL && *p != '\0'; p = strchr(p, '\n'),
	    p = p != NULL ? p + 1 : NULL) {
		p += strspn(p, " \t");
		len = strcspn(p, " \t\r\n");
		end = len + strspn(p + len, " \t\r");
		if (!all_digits(p, len) || (p[end] != '\n' && p[end] != '\0'))
			continue;
		token_add(tokens, &n, &cap, xprintf("%lu",
		    strtoul(p, NULL, 10)));
	}
	return n;
}

static int
cmp_long_str(const void *a, const void *b)
{
	long	 x = atol(*(char *const *)a), y = atol(*(char *const *)b);

	return x < y ? -1 : x > y;
}

uint32_t
rung_gpu_scan_dev(const char *dir, char ***tokens)
{
	DIR		*d;
	struct dirent	*e;
	const char	*p;
	size_t		 cap = 0;
	uint32_t	 n = 0;

	*tokens = NULL;
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, "nvidia", 6) != 0 ||
		    e->d_name[6] == '\0')
			continue;
		for (p = e->d_name + 6; isdigit((unsigned char)*p); p++)
			;
		if (*p != '\0')
			continue;
		XGROW(*tokens, cap, n + 1);
		(*tokens)[n++] = xprintf("%ld", atol(e->d_name + 6));
	}
	closedir(d);
	if (n > 1)
		qsort(*tokens, n, sizeof **tokens, cmp_long_str);
	return n;
}

int
rung_capture(char *const *argv, int flags, size_t max, struct rung_buf *out,
    int *status)
{
	char	 buf[4096];
	pid_t	 pid;
	ssize_t	 n;
	size_t	 want, got = 0;
	int	 fd[2], null;

	if (pipe2(fd, O_CLOEXEC) != 0)
		return -1;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		if (flags & RUNG_CAPTURE_STDERR)
			dup2(fd[1], STDERR_FILENO);
		else if ((null = open("/dev/null", O_WRONLY)) >= 0)
			dup2(null, STDERR_FILENO);
		if ((null = open("/dev/null", O_RDONLY)) >= 0)
			dup2(null, STDIN_FILENO);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(fd[1]);
	while (max == 0 || got < max) {
		want = max == 0 || max - got > sizeof buf ? sizeof buf :
		    max - got;
		n = read(fd[0], buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rung_buf_add(out, buf, (size_t)n);
		got += (size_t)n;
	}
	close(fd[0]);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return 0;
}

/* What a tool prints (argv), or NULL when it cannot run or fails. */
static char *
run_tool(char *const *argv)
{
	struct rung_buf	 b = { 0 };
	int		 status;

	if (rung_capture(argv, 0, 0, &b, &status) != 0)
		return NULL;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rung_buf_release(&b);
		return NULL;
	}
	return rung_buf_cstr(&b);
}

/* A tool's GPUs by parse, or 0. */
static uint32_t
tool_gpus(char *const *argv, uint32_t (*parse)(const char *, char ***),
    char ***tokens)
{
	char		*text;
	uint32_t	 n;

	*tokens = NULL;
	if ((text = run_tool(argv)) == NULL)
		return 0;
	n = parse(text, tokens);
	free(text);
	return n;
}

uint32_t
rung_gpu_scan_kfd(const char *dir, char ***tokens)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[PATH_MAX], *buf, *p;
	uint32_t	 n = 0, i;

	/*
	 * kfd topology nodes with SIMDs (CPU nodes have none): ROCm counts
	 * its GPUs, ROCR_VISIBLE_DEVICES's 0, 1, ..., from these.
	 */
	*tokens = NULL;
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!all_digits(e->d_name, strlen(e->d_name)))
			continue;
		snprintf(path, sizeof path, "%s/%s/properties", dir,
		    e->d_name);
		if (read_small(AT_FDCWD, path, &buf) < 0)
			continue;
		for (p = buf; p != NULL; p = strchr(p, '\n'),
		    p = p != NULL ? p + 1 : NULL) {
			if (strncmp(p, "simd_count ", 11) == 0)
				break;
		}
		if (p != NULL && atol(p + 11) > 0)
			n++;
		free(buf);
	}
	closedir(d);
	if (n > 0)
		*tokens = xcalloc(n, sizeof **tokens);
	for (i = 0; i < n; i++)
		(*tokens)[i] = xprintf("%u", i);
	return n;
}

/* A path under rung_gpu_sysroot. */
static char *
sys_path(const char *path)
{
	return xprintf("%s%s", rung_gpu_sysroot, path);
}

static const char *
env_get(char *const *envp, const char *name)
{
	size_t	 i, n = strlen(name);

	for (i = 0; envp != NULL && envp[i] != NULL; i++) {
		if (strncmp(envp[i], name, n) == 0 && envp[i][n] == '=')
			return envp[i] + n + 1;
	}
	return NULL;
}

/* The variables a trial of a pool narrowed by var must not inherit. */
static const char *const *
pool_unset(const char *var)
{
	return strcmp(var, "ROCR_VISIBLE_DEVICES") == 0 ? rocr_unset : NULL;
}

/*
 * Which inherited visibility variable makes the pool: the first of
 * rung_gpu_vars, but ROCR_VISIBLE_DEVICES before CUDA_VISIBLE_DEVICES on
 * a node with AMD GPUs and no NVIDIA one (Slurm may set both alike).
 */
static const char *
pool_inherited(char *const *envp, const char **value)
{
	const char	*rocr = NULL;
	char		*dev, *kfd, **tok;
	uint32_t	 n, m, i;

	*value = NULL;
	for (i = 0; rung_gpu_vars[i] != NULL; i++) {
		if ((*value = env_get(envp, rung_gpu_vars[i])) != NULL)
			break;
	}
	if (rung_gpu_vars[i] == NULL)
		return NULL;
	if (strcmp(rung_gpu_vars[i], "CUDA_VISIBLE_DEVICES") != 0 ||
	    (rocr = env_get(envp, "ROCR_VISIBLE_DEVICES")) == NULL)
		return rung_gpu_vars[i];
	dev = sys_path("/dev");
	kfd = sys_path("/sys/class/kfd/kfd/topology/nodes");
	n = rung_gpu_scan_dev(dev, &tok);
	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
	m = rung_gpu_scan_kfd(kfd, &tok);
	for (i = 0; i < m; i++)
		free(tok[i]);
	free(tok);
	free(dev);
	free(kfd);
	if (n == 0 && m > 0) {
		*value = rocr;
		return "ROCR_VISIBLE_DEVICES";
	}
	return "CUDA_VISIBLE_DEVICES";
}

/* A pool found by detection. */
static int
pool_found(struct rung_gpu_pool *p, uint32_t n, char **tokens,
    const char *var, int pci_order, const char *source)
{
	if (n == 0)
		return 0;
	p->n = n;
	p->tokens = tokens;
	p->var = xstrdup(var);
	p->unset = pool_unset(var);
	p->pci_order = pci_order;
	p->source = xstrdup(source);
	return 1;
}

int
rung_gpu_pool_init(const char *spec, char *const *envp,
    struct rung_gpu_pool *p, char **cause)
{
	static const struct {
		const char	*kind;
		const char	*var;
	} kinds[] = {
		{ "cuda:", "CUDA_VISIBLE_DEVICES" },
		{ "rocr:", "ROCR_VISIBLE_DEVICES" },
		{ "hip:", "HIP_VISIBLE_DEVICES" },
		{ "ze:", "ZE_AFFINITY_MASK" },
		{ "habana:", "HABANA_VISIBLE_MODULES" },
	};
	char *const	 nvidia_smi[] = { "nvidia-smi", "-L", NULL };
	char *const	 rocm_smi[] = { "rocm-smi", "--showid", "--csv", NULL };
	char *const	 hl_smi[] = { "hl-smi", "-Q", "module_id", "-f",
	    "csv,noheader", NULL };
	const char	*v, *var, *list;
	char		*path, **tok;
	size_t		 i;
	uint32_t	 n, i1, i2;
	int		 found;

	memset(p, 0, sizeof *p);
	if (spec == NULL)
		spec = "auto";
	if (strcmp(spec, "none") == 0) {
		p->var = xstrdup("CUDA_VISIBLE_DEVICES");
		p->source = xstrdup("--gpus none");
		return 0;
	}
	if (strcmp(spec, "auto") != 0) {
		list = spec;
		p->var = NULL;
		for (i = 0; i < sizeof kinds / sizeof *kinds; i++) {
			if (strncmp(spec, kinds[i].kind,
			    strlen(kinds[i].kind)) == 0) {
				p->var = xstrdup(kinds[i].var);
				list = spec + strlen(kinds[i].kind);
			}
		}
		if (p->var == NULL) {
			/* The kind of the visibility the node gave us. */
			var = pool_inherited(envp, &v);
			p->var = xstrdup(var != NULL ? var :
			    "CUDA_VISIBLE_DEVICES");
		}
		p->unset = pool_unset(p->var);
		if (gpu_list(spec, list, &p->tokens, &p->n, cause) != 0) {
			rung_gpu_pool_release(p);
			return -1;
		}
		p->source = xprintf("--gpus %s", spec);
		return 0;
	}

	/* auto: what the node gave us, literally. */
	if ((var = pool_inherited(envp, &v)) != NULL) {
		p->var = xstrdup(var);
		p->unset = pool_unset(var);
		p->source = xprintf("inherited %s=%s", var, v);
		/*
		 * An empty item hides what follows it, as in CUDA: the
		 * items before it are the pool. "" and -1 hide every GPU.
		 */
		if (*v != '\0' && strcmp(v, "NoDevFiles") != 0 &&
		    strncmp(v, "-1", 2) != 0)
			(void)split_list(v, &p->tokens, &p->n);
		if (gpu_repeated(p->tokens, p->n, &i1, &i2)) {
			xasprintf(cause, "%s=%s names a GPU twice ('%s' and "
			    "'%s'): a GPU runs one trial at a time; give "
			    "--gpus", var, v, p->tokens[i1], p->tokens[i2]);
			rung_gpu_pool_release(p);
			return -1;
		}
		return 0;
	}
	/* NVIDIA, AMD, Habana: each vendor's tool, then its files. */
	n = tool_gpus(nvidia_smi, rung_gpu_parse_smi, &tok);
	if (pool_found(p, n, tok, "CUDA_VISIBLE_DEVICES", 1, "nvidia-smi -L"))
		return 0;
	path = sys_path("/dev");
	n = rung_gpu_scan_dev(path, &tok);
	free(path);
	if (pool_found(p, n, tok, "CUDA_VISIBLE_DEVICES", 1, "/dev/nvidia*"))
		return 0;
	n = tool_gpus(rocm_smi, rung_gpu_parse_rocm_smi, &tok);
	if (pool_found(p, n, tok, "ROCR_VISIBLE_DEVICES", 0,
	    "rocm-smi --showid"))
		return 0;
	path = sys_path("/sys/class/kfd/kfd/topology/nodes");
	n = rung_gpu_scan_kfd(path, &tok);
	free(path);
	if (pool_found(p, n, tok, "ROCR_VISIBLE_DEVICES", 0,
	    "/sys/class/kfd"))
		return 0;
	n = tool_gpus(hl_smi, rung_gpu_parse_hl_smi, &tok);
	found = pool_found(p, n, tok, "HABANA_VISIBLE_MODULES", 0,
	    "hl-smi -Q module_id");
	if (found)
		return 0;
	p->var = xstrdup("CUDA_VISIBLE_DEVICES");
	p->source = xstrdup("no GPU found");
	return 0;
}
