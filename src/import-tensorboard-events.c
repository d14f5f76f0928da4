/*
 * TensorBoard event files (import-tensorboard.c says what is read): the
 * records of each file (tfrecord.c), each an Event protocol buffer decoded
 * by protobuf-c into an arena; scalars into the batch, the hparams
 * plugin's session into parameters and a status.
 */

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>
#include <protobuf-c/protobuf-c.h>

#include "tensorboard/compat/proto/event.pb-c.h"
#include "tensorboard/plugins/hparams/plugin_data.pb-c.h"

#include "rung/batch.h"
#include "rung/import.h"
#include "rung/jsonin.h"
#include "rung/tfrecord.h"
#include "rung/util.h"
#include "rung/xmalloc.h"

#include "import-tensorboard-int.h"

void *
tb_arena_alloc(void *ad, size_t n)
{
	struct arena	*a = ad;
	struct chunk	*c;
	size_t		 al = sizeof (max_align_t);

	n = (n + al - 1) / al * al;
	if (n > ARENA_CHUNK / 4) {
		c = xmalloc(sizeof *c + n);
		c->next = a->big;
		a->big = c;
		return c->data;
	}
	c = a->head;
	if (c == NULL || c->size - c->used < n) {
		c = xmalloc(sizeof *c + ARENA_CHUNK);
		c->size = ARENA_CHUNK;
		c->used = 0;
		c->next = a->head;
		a->head = c;
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

void
tb_arena_free(void *ad, void *p)
{
	(void)ad;
	(void)p;
}

/* Empty it, keeping one chunk. */
void
tb_arena_reset(struct arena *a, int all)
{
	struct chunk	*c, *next;

	for (c = a->big; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->big = NULL;
	if (a->head == NULL)
		return;
	for (c = a->head->next; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head->next = NULL;
	a->head->used = 0;
	if (all) {
		free(a->head);
		a->head = NULL;
	}
}

const char *
tb_base_name(const char *path)
{
	const char	*p = strrchr(path, '/');

	return p != NULL && p[1] != '\0' ? p + 1 : path;
}

/*
 * Is buf the start of an event file? Its first record is an Event naming
 * the file's version, "brain.Event:2".
 */
int
rung_tensorboard_sniff(const void *buf, size_t len)
{
	Tensorboard__Event	*ev;
	const uint8_t		*data;
	const char		*why;
	size_t			 n, used;
	int			 ok;

	if (rung_tfrecord_parse(buf, len, &data, &n, &used, &why) != 1)
		return 0;
	if ((ev = tensorboard__event__unpack(NULL, n, data)) == NULL)
		return 0;
	ok = ev->what_case == TENSORBOARD__EVENT__WHAT_FILE_VERSION &&
	    strncmp(ev->file_version, "brain.Event:", 12) == 0;
	tensorboard__event__free_unpacked(ev, NULL);
	return ok;
}

/* Tags: found by name, the hash kept. */
static struct tag *
tag_get(struct tags *t, const char *name)
{
	uint64_t	 h = rung_hash_str(name);
	size_t		 i, j;
	struct tag	*g;

	if (t->nslot > 0) {
		for (i = h & (t->nslot - 1); t->slot[i] != 0;
		    i = (i + 1) & (t->nslot - 1)) {
			g = &t->v[t->slot[i] - 1];
			if (g->hash == h && strcmp(g->name, name) == 0)
				return g;
		}
	}
	if ((t->n + 1) * 2 > t->nslot) {
		free(t->slot);
		t->nslot = t->nslot ? t->nslot * 2 : 64;
		t->slot = xcalloc(t->nslot, sizeof *t->slot);
		for (j = 0; j < t->n; j++) {
			for (i = t->v[j].hash & (t->nslot - 1); t->slot[i] != 0;
			    i = (i + 1) & (t->nslot - 1))
				;
			t->slot[i] = (uint32_t)j + 1;
		}
	}
	XGROW(t->v, t->cap, t->n + 1);
	g = &t->v[t->n];
	memset(g, 0, sizeof *g);
	g->name = xstrdup(name);
	g->hash = h;
	for (i = h & (t->nslot - 1); t->slot[i] != 0;
	    i = (i + 1) & (t->nslot - 1))
		;
	t->slot[i] = (uint32_t)++t->n;
	return g;
}

void
tb_tags_clear(struct tags *t)
{
	size_t	 i;

	for (i = 0; i < t->n; i++)
		free(t->v[i].name);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

/* Half and bfloat16 bits as a double. */
static double
half_value(uint32_t h)
{
	uint32_t	 e = (h >> 10) & 0x1f, m = h & 0x3ff;
	double		 v;

	if (e == 0)
		v = (double)m / 1024.0 / 16384.0;	/* 2^-14, subnormal */
	else if (e == 31)
		v = m ? (double)NAN : (double)INFINITY;
	else
		v = (1.0 + (double)m / 1024.0) * ldexp(1.0, (int)e - 15);
	return (h & 0x8000) ? -v : v;
}

static double
bfloat16_value(uint32_t h)
{
	uint32_t	 bits = (h & 0xffff) << 16;
	float		 f;

	memcpy(&f, &bits, sizeof f);
	return f;
}

static uint64_t
get_le(const uint8_t *p, size_t n)
{
	uint64_t	 v = 0;

	while (n-- > 0)
		v = v << 8 | p[n];
	return v;
}

/* The one number of a tensor of one float, double or half; -1 if none. */
static int
tensor_scalar(const Tensorboard__TensorProto *t, double *out)
{
	const ProtobufCBinaryData *c = &t->tensor_content;
	size_t		 i;
	uint64_t	 bits;
	float		 f;
	double		 d;

	if (t->tensor_shape != NULL) {
		for (i = 0; i < t->tensor_shape->n_dim; i++) {
			if (t->tensor_shape->dim[i]->size != 1)
				return -1;
		}
	}
	switch (t->dtype) {
	case TENSORBOARD__DATA_TYPE__DT_FLOAT:
		if (c->len == 4) {
			bits = get_le(c->data, 4);
			memcpy(&f, &(uint32_t){ (uint32_t)bits }, 4);
			*out = f;
		} else if (c->len == 0 && t->n_float_val == 1)
			*out = t->float_val[0];
		else
			return -1;
		return 0;
	case TENSORBOARD__DATA_TYPE__DT_DOUBLE:
		if (c->len == 8) {
			bits = get_le(c->data, 8);
			memcpy(&d, &bits, 8);
			*out = d;
		} else if (c->len == 0 && t->n_double_val == 1)
			*out = t->double_val[0];
		else
			return -1;
		return 0;
	case TENSORBOARD__DATA_TYPE__DT_HALF:
	case TENSORBOARD__DATA_TYPE__DT_BFLOAT16:
		if (c->len == 2)
			bits = get_le(c->data, 2);
		else if (c->len == 0 && t->n_half_val == 1)
			bits = (uint32_t)t->half_val[0];
		else
			return -1;
		*out = t->dtype == TENSORBOARD__DATA_TYPE__DT_HALF ?
		    half_value((uint32_t)bits) : bfloat16_value((uint32_t)bits);
		return 0;
	default:
		return -1;
	}
}

/* A value of the hparams plugin's Struct, as a parameter of the trial. */
static struct json_object *
value_json(const Google__Protobuf__Value *v, int depth)
{
	struct json_object	*o;
	size_t			 i;

	if (v == NULL || depth > 32)
		return NULL;
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE:
		return json_object_new_double(v->number_value);
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		return json_object_new_string(v->string_value);
	case GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE:
		return json_object_new_boolean(v->bool_value);
	case GOOGLE__PROTOBUF__VALUE__KIND_LIST_VALUE:
		o = json_object_new_array();
		for (i = 0; v->list_value != NULL &&
		    i < v->list_value->n_values; i++) {
			json_object_array_add(o,
			    value_json(v->list_value->values[i], depth + 1));
		}
		return o;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRUCT_VALUE:
		o = json_object_new_object();
		for (i = 0; v->struct_value != NULL &&
		    i < v->struct_value->n_fields; i++) {
			json_object_object_add(o,
			    v->struct_value->fields[i]->key,
			    value_json(v->struct_value->fields[i]->value,
			    depth + 1));
		}
		return o;
	default:
		return NULL;
	}
}

static void
session_param(struct tbctx *c, const char *key, const Google__Protobuf__Value *v)
{
	struct json_object	*o;
	char			 buf[RUNG_DBL_BUFSZ];
	uint32_t		 p;

	if (v == NULL || key[0] == '\0')
		return;
	p = rung_batch_param(c->b, key);
	switch (v->kind_case) {
	case GOOGLE__PROTOBUF__VALUE__KIND_NUMBER_VALUE:
		/* Struct holds doubles: 32.0 was an int, as its text says. */
		rung_fmt_double(v->number_value, 0, buf);
		rung_batch_param_token(c->b, c->trial, p, buf, strlen(buf));
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_STRING_VALUE:
		rung_batch_param_token(c->b, c->trial, p, v->string_value,
		    strlen(v->string_value));
		break;
	case GOOGLE__PROTOBUF__VALUE__KIND_BOOL_VALUE:
		rung_batch_param_text(c->b, c->trial, p,
		    v->bool_value ? "true" : "false");
		break;
	default:
		if ((o = value_json(v, 0)) != NULL) {
			rung_batch_param_json(c->b, c->trial, key, o);
			json_object_put(o);
		}
		break;
	}
}

/* The hparams plugin: a session's parameters, its end's status. */
static int
take_hparams(struct tbctx *c, const ProtobufCBinaryData *content)
{
	Tensorboard__Hparams__HParamsPluginData	*pd;
	Tensorboard__Hparams__SessionStartInfo	*s;
	size_t					 i;

	pd = tensorboard__hparams__hparams_plugin_data__unpack(&c->alloc,
	    content->len, content->data);
	if (pd == NULL) {
		xasprintf(c->cause, "%s: offset %" PRIu64 ": the hparams "
		    "plugin's data is no HParamsPluginData", c->path,
		    c->offset);
		return -1;
	}
	switch (pd->data_case) {
	case TENSORBOARD__HPARAMS__HPARAMS_PLUGIN_DATA__DATA_SESSION_START_INFO:
		s = pd->session_start_info;
		for (i = 0; i < s->n_hparams; i++)
			session_param(c, s->hparams[i]->key, s->hparams[i]->value);
		c->session = 1;
		break;
	case TENSORBOARD__HPARAMS__HPARAMS_PLUGIN_DATA__DATA_SESSION_END_INFO:
		switch (pd->session_end_info->status) {
		case TENSORBOARD__HPARAMS__STATUS__STATUS_SUCCESS:
			c->status = RUNG_COMPLETE;
			c->ended = 1;
			break;
		case TENSORBOARD__HPARAMS__STATUS__STATUS_FAILURE:
			c->status = RUNG_FAILED;
			c->ended = 1;
			break;
		case TENSORBOARD__HPARAMS__STATUS__STATUS_RUNNING:
			c->status = RUNG_RUNNING;
			c->ended = 1;
			break;
		default:
			break;
		}
		break;
	default:
		break;	/* the experiment: the search space, not a trial */
	}
	return 0;
}

static void
take_point(struct tbctx *c, struct tag *g, const Tensorboard__Event *ev,
    double v)
{
	const char	*name = g->name;

	if (c->run->params_only)
		return;
	if (!g->have_metric) {
		if (c->strip != NULL &&
		    strncmp(name, c->strip, strlen(c->strip)) == 0 &&
		    name[strlen(c->strip)] != '\0')
			name += strlen(c->strip);
		c->name.len = 0;
		rung_buf_printf(&c->name, "%s%s", c->run->prefix, name);
		g->metric = rung_batch_metric(c->b, rung_buf_cstr(&c->name));
		g->have_metric = 1;
	}
	if (!c->haverow) {
		c->row = rung_batch_record(c->b, c->trial, c->step);
		if (!c->notime)
			rung_batch_set_time(c->b, c->row, ev->wall_time);
		c->haverow = 1;
		if (c->events++ == 0 || c->step > c->last)
			c->last = c->step;
	}
	rung_batch_set(c->b, c->row, g->metric, v);
}

static enum tag_kind
plugin_kind(const Tensorboard__SummaryMetadata *m)
{
	const char	*name;

	if (m == NULL || m->plugin_data == NULL)
		return TAG_UNKNOWN;
	name = m->plugin_data->plugin_name;
	if (name == NULL || name[0] == '\0')
		return TAG_UNKNOWN;
	if (strcmp(name, "scalars") == 0)
		return TAG_SCALARS;
	if (strcmp(name, "hparams") == 0)
		return TAG_HPARAMS;
	return TAG_OTHER;
}

static int
take_event(struct tbctx *c, const Tensorboard__Event *ev)
{
	const Tensorboard__Summary__Value *v;
	struct tag	*g;
	enum tag_kind	 k;
	size_t		 i;
	double		 x;

	if (ev->what_case != TENSORBOARD__EVENT__WHAT_SUMMARY ||
	    ev->summary == NULL)
		return 0;
	c->haverow = 0;
	for (i = 0; i < ev->summary->n_value; i++) {
		v = ev->summary->value[i];
		g = tag_get(&c->tags, v->tag);
		if ((k = plugin_kind(v->metadata)) != TAG_UNKNOWN)
			g->kind = k;
		if (g->kind == TAG_HPARAMS) {
			if (k == TAG_HPARAMS && take_hparams(c,
			    &v->metadata->plugin_data->content) != 0)
				return -1;
			continue;
		}
		if (v->value_case ==
		    TENSORBOARD__SUMMARY__VALUE__VALUE_SIMPLE_VALUE)
			x = v->simple_value;
		else if (v->value_case ==
		    TENSORBOARD__SUMMARY__VALUE__VALUE_TENSOR &&
		    g->kind == TAG_SCALARS) {
			if (tensor_scalar(v->tensor, &x) != 0) {
				g->skipped++;
				continue;
			}
		} else
			continue;
		if (ev->step < INT32_MIN || ev->step > INT32_MAX) {
			xasprintf(c->cause, "%s: offset %" PRIu64 ": tag '%s': "
			    "step %" PRId64 " is out of range (rung keeps "
			    "steps as 32-bit integers)", c->path, c->offset,
			    v->tag, (int64_t)ev->step);
			return -1;
		}
		c->step = (int32_t)ev->step;
		take_point(c, g, ev, x);
	}
	return 0;
}

static int
read_file(struct tbctx *c, const char *path)
{
	struct rung_tfrecord	*r;
	Tensorboard__Event	*ev;
	const uint8_t		*data;
	size_t			 len;
	uint64_t		 torn;
	int			 rc;

	if ((r = rung_tfrecord_open(path, c->cause)) == NULL)
		return -1;
	c->path = path;
	while ((rc = rung_tfrecord_next(r, &data, &len, &torn,
	    c->cause)) == 1) {
		c->offset = rung_tfrecord_offset(r);
		ev = tensorboard__event__unpack(&c->alloc, len, data);
		if (ev == NULL) {
			xasprintf(c->cause, "%s: offset %" PRIu64 ": the "
			    "record is no Event protocol buffer", path,
			    c->offset);
			rc = -1;
			break;
		}
		rc = take_event(c, ev);
		tb_arena_reset(&c->arena, 0);
		if (rc != 0)
			break;
	}
	if (rc == 0 && torn != 0) {
		rung_info("%s: the last record (offset %" PRIu64 ") is cut "
		    "short, as in a file still being written: read up to it",
		    path, torn - 1);
	}
	rung_tfrecord_close(r);
	return rc;
}

static int
cmp_evfile(const void *va, const void *vb)
{
	const struct evfile	*a = va, *b = vb;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return strcmp(a->base, b->base);
}

/* One run into the trial c->trial: its files in the order of their times. */
int
tb_read_run(struct tbctx *c, struct run *r)
{
	size_t	 i, k;
	int	 ret = 0;

	qsort(r->files, r->nfiles, sizeof *r->files, cmp_evfile);
	c->run = r;
	for (i = 0; i < r->nfiles && ret == 0; i++)
		ret = read_file(c, r->files[i].path);
	for (k = 0; k < c->tags.n; k++) {
		if (c->tags.v[k].skipped > 0) {
			rung_warn("%s: tag '%s': %" PRIu64 " values left out: "
			    "a scalar is a tensor of one float", r->files[0].path,
			    c->tags.v[k].name, c->tags.v[k].skipped);
		}
	}
	tb_tags_clear(&c->tags);
	return ret;
}
