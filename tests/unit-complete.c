/* The prompt's completion of option values and operands, without readline. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "rung/cmd.h"
#include "rung/complete.h"
#include "rung/tui.h"
#include "rung/util.h"
#include "tap.h"

static char *studies[] = { "mlpf", "mq", "small" };
static char *metrics[] = { "acc", "loss", "val_acc" };
static char *params[] = { "lr", "depth" };
static char *mq_ids[] = { "0", "1", "12" };

static char *const *
trials(void *arg, const char *study, size_t *n)
{
	(void)arg;
	if (strcmp(study, "mq") != 0)
		return NULL;
	*n = 3;
	return mq_ids;
}

static void
add(const char *s, void *arg)
{
	struct rung_buf *b = arg;

	rung_buf_printf(b, "%s%s", b->len ? " " : "", s);
}

/* The candidates for the last word of line, those that start with it. */
static void
check(const char *line, const char *want)
{
	struct rung_completer c = { studies, 3, metrics, 3, params, 2, "mq",
	    trials, NULL };
	struct rung_buf	 all = { 0 }, b = { 0 };
	const struct rung_cmd_entry *e;
	char		**words, *cause = NULL, *head, *text, *p, *save;
	const char	*brk;
	int		 n = 0, ret;

	/* readline's word: after the last blank or '='. */
	brk = line + strlen(line);
	while (brk > line && brk[-1] != ' ' && brk[-1] != '=')
		brk--;
	text = strdup(brk);
	head = strndup(line, (size_t)(brk - line));
	words = rung_split_line(head, &n, &cause);
	e = words != NULL && n > 0 ? rung_cmd_find(words[0], &cause) : NULL;
	if (e == NULL) {
		ok(0, "<%s>: no command", line);
		goto out;
	}
	ret = rung_complete_value(&c, e, words, n, text, add, &all);
	if (ret == 0)
		rung_buf_addstr(&b, "(none)");
	else if (all.len > 0) {
		for (p = strtok_r(rung_buf_cstr(&all), " ", &save); p != NULL;
		    p = strtok_r(NULL, " ", &save)) {
			if (strncmp(p, text, strlen(text)) == 0)
				rung_buf_printf(&b, "%s%s", b.len ? " " : "",
				    p);
		}
	}
	is_str(rung_buf_cstr(&b), want, "<%s>", line);
out:
	rung_buf_release(&all);
	rung_buf_release(&b);
	rung_free_argv(words);
	free(cause);
	free(head);
	free(text);
}

int
main(void)
{
	check("replay --policy ", "random sha hyperband asha swift-hyperband "
	    "baker asha-svr lce asha-lce hyperband-lce");
	check("replay --policy as", "asha asha-svr asha-lce");
	check("replay --policy hyperband,as", "hyperband,asha hyperband,asha-svr "
	    "hyperband,asha-lce");
	check("replay --policy=hy", "hyperband hyperband-lce");
	check("replay --baseline ra", "random");
	check("replay --baseline hyperband,ra", "");
	check("trials --sort ", "id status steps final best lr depth");
	check("trials --sort d", "depth");
	check("export -f j", "jsonl");
	check("export --format w", "wide-csv");
	check("import -f optuna", "optuna optuna-journal");
	check("import -m ", "(none)");
	check("replay --metric va", "val_acc");
	check("plot --metric ", "acc loss val_acc");
	check("fit --params lr,", "lr,lr lr,depth");
	check("fit --svr e", "eps-svr");
	check("fit -m va", "val_acc");
	check("trials --direction m", "min max");
	check("launch --from m", "mlpf mq");
	check("launch --configs ", "");
	check("plot --trials 0,1", "0,1 0,12");
	check("plot mlpf --trials 0,1", "");
	check("plot mq --trials ", "0 1 12");
	check("replay --seed ", "");
	check("show ", "mlpf mq small 0 1 12");
	check("show mq 1", "1 12");
	check("show --json mq ", "0 1 12");
	check("show mlpf ", "");
	check("fit --prefix 5 s", "small");
	check("fit --prefix 5 mq ", "(none)");
	check("plot --trials 1", "1 12");
	check("import ", "(none)");
	check("replay -j 2 --workers 4 m", "mlpf mq");
	return done_testing();
}
