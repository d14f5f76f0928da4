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
#include <stdlib.h>
#include <string.h>
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

/* Fields 3 (state) and 6 (session) of /proc/PID/stat. */
static int
proc_stat(int dirfd, const char *pid, char *state, pid_t *sid)
{
	char	 path[320], *buf, *p;
	long	 v;
	int	 i;

	snprintf(path, sizeof path, "%s/stat", pid);
	if (read_small(dirfd, path, &buf) < 0)
		return -1;
	/* The command name may hold spaces and parentheses: after the last. */
	if ((p = strrchr(buf, ')')) == NULL || p[1] != ' ') {
		free(buf);
		return -1;
	}
	*state = p[2];
	p += 3;
	for (i = 0; i < 3 && p != NULL; i++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL || (v = strtol(p, NULL, 10)) < 0) {
		free(buf);
		return -1;
	}
	*sid = (pid_t)v;
	free(buf);
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
	if (proc_stat(dirfd, name, &state, &sid) != 0)
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
		if (proc_stat(dfd, e->d_name, &state, &s) != 0)
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

/* GPUs. */

const char *const rung_gpu_vars[] = { "CUDA_VISIBLE_DEVICES",
    "ROCR_VISIBLE_DEVICES", "ZE_AFFINITY_MASK", "HABANA_VISIBLE_MODULES",
    NULL };

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

/* The output of nvidia-smi -L, or NULL when it cannot run. */
static char *
run_smi(void)
{
	struct rung_buf	 b = { 0 };
	char		 buf[4096];
	pid_t		 pid;
	ssize_t		 n;
	int		 fd[2], status, null;

	if (pipe2(fd, O_CLOEXEC) != 0)
		return NULL;
	if ((pid = fork()) < 0) {
		close(fd[0]);
		close(fd[1]);
		return NULL;
	}
	if (pid == 0) {
		dup2(fd[1], STDOUT_FILENO);
		if ((null = open("/dev/null", O_WRONLY)) >= 0)
			dup2(null, STDERR_FILENO);
		execlp("nvidia-smi", "nvidia-smi", "-L", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	for (;;) {
		n = read(fd[0], buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		rung_buf_add(&b, buf, (size_t)n);
	}
	close(fd[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		rung_buf_release(&b);
		return NULL;
	}
	return rung_buf_cstr(&b);
}

/* AMD GPUs: kfd topology nodes with SIMDs (CPU nodes have none). */
static uint32_t
scan_kfd(void)
{
	const char	*dir = "/sys/class/kfd/kfd/topology/nodes";
	DIR		*d;
	struct dirent	*e;
	char		 path[512], *buf, *p;
	uint32_t	 n = 0;

	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((e = readdir(d)) != NULL) {
		if (!isdigit((unsigned char)e->d_name[0]))
			continue;
		snprintf(path, sizeof path, "%s/%s/properties", dir,
		    e->d_name);
		if (read_small(AT_FDCWD, path, &buf) < 0)
			continue;
		if ((p = strstr(buf, "simd_count ")) != NULL &&
		    atol(p + 11) > 0)
			n++;
		free(buf);
	}
	closedir(d);
	return n;
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
		{ "ze:", "ZE_AFFINITY_MASK" },
		{ "habana:", "HABANA_VISIBLE_MODULES" },
	};
	const char	*v, *list;
	char		*text;
	size_t		 i;
	uint32_t	 k;

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
			for (i = 0; rung_gpu_vars[i] != NULL; i++) {
				if (env_get(envp, rung_gpu_vars[i]) != NULL)
					break;
			}
			p->var = xstrdup(rung_gpu_vars[i] != NULL ?
			    rung_gpu_vars[i] : "CUDA_VISIBLE_DEVICES");
		}
		if (split_list(list, &p->tokens, &p->n) != 0) {
			xasprintf(cause, "--gpus takes auto, none or a list of "
			    "GPUs (0,1,3; cuda:, rocr:, ze: or habana: before "
			    "it names the kind), not '%s'", spec);
			rung_gpu_pool_release(p);
			return -1;
		}
		p->source = xprintf("--gpus %s", spec);
		return 0;
	}

	/* auto: what the node gave us, literally. */
	for (i = 0; rung_gpu_vars[i] != NULL; i++) {
		if ((v = env_get(envp, rung_gpu_vars[i])) == NULL)
			continue;
		p->var = xstrdup(rung_gpu_vars[i]);
		p->source = xprintf("inherited %s=%s", rung_gpu_vars[i], v);
		/*
		 * An empty item hides what follows it, as in CUDA: the
		 * items before it are the pool. "" and -1 hide every GPU.
		 */
		if (*v != '\0' && strcmp(v, "NoDevFiles") != 0 &&
		    strncmp(v, "-1", 2) != 0)
			(void)split_list(v, &p->tokens, &p->n);
		return 0;
	}
	if ((text = run_smi()) != NULL) {
		p->n = rung_gpu_parse_smi(text, &p->tokens);
		free(text);
		if (p->n > 0) {
			p->var = xstrdup("CUDA_VISIBLE_DEVICES");
			p->pci_order = 1;
			p->source = xstrdup("nvidia-smi -L");
			return 0;
		}
	}
	if ((p->n = rung_gpu_scan_dev("/dev", &p->tokens)) > 0) {
		p->var = xstrdup("CUDA_VISIBLE_DEVICES");
		p->pci_order = 1;
		p->source = xstrdup("/dev/nvidia*");
		return 0;
	}
	if ((k = scan_kfd()) > 0) {
		p->tokens = xcalloc(k, sizeof *p->tokens);
		for (p->n = 0; p->n < k; p->n++)
			p->tokens[p->n] = xprintf("%u", p->n);
		p->var = xstrdup("ROCR_VISIBLE_DEVICES");
		p->source = xstrdup("/sys/class/kfd");
		return 0;
	}
	p->var = xstrdup("CUDA_VISIBLE_DEVICES");
	p->source = xstrdup("no GPU found");
	return 0;
}
