/*
 * The explorer's command line: GNU readline in callback mode under
 * ncurses. ncurses owns the terminal: readline neither changes the
 * terminal modes (its prep and deprep functions do nothing) nor catches
 * signals, reads its characters from a queue that the main loop fills from
 * getch(), and redisplays by drawing into the last line of the screen.
 * History lives in $XDG_STATE_HOME/rung/history; Tab completes from the
 * command table, the study's parameters and the studies of the database.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wchar.h>

#include <readline/readline.h>
#include <readline/history.h>

#include "tui-int.h"
#include "rung/complete.h"
#include "rung/xmalloc.h"

static unsigned char	 queue[64];
static int		 qhead, qlen;
static struct tui	*pt;		/* the explorer the prompt belongs to */
static char		*hist_path;
static FILE		*devnull;
static int		 initialised;

static void
push(const char *s, size_t n)
{
	while (n-- > 0 && qlen < (int)sizeof queue) {
		queue[(qhead + qlen) % sizeof queue] = (unsigned char)*s++;
		qlen++;
	}
}

static int
rl_getc_cb(FILE *f)
{
	int	 c;

	(void)f;
	if (qlen == 0)
		return EOF;
	c = queue[qhead];
	qhead = (qhead + 1) % (int)sizeof queue;
	qlen--;
	return c;
}

static int
rl_avail_cb(void)
{
	return qlen > 0;
}

static void
rl_noprep(int meta)
{
	(void)meta;
}

static void
rl_nodeprep(void)
{
}

static void
rl_redisplay_cb(void)
{
	if (pt != NULL)
		pt->dirty = 1;
}

static void
rl_line_cb(char *line)
{
	struct tui	*t = pt;

	if (t == NULL) {
		free(line);
		return;
	}
	if (line != NULL) {
		if (t->prompting == ':' && *line != '\0') {
			HIST_ENTRY *last = history_get(history_base +
			    history_length - 1);

			if (last == NULL || strcmp(last->line, line) != 0) {
				add_history(line);
				/* At once: a crash keeps it too. */
				if (hist_path != NULL)
					append_history(1, hist_path);
			}
		}
		free(t->line);
		t->line = xstrdup(line);
		t->line_kind = t->prompting;
		free(line);
	}
	rl_callback_handler_remove();
	t->prompting = 0;
	curs_set(0);
	t->dirty = 1;
}

/* Completion candidates of the current word. */
static char	**cands;
static size_t	  ncands, candcap;

static void
cand_add(const char *s)
{
	size_t	 i;

	for (i = 0; i < ncands; i++) {
		if (strcmp(cands[i], s) == 0)
			return;
	}
	XGROW(cands, candcap, ncands + 1);
	cands[ncands++] = xstrdup(s);
}

static void
cand_clear(void)
{
	size_t	 i;

	for (i = 0; i < ncands; i++)
		free(cands[i]);
	ncands = 0;
}

static char *
cand_gen(const char *text, int state)
{
	static size_t	 i, len;

	if (state == 0) {
		i = 0;
		len = strlen(text);
	}
	while (i < ncands) {
		const char *c = cands[i++];

		if (strncmp(c, text, len) == 0)
			return strdup(c);	/* readline frees it */
	}
	return NULL;
}

static void
cand_params(struct tui *t)
{
	uint32_t	 i;

	if (t->s == NULL)
		return;
	for (i = 0; i < t->s->nparams; i++)
		cand_add(t->s->params[i].name);
}

static void
cand_studies(struct tui *t)
{
	const struct rung_study_info *si;
	size_t	 i, n;

	si = tui_studies(t, &n);
	for (i = 0; i < n; i++)
		cand_add(si[i].name);
}

static void
cand_add_cb(const char *s, void *arg)
{
	(void)arg;
	cand_add(s);
}

/*
 * The trial ids of a study for completion: the open study's at hand,
 * another's read from the store once and kept until the next one.
 */
static char *const *
trial_ids(void *arg, const char *study, size_t *n)
{
	static struct rung_study *other;
	struct tui	*t = arg;
	char		*cause = NULL;

	if (t->s != NULL && strcmp(t->s->name, study) == 0) {
		*n = t->s->ntrials;
		return t->s->ids;
	}
	if (other == NULL || strcmp(other->name, study) != 0) {
		rung_study_free(other);
		other = NULL;
		if (t->ctx == NULL || t->ctx->store == NULL ||
		    rung_store_load(t->ctx->store, study, NULL, 0, &other,
		    &cause) != 0) {
			free(cause);
			return NULL;
		}
	}
	*n = other->ntrials;
	return other->ids;
}

/* The values of options and the operands of a command of the table. */
static int
cand_values(struct tui *t, const struct rung_cmd_entry *e, char **words,
    int nwords, const char *text)
{
	struct rung_completer c;
	const struct rung_study_info *si;
	char		**studies;
	size_t		 i, n;
	int		 ret;

	memset(&c, 0, sizeof c);
	si = tui_studies(t, &n);
	studies = xcalloc(n + 1, sizeof *studies);
	for (i = 0; i < n; i++)
		studies[i] = si[i].name;
	c.studies = studies;
	c.nstudies = n;
	c.metrics = t->metrics;
	c.nmetrics = t->metrics != NULL ? t->nmetrics : 0;
	if (t->s != NULL) {
		c.params = xcalloc(t->s->nparams + 1, sizeof *c.params);
		for (i = 0; i < t->s->nparams; i++)
			((char **)c.params)[i] = t->s->params[i].name;
		c.nparams = t->s->nparams;
	}
	c.open_study = t->s != NULL ? t->s->name : NULL;
	c.trials = trial_ids;
	c.trials_arg = t;
	ret = rung_complete_value(&c, e, words, nwords, text, cand_add_cb,
	    NULL);
	free((void *)c.params);
	free(studies);
	return ret;
}

static char **
rl_complete_cb(const char *text, int start, int end)
{
	struct tui	*t = pt;
	const struct rung_cmd_entry *const *ep, *e = NULL;
	const struct tui_command *tc = NULL;
	const struct option *o;
	char		**words, *head, *cause = NULL;
	int		  nwords = 0, i;
	char		  buf[64];
	char		**m;

	(void)end;
	rl_attempted_completion_over = 1;
	cand_clear();
	if (t == NULL)
		return NULL;
	if (t->prompting == 'f' || t->prompting == '/') {
		static const char *fields[] = { "id", "status", "steps",
			"points", "best", "final", "predicted", "and", "or",
			"not", "complete", "stopped", "failed", "running",
			NULL };
		for (i = 0; fields[i] != NULL; i++)
			cand_add(fields[i]);
		cand_params(t);
		goto out;
	}
	head = xstrndup(rl_line_buffer, (size_t)start);
	words = rung_split_line(head, &nwords, &cause);
	free(head);
	free(cause);
	if (words == NULL || nwords == 0) {
		/* The command word: the explorer's and the shell's. */
		for (i = 0; tui_commands[i].name != NULL; i++)
			cand_add(tui_commands[i].name);
		for (ep = rung_cmd_table; *ep != NULL; ep++)
			cand_add((*ep)->name);
		rung_free_argv(words);
		goto out;
	}
	for (i = 0; tui_commands[i].name != NULL; i++) {
		if (strcmp(tui_commands[i].name, words[0]) == 0)
			tc = &tui_commands[i];
	}
	if (tc == NULL) {
		e = rung_cmd_find(words[0], &cause);
		free(cause);
	}
	if (text[0] == '-') {
		if (e != NULL) {
			struct option *lo = rung_cmd_longopts(e);

			for (o = lo; o->name != NULL; o++) {
				snprintf(buf, sizeof buf, "--%s", o->name);
				cand_add(buf);
			}
			free(lo);
		} else if (tc != NULL && tc->opts != NULL) {
			for (i = 0; tc->opts[i] != NULL; i++)
				cand_add(tc->opts[i]);
		}
	} else if (e != NULL && cand_values(t, e, words, nwords, text)) {
		/* An option's value or an operand the table knows. */
	} else if (e != NULL && strcmp(e->name, "import") == 0) {
		/* Files to import. */
		rung_free_argv(words);
		rl_attempted_completion_over = 0;
		rl_filename_completion_desired = 1;
		return rl_completion_matches(text,
		    rl_filename_completion_function);
	} else if (e != NULL && strcmp(e->name, "help") == 0) {
		for (ep = rung_cmd_table; *ep != NULL; ep++)
			cand_add((*ep)->name);
	} else if (tc != NULL && tc->operand == OPD_METRIC) {
		for (size_t k = 0; k < t->nmetrics; k++)
			cand_add(t->metrics[k]);
	} else if (tc != NULL && tc->operand == OPD_STUDY) {
		cand_studies(t);
	} else if (tc != NULL && tc->operand == OPD_COLUMN) {
		static const char *keys[] = { "id", "status", "steps", "final",
			"best", NULL };

		for (i = 0; keys[i] != NULL; i++)
			cand_add(keys[i]);
		cand_params(t);
	} else {
		cand_studies(t);
		cand_params(t);
	}
	rung_free_argv(words);
out:
	m = rl_completion_matches(text, cand_gen);
	return m;
}

static void
rl_matches_cb(char **matches, int n, int maxlen)
{
	struct rung_buf	 b = { 0 };
	int		 i;

	(void)maxlen;
	if (pt == NULL)
		return;
	for (i = 1; i <= n; i++)
		rung_buf_printf(&b, "%s%s", i > 1 ? "  " : "", matches[i]);
	free(pt->matches);
	pt->matches = xstrdup(rung_buf_cstr(&b));
	rung_buf_release(&b);
	pt->dirty = 1;
}

static char *
history_file(void)
{
	const char	*state = getenv("XDG_STATE_HOME");
	const char	*home = getenv("HOME");
	char		*dir, *p;

	if (state != NULL && *state == '/')
		dir = rung_path_join(state, "rung");
	else if (home != NULL && *home != '\0')
		dir = rung_path_join(home, ".local/state/rung");
	else
		return NULL;
	/* mkdir -p */
	for (p = dir + 1; *p != '\0'; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			free(dir);
			return NULL;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		free(dir);
		return NULL;
	}
	p = rung_path_join(dir, "history");
	free(dir);
	return p;
}

void
tui_prompt_init(void)
{
	if (initialised)
		return;
	initialised = 1;
	rl_readline_name = "rung";
	rl_catch_signals = 0;
	rl_catch_sigwinch = 0;
	rl_change_environment = 0;
	rl_prep_term_function = rl_noprep;
	rl_deprep_term_function = rl_nodeprep;
	rl_getc_function = rl_getc_cb;
	rl_input_available_hook = rl_avail_cb;
	rl_redisplay_function = rl_redisplay_cb;
	rl_attempted_completion_function = rl_complete_cb;
	rl_completion_display_matches_hook = rl_matches_cb;
	rl_basic_word_break_characters = " \t\n\"'=";
	/* Nothing of readline's own output may reach the terminal. */
	if ((devnull = fopen("/dev/null", "w")) != NULL)
		rl_outstream = devnull;
	rl_instream = stdin;
	rl_variable_bind("bell-style", "none");
	rl_variable_bind("show-all-if-ambiguous", "on");
	rl_variable_bind("horizontal-scroll-mode", "on");
	using_history();
	stifle_history(1000);
	if ((hist_path = history_file()) != NULL) {
		int	 fd = open(hist_path, O_WRONLY | O_CREAT | O_APPEND,
			    0600);

		if (fd >= 0)
			close(fd);
		read_history(hist_path);
	}
}

void
tui_prompt_fini(void)
{
	if (!initialised)
		return;
	if (pt != NULL && pt->prompting)
		rl_callback_handler_remove();
	if (hist_path != NULL)
		history_truncate_file(hist_path, 1000);
	free(hist_path);
	hist_path = NULL;
	clear_history();
	cand_clear();
	free(cands);
	cands = NULL;
	candcap = 0;
	rl_outstream = NULL;
	if (devnull != NULL)
		fclose(devnull);
	devnull = NULL;
	pt = NULL;
	initialised = 0;
}

void
tui_prompt_open(struct tui *t, int kind, const char *text)
{
	static char	 prompt[2];

	tui_prompt_init();
	pt = t;
	if (t->prompting)
		tui_prompt_close(t);
	qhead = qlen = 0;
	t->prompting = kind;
	prompt[0] = (char)(kind == 'f' ? '&' : kind);
	prompt[1] = '\0';
	using_history();
	rl_callback_handler_install(kind == 'f' ? "filter: " : prompt,
	    rl_line_cb);
	if (text != NULL && *text != '\0') {
		rl_insert_text(text);
		rl_point = rl_end;
	}
	free(t->matches);
	t->matches = NULL;
	curs_set(1);
	t->dirty = 1;
}

void
tui_prompt_close(struct tui *t)
{
	if (!t->prompting)
		return;
	rl_callback_sigcleanup();
	rl_replace_line("", 1);
	rl_point = rl_end = 0;
	rl_callback_handler_remove();
	t->prompting = 0;
	qhead = qlen = 0;
	curs_set(0);
	free(t->matches);
	t->matches = NULL;
	t->dirty = 1;
}

void
tui_prompt_key(struct tui *t, int c)
{
	const char	*seq = NULL;
	char		 ch;
	int		 next;

	free(t->matches);
	t->matches = NULL;
	switch (c) {
	case 27:
		/* A lone Escape cancels; Escape and a key is Meta-key. */
		if ((next = getch()) == ERR) {
			tui_prompt_close(t);
			return;
		}
		ch = 27;
		push(&ch, 1);
		if (next < 256) {
			ch = (char)next;
			push(&ch, 1);
		}
		break;
	case KEY_ENTER:
	case '\n':
	case '\r':
		seq = "\r";
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		if (rl_end == 0) {
			tui_prompt_close(t);
			return;
		}
		seq = "\177";
		break;
	case KEY_DC:
		seq = rl_end > 0 ? "\004" : NULL;
		break;
	case KEY_LEFT:
		seq = "\002";
		break;
	case KEY_RIGHT:
		seq = "\006";
		break;
	case KEY_UP:
		seq = "\020";
		break;
	case KEY_DOWN:
		seq = "\016";
		break;
	case KEY_HOME:
		seq = "\001";
		break;
	case KEY_END:
		seq = "\005";
		break;
	default:
		if (c >= 0 && c < 256) {
			ch = (char)c;
			push(&ch, 1);
		}
		break;
	}
	if (seq != NULL)
		push(seq, strlen(seq));
	while (qlen > 0 && t->prompting)
		rl_callback_read_char();
	t->dirty = 1;
}

/* Columns of the first n bytes of s. */
static int
width_n(const char *s, size_t n)
{
	char	*c = xstrndup(s, n);
	int	 w = tui_width(c);

	free(c);
	return w;
}

void
tui_prompt_draw(struct tui *t)
{
	const char	*prompt = rl_display_prompt != NULL ?
			    rl_display_prompt : "";
	const char	*line = rl_line_buffer != NULL ? rl_line_buffer : "";
	int		 y = t->rows - 1, pw, cur, avail, skip, w, len;
	size_t		 off = 0, n = strlen(line);
	mbstate_t	 mbs;
	wchar_t		 wc;
	size_t		 k;

	tui_fill(y, 0, t->cols, A_NORMAL);
	pw = tui_put(y, 0, t->cols / 2, A_BOLD, prompt);
	avail = t->cols - pw - 1;
	cur = width_n(line, (size_t)rl_point < n ? (size_t)rl_point : n);
	/* Scroll the line so that the cursor stays in view. */
	skip = cur > avail ? cur - avail : 0;
	while (skip > 0 && off < n) {
		memset(&mbs, 0, sizeof mbs);
		k = mbrtowc(&wc, line + off, n - off, &mbs);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			len = 1;
			w = 1;
		} else {
			len = (int)k;
			w = wcwidth(wc);
			if (w < 0)
				w = 1;
		}
		off += (size_t)len;
		skip -= w;
		cur -= w;
	}
	tui_put(y, pw, avail, A_NORMAL, line + off);
	if (t->matches != NULL) {
		tui_fill(y - 1, 0, t->cols, t->attrs[C_TITLE]);
		tui_put(y - 1, 1, t->cols - 2, t->attrs[C_TITLE], t->matches);
	}
	move(y, pw + (cur < 0 ? 0 : cur));
}

void
tui_prompt_resize(struct tui *t)
{
	if (initialised)
		rl_set_screen_size(t->rows, t->cols);
}
