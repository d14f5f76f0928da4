/*
 * genstudy: write a wide CSV of synthetic learning curves, one row per
 * trial: trial,lr,layers,optimizer,loss_1,...,loss_STEPS. Compact beside
 * genlong's long CSV (a 100,000 x 100 study is about 70 MB rather than
 * 400 MB), for benchmarks that need a big study in the database rather
 * than a big import. Deterministic for a given seed.
 *
 *   genstudy TRIALS STEPS [SEED] > file.csv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static double
uniform(void)
{
	/* xorshift64*, as genlong. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (double)((state * 2685821657736338717ULL) >> 11) /
	    9007199254740992.0;
}

int
main(int argc, char **argv)
{
	static const char *opt[] = { "sgd", "adam", "rmsprop" };
	long		 trials, steps, t, s;
	double		 lr, floor_, rate, v;
	int		 layers;

	if (argc < 3) {
		fprintf(stderr, "usage: genstudy trials steps [seed]\n");
		return 2;
	}
	trials = atol(argv[1]);
	steps = atol(argv[2]);
	state = argc > 3 ? strtoull(argv[3], NULL, 10) : 88172645463325252ULL;
	if (state == 0)
		state = 1;
	printf("trial,lr,layers,optimizer");
	for (s = 1; s <= steps; s++)
		printf(",loss_%ld", s);
	printf("\n");
	for (t = 0; t < trials; t++) {
		lr = pow(10, -4 + 3 * uniform());
		layers = 1 + (int)(uniform() * 8);
		floor_ = 0.1 + uniform();
		rate = 0.02 + 0.2 * uniform();
		printf("%ld,%.6g,%d,%s", t, lr, layers,
		    opt[(int)(uniform() * 3)]);
		for (s = 1; s <= steps; s++) {
			v = floor_ + 2.0 * exp(-rate * (double)s) +
			    0.01 * uniform();
			printf(",%.5f", v);
		}
		printf("\n");
	}
	return 0;
}
