/*
 * JSON and JSON Lines: detected, forced, and mapped with --curve, --steps,
 * --time, --params-field, --id and --status-field. The first byte picks
 * the options.
 */
#include "config.h"


#include "fuzz.h"

static const char *const auto_detect[] = { NULL };
static const char *const json[] = { "-f", "json", NULL };
static const char *const jsonl[] = { "-f", "jsonl", NULL };
static const char *const mapped[] = { "-f", "json", "--curve", "loss",
	"--steps", "steps", "--time", "time", "--params-field", "config",
	"--id", "id", "--status-field", "status", NULL };
static const char *const mapped_l[] = { "-f", "jsonl", "--curve",
	"metrics.loss,metrics.acc", "--steps", "steps", "--time",
	"time_steps", "--time-kind", "cumulative", "--params-field", "config",
	"--id", "trial_id", NULL };
static const char *const nested[] = { "--curve", "valid.loss", "--params-field",
	"hp", "-m", "valid.loss", NULL };
static const char *const single[] = { "--curve", "learning_curve", "--time",
	"time_steps", "--time-kind", "step", NULL };
static const char *const *const sets[] = { auto_detect, json, jsonl,
	mapped, mapped_l, nested, single };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_input(sets, sizeof sets / sizeof sets[0], "input.json", data,
	    size);
	return 0;
}
