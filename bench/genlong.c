/*
 * genlong: write a long CSV of synthetic learning curves, one row per
 * (trial, step): trial,step,val_loss,seconds,lr,layers. Deterministic for a
 * given seed, so runs compare like with like.
 *
 *   genlong TRIALS STEPS [SEED] > file.csv
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t state;

static double
uniform(void)
{
	/* xorshift64*: fast and good enough for test data. */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (double)((state * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

int
main(int argc, char **argv)
{
	long	 trials, steps, t, s;
	double	 lr, floor_, rate, v;
	int	 layers;

	if (argc < 3) {
		fprintf(stderr, "usage: genlong trials steps [seed]\n");
		return 2;
	}
	trials = atol(argv[1]);
	steps = atol(argv[2]);
	state = argc > 3 ? strtoull(argv[3], NULL, 10) : 88172645463325252ULL;
	if (state == 0)
		state = 1;
	printf("trial,step,val_loss,seconds,lr,layers\n");
	for (t = 0; t < trials; t++) {
		lr = pow(10, -4 + 3 * uniform());
		layers = 1 + (int)(uniform() * 8);
		floor_ = 0.1 + uniform();
		rate = 0.02 + 0.2 * uniform();
		for (s = 1; s <= steps; s++) {
			v = floor_ + 2.0 * exp(-rate * (double)s) +
			    0.01 * uniform();
			printf("%ld,%ld,%.6f,%.3f,%.6g,%d\n", t, s, v,
			    1.0 + uniform(), lr, layers);
		}
	}
	return 0;
}
