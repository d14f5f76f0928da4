/*
 * --launcher srun: the allocation's GPUs as Slurm says them (a range list
 * in SLURM_JOB_GPUS, the GRES of each node in scontrol -d show job).
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rung/util.h"
#include "rung/xmalloc.h"

#include "tap.h"
#include "../src/launch-int.h"

/* The tokens joined with commas, and freed. */
static char *
joined(char **tokens, uint32_t n)
{
	struct rung_buf	 b = { 0 };
	uint32_t	 i;

	for (i = 0; i < n; i++) {
		rung_buf_printf(&b, "%s%s", i ? "," : "", tokens[i]);
		free(tokens[i]);
	}
	free(tokens);
	if (b.len == 0)
		return xstrdup("");
	return rung_buf_cstr(&b);
}

static void
range(const char *list, uint32_t want_n, const char *want)
{
	char		**tokens = NULL, *s;
	uint32_t	 n = 0;

	lsr_add_range(list, &tokens, &n);
	is_int(n, want_n, "range '%s': %u GPUs", list, want_n);
	s = joined(tokens, n);
	is_str(s, want, "range '%s': %s", list, want);
	free(s);
}

static void
gres(const char *text, uint32_t want_n, const char *want, const char *what)
{
	char		**tokens, *s;
	uint32_t	 n;

	n = lsr_parse_gpus(text, &tokens);
	is_int(n, want_n, "%s: %u GPUs", what, want_n);
	s = joined(tokens, n);
	is_str(s, want, "%s: %s", what, want);
	free(s);
}

int
main(void)
{
	range("0,1", 2, "0,1");
	range("0-3", 4, "0,1,2,3");
	range("1,3-4,7", 4, "1,3,4,7");
	range("", 0, "");
	range("x", 0, "");
	range("3-1", 0, "");

	/* As Slurm 22.05 prints it (t0123 reads the real one). */
	gres("JobId=1 JobName=sh\n   UserId=root(0) GroupId=root(0)\n"
	    "   TresPerNode=gres:gpu:2\n"
	    "   Nodes=vm CPU_IDs=0-1 Mem=0 GRES=gpu:2(IDX:0-1)\n"
	    "   MinCPUsNode=1 MinMemoryNode=0\n", 2, "0,1", "one node");
	gres("     Nodes=n1 CPU_IDs=0-7 Mem=0 GRES=gpu:a100:2(IDX:2-3)\n"
	    "     Nodes=n2 CPU_IDs=0-7 Mem=0 GRES=gpu:a100:1(IDX:0)\n",
	    3, "2,3,0", "two nodes, a type");
	gres("     Nodes=n1 CPU_IDs=0 Mem=0 GRES=nic:1(IDX:0),gpu:1(IDX:5)\n",
	    1, "5", "a gres before the GPUs");
	gres("     Nodes=n1 CPU_IDs=0 Mem=0 GRES=gpuish:1(IDX:0)\n", 0, "",
	    "another gres whose name starts with gpu");
	gres("     Nodes=n1 CPU_IDs=0 Mem=0 GRES=\n   Nodes=n2 GRES=gpu:1 "
	    "Foo=(IDX:4)\n", 0, "", "no index: no GPU named");
	gres("     Nodes=n1 CPU_IDs=0-1 Mem=0\n", 0, "", "no GRES");
	return done_testing();
}
