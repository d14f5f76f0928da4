#include "config.h"

#include <stdint.h>

#include <json-c/json.h>

#include "rung/batch.h"
#include "rung/jsonin.h"

void
rung_batch_param_json(struct rung_batch *b, uint32_t t, const char *name,
    struct json_object *v)
{
	uint32_t	 p;
	int64_t		 iv;

	if (v == NULL)
		return;		/* null: unset */
	p = rung_batch_param(b, name);
	switch (json_object_get_type(v)) {
	case json_type_int:
		iv = json_object_get_int64(v);
		/* json-c clamps what int64 cannot hold: keep it as real. */
		if (iv == INT64_MAX && json_object_get_uint64(v) > INT64_MAX)
			rung_batch_param_real(b, t, p,
			    (double)json_object_get_uint64(v));
		else
			rung_batch_param_int(b, t, p, iv);
		break;
	case json_type_double:
		rung_batch_param_real(b, t, p, json_object_get_double(v));
		break;
	case json_type_string:
		rung_batch_param_text(b, t, p, json_object_get_string(v));
		break;
	case json_type_boolean:
		rung_batch_param_text(b, t, p,
		    json_object_get_boolean(v) ? "true" : "false");
		break;
	default:
		/* A list (layer sizes, say): its compact JSON, as text. */
		rung_batch_param_text(b, t, p, json_object_to_json_string_ext(v,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
		break;
	}
}
