/*
 * The pieces of rung launch: the protocol line, {name} in the command,
 * the launchers' argv, the environment of a trial, the GPU pool, and the
 * processes of a trial found in /proc.
 */
#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rung/launch.h"
#include "rung/space.h"
#include "rung/util.h"
#include "rung/xmalloc.h"
#include "tap.h"

static int
parse(const char *line, struct rung_report *r, char **cause)
{
	*cause = NULL;
	return rung_report_parse(line, strlen(line), r, cause);
}

static void
malformed(const char *line, const char *want)
{
	struct rung_report r;
	char		*cause;
	int		 rc;

	rc = parse(line, &r, &cause);
	ok(rc == -1 && cause != NULL && strstr(cause, want) != NULL,
	    "malformed '%s': %s", line, cause ? cause : "(no message)");
	free(cause);
}

static char *
joined(char **v)
{
	struct rung_buf	 b = { 0 };
	char		*s;
	size_t		 i;

	for (i = 0; v[i] != NULL; i++)
		rung_buf_printf(&b, "%s%s", i ? " " : "", v[i]);
	s = xstrdup(b.len ? rung_buf_cstr(&b) : "");
	rung_buf_release(&b);
	return s;
}

static void
test_protocol(void)
{
	struct rung_report r;
	char		*cause, *m;
	int		 rc;

	rc = parse("rung: {\"step\": 3, \"val_loss\": 0.41}", &r, &cause);
	ok(rc == 1 && r.step == 3 && r.n == 1 &&
	    strcmp(r.keys[0], "val_loss") == 0 && r.vals[0] == 0.41,
	    "a report: step and one number");
	ok(rung_report_metric(&r, &m, &cause) == 0 &&
	    strcmp(m, "val_loss") == 0, "its only number is the metric");
	free(m);
	rung_report_release(&r);

	rc = parse("  rung:{\"loss\": NaN, \"step\": 7.0, \"acc\": 1, "
	    "\"note\": \"x\", \"ok\": true, \"lr\": -Infinity}\r", &r, &cause);
	ok(rc == 1 && r.step == 7 && r.n == 3 && isnan(r.vals[0]) &&
	    r.vals[1] == 1 && isinf(r.vals[2]) && r.vals[2] < 0,
	    "blanks, NaN and Infinity as Python writes them, step 7.0, "
	    "strings and booleans left out, a CR at the end");
	is_int(rung_report_find(&r, "acc"), 1, "find a member");
	is_int(rung_report_find(&r, "note"), -1, "a string is no metric");
	ok(rung_report_metric(&r, &m, &cause) == -1 && cause != NULL &&
	    strstr(cause, "several numbers (loss, acc, lr): choose the metric "
	    "with --metric") != NULL, "several numbers need --metric: %s",
	    cause);
	free(cause);
	rung_report_release(&r);

	rc = parse("rung: {\"step\": 1}", &r, &cause);
	ok(rc == 1 && rung_report_metric(&r, &m, &cause) == -1 &&
	    strstr(cause, "no number besides") != NULL,
	    "a report with no number has no metric");
	free(cause);
	rung_report_release(&r);

	ok(parse("epoch 3: loss 0.41", &r, &cause) == 0 && cause == NULL,
	    "another line is not a report");
	ok(parse("", &r, &cause) == 0, "nor is an empty line");
	ok(parse("rungs: {\"step\": 1}", &r, &cause) == 0,
	    "'rungs:' is another line");
	ok(parse("Rung: {\"step\": 1}", &r, &cause) == 0,
	    "the prefix is case-sensitive");
	malformed("rung: step 3", "a JSON object after 'rung:'");
	malformed("rung: [1, 2]", "a JSON object after 'rung:'");
	malformed("rung: {\"step\": 3, \"loss\": 0.4", "not JSON at character");
	malformed("rung: {\"step\": 3, \"lo\\u001b[2Jss\": 0.4}", "metric");
	malformed("rung: {\"step\": 3, \"\": 0.4}", "metric");
	malformed("rung: {\"step\": 3} trailing", "not JSON at character");
	malformed("rung: {\"loss\": 0.4}", "the report has no \"step\"");
	malformed("rung: {\"step\": 2.5, \"loss\": 1}", "step is a fraction");
	malformed("rung: {\"step\": \"3\", \"loss\": 1}", "step is a string");
	malformed("rung: {\"step\": -1, \"loss\": 1}", "step -1 is out of "
	    "range");
	malformed("rung: {\"step\": 99999999999, \"loss\": 1}", "out of range");
	malformed("rung:", "a JSON object after 'rung:'");
}

/* What fuzz/fuzz-proto.c found. */
static void
test_protocol_fuzzed(void)
{
	/*
	 * The character a cause points at counts the blanks before and
	 * after "rung:", and characters rather than bytes: the first was
	 * one short for every "rung: {...}" line.
	 */
	malformed("rung: {\"step\": 3} trailing", "not JSON at character 19: "
	    "unexpected text after the value");
	malformed(" \trung:  {\"step\": 3} x", "not JSON at character 22:");
	malformed("rung: {\"\xc3\xa9t\xc3\xa9\": 1 2}",
	    "not JSON at character 17:");
	malformed("rung: {\"step\": 1, \"loss\": }", "not JSON at character "
	    "27:");
}

/* Found reading the parser while fuzz-proto ran. */
static void
test_protocol_numbers(void)
{
	struct rung_report r;
	char		*cause;

	/* A whole step out of range is not "a fraction". */
	malformed("rung: {\"step\": -1.0, \"loss\": 1}", "step -1 is out of "
	    "range");
	malformed("rung: {\"step\": 1e10, \"loss\": 1}", "step 10000000000 is "
	    "out of range");
	malformed("rung: {\"step\": 2147483647.0, \"loss\": 1}",
	    "step 2147483647 is out of range");
	malformed("rung: {\"step\": NaN, \"loss\": 1}", "step is NaN, not a "
	    "whole number");
	malformed("rung: {\"step\": -Infinity, \"loss\": 1}",
	    "step is -Infinity, not a whole number");
	malformed("rung: {\"step\": 2.5, \"loss\": 1}", "step is a fraction, "
	    "not a whole number");
	/* json-c read it as INT64_MAX: the message named that. */
	malformed("rung: {\"step\": 99999999999999999999, \"loss\": 1}",
	    "step is out of range");

	/*
	 * json-c reads an integer beyond 64 bits as the bound it passed:
	 * the metric would have been recorded as 18446744073709551615.
	 */
	malformed("rung: {\"step\": 1, \"n\": 99999999999999999999}",
	    "\"n\" is an integer beyond 64 bits, which would be read as "
	    "another: write it as a real");
	malformed("rung: {\"step\": 1, \"n\": -99999999999999999999}",
	    "\"n\" is an integer beyond 64 bits");
	ok(parse("rung: {\"step\": 1, \"n\": 9223372036854775807, \"m\": "
	    "-9223372036854775807, \"x\": 1e+20}", &r, &cause) == 1 &&
	    r.n == 3 && r.vals[0] == 9223372036854775807.0 &&
	    r.vals[1] == -9223372036854775807.0 && r.vals[2] == 1e20,
	    "integers within 64 bits, and a big real, are read");
	rung_report_release(&r);
}

static void
test_subst(void)
{
	struct rung_config c;
	char		*s, *unknown = NULL;

	memset(&c, 0, sizeof c);
	c.n = 3;
	c.names = xcalloc(3, sizeof *c.names);
	c.v = xcalloc(3, sizeof *c.v);
	c.names[0] = xstrdup("lr");
	c.v[0].type = RUNG_PREAL;
	c.v[0].d = 0.001;
	c.names[1] = xstrdup("units");
	c.v[1].type = RUNG_PINT;
	c.v[1].i = 64;
	c.names[2] = xstrdup("opt");
	c.v[2].type = RUNG_PCAT;
	c.v[2].s = xstrdup("adam");

	s = rung_launch_subst("--lr={lr}", &c, "7");
	is_str(s, "--lr=0.001", "{lr} inside an argument");
	free(s);
	s = rung_launch_subst("{units}x{units}/{opt}-{trial}", &c, "7");
	is_str(s, "64x64/adam-7", "several, and {trial}");
	free(s);
	s = rung_launch_subst("{\"a\": 1} {nope} {} {lr", &c, "7");
	is_str(s, "{\"a\": 1} {nope} {} {lr",
	    "JSON, unknown names and unclosed braces are left as they are");
	free(s);
	ok(rung_launch_subst_check("--x={lr}/{trial}", &c, &unknown) == 0,
	    "known names check");
	ok(rung_launch_subst_check("--x={lrr}", &c, &unknown) == -1 &&
	    strcmp(unknown, "lrr") == 0, "an unknown name is found: %s",
	    unknown);
	free(unknown);
	rung_config_release(&c);
}

static void
test_argv(void)
{
	struct rung_launcher_opts o;
	const char	*vars[] = { "RUNG_PARAMS", "CUDA_VISIBLE_DEVICES" };
	char		*cmd[] = { "python3", "train.py", "--lr", "0.1" };
	char		**v, *s;

	memset(&o, 0, sizeof o);
	o.kind = RUNG_LAUNCHER_DIRECT;
	v = rung_launch_argv(&o, vars, 2, cmd, 4);
	s = joined(v);
	is_str(s, "python3 train.py --lr 0.1", "direct: the command");
	free(s);
	rung_free_strv(v);

	o.kind = RUNG_LAUNCHER_MPIRUN;
	o.ranks = 4;
	o.hostfile = "hosts";
	v = rung_launch_argv(&o, vars, 2, cmd, 4);
	s = joined(v);
	is_str(s, "mpirun --bind-to none -np 4 --hostfile hosts -x RUNG_PARAMS "
	    "-x CUDA_VISIBLE_DEVICES python3 train.py --lr 0.1",
	    "mpirun: unbound ranks, the hostfile, -x for each variable");
	free(s);
	rung_free_strv(v);

	o.kind = RUNG_LAUNCHER_MPIEXEC;
	o.program = "/usr/bin/mpiexec.mpich";
	o.ranks = 2;
	v = rung_launch_argv(&o, vars, 2, cmd, 4);
	s = joined(v);
	is_str(s, "/usr/bin/mpiexec.mpich -n 2 -f hosts python3 train.py --lr "
	    "0.1", "mpiexec: hydra forwards the environment itself");
	free(s);
	rung_free_strv(v);

	o.kind = RUNG_LAUNCHER_SRUN;
	o.program = NULL;
	o.hostfile = NULL;
	o.ranks = 0;
	o.gpus_per_task = 1;
	v = rung_launch_argv(&o, vars, 2, cmd, 4);
	s = joined(v);
	is_str(s, "srun -n 1 --exact --gpus-per-task=1 python3 train.py --lr "
	    "0.1", "srun: a step of the allocation");
	free(s);
	rung_free_strv(v);

	is_int(rung_launcher_parse("mpiexec"), RUNG_LAUNCHER_MPIEXEC,
	    "launcher names");
	is_int(rung_launcher_parse("ssh"), -1, "an unknown launcher");
}

static void
test_env(void)
{
	char	*plain[] = { "PATH=/bin", "HOME=/root",
	    "CUDA_VISIBLE_DEVICES=0,1", "OMPI_MCA_btl=self", NULL };
	char	*under[] = { "PATH=/bin", "OMPI_COMM_WORLD_SIZE=4",
	    "OMPI_MCA_orte_hnp_uri=x", "OMPI_ALLOW_RUN_AS_ROOT=1",
	    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1", "PMIX_RANK=0", "PMI_FD=3",
	    "HYDRA_CONTROL_FD=4", "HYDI_X=1", "MPIR_CVAR_X=1", "OPAL_PREFIX=/",
	    "ORTE_X=1", "PRTE_X=1", "PMIXX=keep", "RUNG_DB=x.db", NULL };
	char	*set[] = { "CUDA_VISIBLE_DEVICES=1", "RUNG_TRIAL_ID=3",
	    "PYTHONUNBUFFERED=1" };
	char	**e, *s;

	ok(!rung_env_under_mpi(plain), "a shell is not MPI");
	ok(rung_env_under_mpi(under), "OMPI_COMM_WORLD_SIZE is");
	e = rung_env_build(plain, 0, set, 3);
	s = joined(e);
	is_str(s, "PATH=/bin HOME=/root OMPI_MCA_btl=self "
	    "CUDA_VISIBLE_DEVICES=1 RUNG_TRIAL_ID=3 PYTHONUNBUFFERED=1",
	    "the trial's variables replace the inherited ones; settings "
	    "outside MPI stay");
	free(s);
	rung_free_strv(e);
	e = rung_env_build(under, 1, set, 3);
	s = joined(e);
	is_str(s, "PATH=/bin OMPI_ALLOW_RUN_AS_ROOT=1 "
	    "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 PMIXX=keep RUNG_DB=x.db "
	    "CUDA_VISIBLE_DEVICES=1 RUNG_TRIAL_ID=3 PYTHONUNBUFFERED=1",
	    "under MPI: OMPI_, PMIX_, PMI_, HYDRA_, HYDI_, MPIR_, OPAL_, "
	    "ORTE_, PRTE_ go, OMPI_ALLOW_RUN_AS_ROOT* stays");
	free(s);
	rung_free_strv(e);
	e = rung_env_build(NULL, 1, NULL, 0);
	ok(e != NULL && e[0] == NULL, "an empty environment");
	rung_free_strv(e);
	{
		char	*amd[] = { "ROCR_VISIBLE_DEVICES=2,3",
		    "HIP_VISIBLE_DEVICES=2,3", "PATH=/bin", NULL };
		char	*aset[] = { "ROCR_VISIBLE_DEVICES=3",
		    "HIP_VISIBLE_DEVICES" };

		e = rung_env_build(amd, 0, aset, 2);
		s = joined(e);
		is_str(s, "PATH=/bin ROCR_VISIBLE_DEVICES=3",
		    "a name alone in set removes the variable");
		free(s);
		rung_free_strv(e);
	}
}

static void
test_gpus(void)
{
	struct rung_gpu_pool p;
	char	*env1[] = { "CUDA_VISIBLE_DEVICES=2,3", NULL };
	char	*env2[] = { "CUDA_VISIBLE_DEVICES=", NULL };
	char	*env3[] = { "ROCR_VISIBLE_DEVICES=1,,3", NULL };
	char	*env4[] = { "HABANA_VISIBLE_MODULES=0,1", NULL };
	char	*cause = NULL, **tok, dir[] = "/tmp/unit-launch.XXXXXX", *path;
	const char *smi = "GPU 0: NVIDIA H100 80GB HBM3 (UUID: GPU-a)\n"
	    "GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-b)\n"
	    "  MIG 1g.10gb Device 0: (UUID: MIG-c)\n";
	uint32_t n, i;
	int	 fd;

	ok(rung_gpu_pool_init("auto", env1, &p, &cause) == 0 && p.n == 2 &&
	    strcmp(p.tokens[0], "2") == 0 && strcmp(p.tokens[1], "3") == 0 &&
	    strcmp(p.var, "CUDA_VISIBLE_DEVICES") == 0 && !p.pci_order,
	    "auto: an inherited CUDA_VISIBLE_DEVICES, literally");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("auto", env2, &p, &cause) == 0 && p.n == 0,
	    "auto: an empty CUDA_VISIBLE_DEVICES is CPU mode");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init(NULL, env3, &p, &cause) == 0 && p.n == 1 &&
	    strcmp(p.var, "ROCR_VISIBLE_DEVICES") == 0,
	    "auto: an empty item hides what follows it");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("auto", env4, &p, &cause) == 0 && p.n == 2 &&
	    strcmp(p.var, "HABANA_VISIBLE_MODULES") == 0,
	    "auto: Habana modules");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("none", env1, &p, &cause) == 0 && p.n == 0 &&
	    strcmp(p.var, "CUDA_VISIBLE_DEVICES") == 0, "none: CPU mode");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("0,1,3", NULL, &p, &cause) == 0 && p.n == 3 &&
	    strcmp(p.tokens[2], "3") == 0 &&
	    strcmp(p.var, "CUDA_VISIBLE_DEVICES") == 0, "a list");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("4,5", env4, &p, &cause) == 0 &&
	    strcmp(p.var, "HABANA_VISIBLE_MODULES") == 0,
	    "a list takes the kind the node gave");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("rocr:0,1", env1, &p, &cause) == 0 &&
	    p.n == 2 && strcmp(p.var, "ROCR_VISIBLE_DEVICES") == 0,
	    "a list with its kind");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("0,,1", NULL, &p, &cause) == -1 &&
	    strstr(cause, "--gpus takes auto, none or a list") != NULL,
	    "an empty item in a list is an error");
	free(cause);

	n = rung_gpu_parse_smi(smi, &tok);
	ok(n == 2 && strcmp(tok[0], "0") == 0 && strcmp(tok[1], "1") == 0,
	    "nvidia-smi -L: the GPU lines");
	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	for (i = 0; i < 4; i++) {
		static const char *names[] = { "nvidia10", "nvidia2",
		    "nvidiactl", "nvidia-uvm" };

		path = xprintf("%s/%s", dir, names[i]);
		if ((fd = open(path, O_CREAT | O_WRONLY, 0600)) >= 0)
			close(fd);
		free(path);
	}
	n = rung_gpu_scan_dev(dir, &tok);
	ok(n == 2 && strcmp(tok[0], "2") == 0 && strcmp(tok[1], "10") == 0,
	    "/dev/nvidia[0-9]*, in numeric order, not nvidiactl");
	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
	for (i = 0; i < 4; i++) {
		static const char *names[] = { "nvidia10", "nvidia2",
		    "nvidiactl", "nvidia-uvm" };

		path = xprintf("%s/%s", dir, names[i]);
		unlink(path);
		free(path);
	}
	rmdir(dir);
}

static void
free_tokens(char **tok, uint32_t n)
{
	uint32_t	 i;

	for (i = 0; i < n; i++)
		free(tok[i]);
	free(tok);
}

/* A file at dir/name with text, its directories made. */
static void
put_file(const char *dir, const char *name, const char *text, int mode)
{
	char	*path = xprintf("%s/%s", dir, name), *p;
	int	 fd;

	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if ((fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, mode)) >= 0) {
		if (write(fd, text, strlen(text)) < 0)
			ok(0, "write %s: %s", path, strerror(errno));
		close(fd);
	}
	free(path);
}

/* Whether the pool unsets name in its trials. */
static int
unsets(const struct rung_gpu_pool *p, const char *name)
{
	size_t	 i;

	for (i = 0; p->unset != NULL && p->unset[i] != NULL; i++) {
		if (strcmp(p->unset[i], name) == 0)
			return 1;
	}
	return 0;
}

/*
 * The vendors: what rocm-smi and hl-smi print, AMD's kfd nodes, the
 * order auto tries them in (fake tools in PATH, a fake /dev and /sys),
 * and the variables a trial gets and loses.
 */
static void
test_gpu_vendors(void)
{
	struct rung_gpu_pool p;
	const char *rocm_table =
	    "============================ ROCm System Management Interface "
	    "============================\n"
	    "=================================== ID "
	    "===================================\n"
	    "GPU[0]\t\t: Device Name: \t\tAMD Instinct MI250X\n"
	    "GPU[0]\t\t: Device ID: \t\t0x740c\n"
	    "GPU[1]\t\t: Device Name: \t\tAMD Instinct MI250X\n"
	    "GPU[1]\t\t: Device ID: \t\t0x740c\n"
	    "============================= End of ROCm SMI Log "
	    "==============================\n";
	const char *rocm_csv = "device,Device Name,Device ID\n"
	    "card0,AMD Instinct MI250X,0x740c\ncard1,AMD Instinct MI250X,"
	    "0x740c\ncard3,AMD Instinct MI250X,0x740c\n";
	const char *hl = "0\n2\n 3 \n\nmodule_id\n";
	const char *cpu = "cpu_cores_count 16\nsimd_count 0\n";
	const char *gpu = "cpu_cores_count 0\nsimd_count 440\n";
	char	*env_rocr[] = { "ROCR_VISIBLE_DEVICES=GPU-a,GPU-b",
	    "HIP_VISIBLE_DEVICES=0,1", NULL };
	char	*env_hip[] = { "HIP_VISIBLE_DEVICES=1,2", NULL };
	char	*env_both[] = { "CUDA_VISIBLE_DEVICES=4,5",
	    "ROCR_VISIBLE_DEVICES=4,5", NULL };
	char	 dir[] = "/tmp/unit-launch-gpu.XXXXXX";
	char	*cause = NULL, **tok, *kfd, *bin, *path, *oldpath;
	uint32_t n;

	n = rung_gpu_parse_rocm_smi(rocm_table, &tok);
	ok(n == 2 && strcmp(tok[0], "0") == 0 && strcmp(tok[1], "1") == 0,
	    "rocm-smi --showid: two GPUs of four lines");
	free_tokens(tok, n);
	n = rung_gpu_parse_rocm_smi(rocm_csv, &tok);
	ok(n == 3 && strcmp(tok[2], "2") == 0,
	    "rocm-smi --showid --csv: three cards, ROCm's 0, 1, 2");
	free_tokens(tok, n);
	n = rung_gpu_parse_rocm_smi("WARNING: no AMD GPU\n", &tok);
	ok(n == 0 && tok == NULL, "rocm-smi without a GPU");
	n = rung_gpu_parse_hl_smi(hl, &tok);
	ok(n == 3 && strcmp(tok[0], "0") == 0 && strcmp(tok[1], "2") == 0 &&
	    strcmp(tok[2], "3") == 0,
	    "hl-smi -Q module_id -f csv,noheader: the module ids as listed");
	free_tokens(tok, n);

	if (mkdtemp(dir) == NULL) {
		ok(0, "mkdtemp: %s", strerror(errno));
		return;
	}
	kfd = xprintf("%s/sys/class/kfd/kfd/topology/nodes", dir);
	put_file(dir, "sys/class/kfd/kfd/topology/nodes/0/properties", cpu,
	    0644);
	put_file(dir, "sys/class/kfd/kfd/topology/nodes/1/properties", gpu,
	    0644);
	put_file(dir, "sys/class/kfd/kfd/topology/nodes/2/properties", gpu,
	    0644);
	n = rung_gpu_scan_kfd(kfd, &tok);
	ok(n == 2 && strcmp(tok[0], "0") == 0 && strcmp(tok[1], "1") == 0,
	    "kfd: the nodes with SIMDs are GPUs, the CPU's is not");
	free_tokens(tok, n);

	ok(rung_gpu_pool_init("auto", env_rocr, &p, &cause) == 0 &&
	    p.n == 2 && strcmp(p.var, "ROCR_VISIBLE_DEVICES") == 0 &&
	    strcmp(p.tokens[1], "GPU-b") == 0 &&
	    unsets(&p, "HIP_VISIBLE_DEVICES") &&
	    unsets(&p, "CUDA_VISIBLE_DEVICES"),
	    "an inherited ROCR_VISIBLE_DEVICES: its tokens, literally; "
	    "HIP_VISIBLE_DEVICES unset (it would remap them twice)");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("auto", env_hip, &p, &cause) == 0 &&
	    p.n == 2 && strcmp(p.var, "HIP_VISIBLE_DEVICES") == 0 &&
	    strcmp(p.tokens[0], "1") == 0 && p.unset == NULL,
	    "an inherited HIP_VISIBLE_DEVICES alone is narrowed itself");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("hip:0,1", NULL, &p, &cause) == 0 &&
	    strcmp(p.var, "HIP_VISIBLE_DEVICES") == 0, "--gpus hip:0,1");
	rung_gpu_pool_release(&p);
	ok(rung_gpu_pool_init("rocr:0,1", NULL, &p, &cause) == 0 &&
	    unsets(&p, "HIP_VISIBLE_DEVICES"), "--gpus rocr:0,1 unsets HIP's");
	rung_gpu_pool_release(&p);

	/* Fake tools in PATH, a fake /dev and /sys. */
	bin = xprintf("%s/bin", dir);
	mkdir(bin, 0755);
	mkdir(path = xprintf("%s/dev", dir), 0755);
	free(path);
	oldpath = xstrdup(getenv("PATH") ? getenv("PATH") : "/bin");
	setenv("PATH", bin, 1);
	rung_gpu_sysroot = dir;

	ok(rung_gpu_pool_init("auto", env_both, &p, &cause) == 0 &&
	    strcmp(p.var, "ROCR_VISIBLE_DEVICES") == 0 && p.n == 2 &&
	    strcmp(p.tokens[0], "4") == 0,
	    "CUDA_ and ROCR_VISIBLE_DEVICES both (Slurm) on an AMD node: ROCR");
	rung_gpu_pool_release(&p);

	put_file(dir, "bin/rocm-smi", "#!/bin/sh\n"
	    "[ \"$*\" = \"--showid --csv\" ] || exit 2\n"
	    "printf 'device,Device ID\\ncard0,0x740c\\ncard1,0x740c\\n"
	    "card2,0x740c\\n'\n", 0755);
	put_file(dir, "bin/hl-smi", "#!/bin/sh\n"
	    "[ \"$*\" = \"-Q module_id -f csv,noheader\" ] || exit 2\n"
	    "printf '4\\n5\\n'\n", 0755);
	ok(rung_gpu_pool_init("auto", NULL, &p, &cause) == 0 && p.n == 3 &&
	    strcmp(p.var, "ROCR_VISIBLE_DEVICES") == 0 &&
	    strcmp(p.source, "rocm-smi --showid") == 0 && !p.pci_order,
	    "auto: rocm-smi before the kfd nodes and hl-smi");
	rung_gpu_pool_release(&p);
	put_file(dir, "bin/nvidia-smi", "#!/bin/sh\n"
	    "echo 'GPU 0: NVIDIA H100 (UUID: GPU-x)'\n", 0755);
	ok(rung_gpu_pool_init("auto", NULL, &p, &cause) == 0 && p.n == 1 &&
	    strcmp(p.var, "CUDA_VISIBLE_DEVICES") == 0 && p.pci_order &&
	    p.unset == NULL, "auto: nvidia-smi first");
	rung_gpu_pool_release(&p);
	put_file(dir, "dev/nvidia0", "", 0644);
	ok(rung_gpu_pool_init("auto", env_both, &p, &cause) == 0 &&
	    strcmp(p.var, "CUDA_VISIBLE_DEVICES") == 0,
	    "CUDA_ and ROCR_VISIBLE_DEVICES both on an NVIDIA node: CUDA");
	rung_gpu_pool_release(&p);
	path = xprintf("%s/bin/nvidia-smi", dir);
	unlink(path);
	free(path);
	path = xprintf("%s/dev/nvidia0", dir);
	unlink(path);
	free(path);
	path = xprintf("%s/bin/rocm-smi", dir);
	unlink(path);
	free(path);
	ok(rung_gpu_pool_init("auto", NULL, &p, &cause) == 0 && p.n == 2 &&
	    strcmp(p.var, "ROCR_VISIBLE_DEVICES") == 0 &&
	    strcmp(p.source, "/sys/class/kfd") == 0,
	    "auto: no rocm-smi, the kfd nodes");
	rung_gpu_pool_release(&p);
	path = xprintf("%s/sys/class/kfd/kfd/topology/nodes/1/properties",
	    dir);
	put_file(dir, "sys/class/kfd/kfd/topology/nodes/1/properties", cpu,
	    0644);
	put_file(dir, "sys/class/kfd/kfd/topology/nodes/2/properties", cpu,
	    0644);
	free(path);
	ok(rung_gpu_pool_init("auto", NULL, &p, &cause) == 0 && p.n == 2 &&
	    strcmp(p.var, "HABANA_VISIBLE_MODULES") == 0 &&
	    strcmp(p.tokens[0], "4") == 0 && strcmp(p.tokens[1], "5") == 0,
	    "auto: Gaudi modules from hl-smi");
	rung_gpu_pool_release(&p);
	path = xprintf("%s/bin/hl-smi", dir);
	unlink(path);
	free(path);
	ok(rung_gpu_pool_init("auto", NULL, &p, &cause) == 0 && p.n == 0 &&
	    strcmp(p.source, "no GPU found") == 0, "auto: none of them");
	rung_gpu_pool_release(&p);

	rung_gpu_sysroot = "";
	setenv("PATH", oldpath, 1);
	free(oldpath);
	free(bin);
	free(kfd);
	path = xprintf("rm -rf '%s'", dir);
	if (system(path) != 0)
		ok(0, "%s", path);
	free(path);
}

/* The lines of a failed run's log that say why. */
static void
test_log_why(void)
{
	const char *root = "[rung] 2026-12-06T03:02:31Z: run 1 of trial 0: "
	    "/usr/bin/mpirun --bind-to none -np 1 ./usage.sh\n"
	    "------------------------------------------------------------\n"
	    "mpirun has detected an attempt to run as root.\n"
	    "\n"
	    "Running as root is *strongly* discouraged as any mistake (e.g., "
	    "in\ndefining TMPDIR) or bug can result in catastrophic damage "
	    "to the OS\nfile system, leaving your system in an unusable "
	    "state.\n\n"
	    "You can override this protection by adding the "
	    "--allow-run-as-root option\nto the cmd line or by setting two "
	    "environment variables in the following way:\n"
	    "We reiterate our advice against doing so - please proceed at "
	    "your own risk.\n"
	    "------------------------------------------------------------\n";
	const char *crash = "trainer: CUDA error: out of memory at step 3\n"
	    "------------------------------------------------------------\n"
	    "Primary job  terminated normally, but 1 process returned\n"
	    "a non-zero exit code. Per user-direction, the job has been "
	    "aborted.\n"
	    "------------------------------------------------------------\n"
	    "------------------------------------------------------------\n"
	    "mpirun detected that one or more processes exited with non-zero "
	    "status, thus causing\nthe job to be terminated. The first "
	    "process to do so was:\n\n  Process name: [[1,1],0]\n"
	    "  Exit code:    3\n"
	    "------------------------------------------------------------\n";
	const char *tb = "loading: no error so far\n"
	    "Traceback (most recent call last):\n"
	    "  File \"t.py\", line 3, in <module>\n"
	    "    load(\"x\")\n"
	    "FileNotFoundError: [Errno 2] No such file or directory: 'x'\n"
	    "[rung] 2026-12-06T03:02:31Z: run 1 failed (exit status 1)\n";
	const char *notice = "------------------------------------------\n"
	    "mpirun was unable to find the specified executable file, and "
	    "therefore\ndid not launch the job.\n"
	    "------------------------------------------\n";
	char	*w;

	w = rung_log_why(root);
	is_str(w, "mpirun has detected an attempt to run as root.",
	    "Open MPI's refusal of root, 15 lines up");
	free(w);
	w = rung_log_why(crash);
	is_str(w, "trainer: CUDA error: out of memory at step 3",
	    "the trainer's error, not mpirun's notices that a process failed");
	free(w);
	w = rung_log_why(tb);
	is_str(w, "FileNotFoundError: [Errno 2] No such file or directory: "
	    "'x'", "a traceback: its exception");
	free(w);
	w = rung_log_why(notice);
	is_str(w, "mpirun was unable to find the specified executable file, "
	    "and therefore did not launch the job.",
	    "a notice between rules: its first paragraph as one line");
	free(w);
	w = rung_log_why("a\nb\nerror: one\nc\nfailed: two\n"
	    "denied: three\ncannot: four\nd\n");
	is_str(w, "failed: two | denied: three | cannot: four",
	    "the last three lines that name an error");
	free(w);
	ok(rung_log_why("all went well\nthen it stopped\n") == NULL &&
	    rung_log_why(NULL) == NULL, "nothing that says why: NULL");
}

/* A child in its own session that sleeps with env key=..., and a grandchild. */
static pid_t
sleeper(const char *key, int setsid_too)
{
	pid_t	 pid;
	char	*env[] = { NULL, NULL };

	if ((pid = fork()) != 0)
		return pid;
	if (setsid_too)
		setsid();
	env[0] = key != NULL ? xprintf("RUNG_TRIAL_KEY=%s", key) : NULL;
	execle("/bin/sh", "sh", "-c", "sleep 30 & sleep 30; :", (char *)NULL,
	    env);
	_exit(127);
}

static void
wait_procs(pid_t sid, const char *key, size_t want)
{
	int	 i;

	for (i = 0; i < 200; i++) {
		if (rung_proc_find("/proc", sid, key, NULL) == want)
			return;
		usleep(10000);
	}
}

static void
test_proc(void)
{
	pid_t	 a, b, *pids;
	size_t	 n;

	if (access("/proc/self/stat", R_OK) != 0) {
		ok(1, "# SKIP no /proc");
		return;
	}
	a = sleeper("k1", 1);
	b = sleeper("k2", 1);
	wait_procs(a, NULL, 3);
	is_int(rung_proc_sid("/proc", a), a, "a session leader's session");
	n = rung_proc_find("/proc", a, NULL, &pids);
	is_int(n, 3, "by session: the shell and its two sleeps");
	free(pids);
	wait_procs(0, "k2", 3);
	is_int(rung_proc_find("/proc", 0, "k2", NULL), 3,
	    "by key: the other trial's three");
	is_int(rung_proc_find("/proc", a, "k2", NULL), 3,
	    "session a with key k2: a's processes carry k1, not counted");
	kill(-a, SIGKILL);
	kill(-b, SIGKILL);
	waitpid(a, NULL, 0);
	waitpid(b, NULL, 0);
	wait_procs(a, "k1", 0);
	is_int(rung_proc_find("/proc", a, "k1", NULL), 0,
	    "killed: nothing of the trial remains (zombies do not count)");
	is_int(rung_proc_find("/nonexistent", 1, "x", NULL), 0,
	    "no /proc, no process");
}

static void
test_capture(void)
{
	struct rung_buf	 b = { 0 };
	char		*both[] = { "sh", "-c", "echo out; echo err >&2; exit 4",
	    NULL };
	char		*many[] = { "sh", "-c", "yes | head -c 100000", NULL };
	char		*none[] = { "/nonexistent/prog", NULL };
	int		 status = -1;

	ok(rung_capture(both, 0, 0, &b, &status) == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 4, "a program's exit status");
	is_str(rung_buf_cstr(&b), "out\n", "its output, its errors thrown away");
	rung_buf_release(&b);
	ok(rung_capture(both, RUNG_CAPTURE_STDERR, 0, &b, &status) == 0,
	    "again, with its errors");
	is_str(rung_buf_cstr(&b), "out\nerr\n", "output and errors in order");
	rung_buf_release(&b);
	ok(rung_capture(many, 0, 511, &b, &status) == 0 && b.len == 511,
	    "at most max bytes, the rest not read");
	rung_buf_release(&b);
	ok(rung_capture(many, 0, 0, &b, &status) == 0 && b.len == 100000,
	    "all of it without a max");
	rung_buf_release(&b);
	ok(rung_capture(none, 0, 0, &b, &status) == 0 && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 127 && b.len == 0,
	    "a program that cannot run: 127, nothing captured");
	rung_buf_release(&b);
}

/* --launcher sbatch: what the job runs. */
static void
test_argv_sbatch(void)
{
	struct rung_launcher_opts o;
	char		*cmd[] = { "python3", "train.py" };
	char		**v, *s;

	memset(&o, 0, sizeof o);
	o.kind = RUNG_LAUNCHER_SBATCH;
	o.program = "/usr/bin/sbatch";
	o.ranks = 1;
	v = rung_launch_argv(&o, NULL, 0, cmd, 2);
	s = joined(v);
	is_str(s, "python3 train.py", "sbatch, one rank: the command itself");
	free(s);
	rung_free_strv(v);
	o.ranks = 4;
	v = rung_launch_argv(&o, NULL, 0, cmd, 2);
	s = joined(v);
	is_str(s, "srun -n 4 python3 train.py", "sbatch, 4 ranks: a step");
	free(s);
	rung_free_strv(v);
	is_int(rung_launcher_parse("sbatch"), RUNG_LAUNCHER_SBATCH,
	    "sbatch is a launcher");
	is_str(rung_launcher_name(RUNG_LAUNCHER_SBATCH), "sbatch",
	    "and its name");
}

int
main(void)
{
	test_protocol();
	test_protocol_fuzzed();
	test_protocol_numbers();
	test_subst();
	test_argv();
	test_env();
	test_gpus();
	test_gpu_vendors();
	test_log_why();
	test_proc();
	test_capture();
	test_argv_sbatch();
	return done_testing();
}
