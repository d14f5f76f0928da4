#include "config.h"

#include <math.h>
#include <stdio.h>

#include <json-c/json.h>

#include "rung/jsonout.h"
#include "rung/study.h"
#include "rung/util.h"

json_object *
rung_json_double(double v, int allow_nonfinite)
{
	char	 buf[RUNG_DBL_BUFSZ];

	if (!isfinite(v) && !allow_nonfinite)
		return NULL;
	/* json_object_new_double_s writes our shortest text verbatim. */
	return json_object_new_double_s(v, rung_fmt_double(v, 0, buf));
}

json_object *
rung_json_param(const struct rung_param *p, uint32_t t)
{
	char	 buf[RUNG_DBL_BUFSZ];

	switch (p->type) {
	case RUNG_PCAT:
		if (p->cat[t] == UINT32_MAX)
			return NULL;
		return json_object_new_string(p->levels[p->cat[t]]);
	case RUNG_PINT:
		if (isnan(p->num[t]))
			return NULL;
		return json_object_new_int64((int64_t)p->num[t]);
	case RUNG_PREAL:
		break;
	}
	if (!isfinite(p->num[t]))
		return NULL;
	/* "1.0", not "1": a reader keeps a real parameter real. */
	return json_object_new_double_s(p->num[t],
	    rung_fmt_double(p->num[t], 1, buf));
}

void
rung_json_print(FILE *out, json_object *obj, int pretty)
{
	int	 flags = JSON_C_TO_STRING_NOSLASHESCAPE;

	flags |= pretty ? JSON_C_TO_STRING_PRETTY |
	    JSON_C_TO_STRING_SPACED : JSON_C_TO_STRING_PLAIN;
	fputs(json_object_to_json_string_ext(obj, flags), out);
	fputc('\n', out);
	json_object_put(obj);
}

void
rung_json_array_open(struct rung_json_array *a, FILE *out, int pretty)
{
	a->out = out;
	a->pretty = pretty;
	a->n = 0;
	a->arr = pretty ? json_object_new_array() : NULL;
	if (!pretty)
		fputc('[', out);
}

void
rung_json_array_add(struct rung_json_array *a, json_object *obj)
{
	if (a->pretty) {
		json_object_array_add(a->arr, obj);
		return;
	}
	if (a->n++ > 0)
		fputc(',', a->out);
	fputs(json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_NOSLASHESCAPE | JSON_C_TO_STRING_PLAIN), a->out);
	json_object_put(obj);
}

void
rung_json_array_close(struct rung_json_array *a)
{
	if (a->pretty) {
		rung_json_print(a->out, a->arr, 1);
		a->arr = NULL;
	} else
		fputs("]\n", a->out);
}

/* The object a trial is in listings: shared by trials and show. */
json_object *
rung_trial_json(const struct rung_study *s, uint32_t t)
{
	json_object	*obj, *params;
	uint32_t	 i;

	obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_string(s->ids[t]));
	json_object_object_add(obj, "status",
	    json_object_new_string(rung_status_name(s->status[t])));
	json_object_object_add(obj, "steps",
	    json_object_new_int(rung_trial_last_step(s, t)));
	json_object_object_add(obj, "points",
	    json_object_new_int64(rung_curve_len(s, t)));
	json_object_object_add(obj, "final",
	    rung_json_double(rung_trial_final(s, t), 0));
	json_object_object_add(obj, "best",
	    rung_json_double(rung_trial_best(s, t), 0));
	params = json_object_new_object();
	for (i = 0; i < s->nparams; i++)
		json_object_object_add(params, s->params[i].name,
		    rung_json_param(&s->params[i], t));
	json_object_object_add(obj, "params", params);
	return obj;
}
