/* test_rate: the AIMD controller's decisions on canary fates (no wire, no clock). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../scanner/rate.h"

/* n canaries answered at the current pace and level. */
static void
answer(struct rate_ctl *c, unsigned n, bool again)
{
	for (unsigned i = 0; i < n; i++)
		rate_canary(c, false, c->rate > 0 ? c->rate : 400000, c->level,
		    false, again);
}

static void
test_fixed_rate_never_moves(void **state)
{
	struct rate_ctl c;

	(void)state;
	rate_init(&c, false, 5000);
	assert_false(rate_canary(&c, true, 5000, 0, false, false));
	answer(&c, 50, false);
	assert_true(c.rate == 5000);
	assert_true(rate_retry(&c) == 5000);
	assert_int_equal(c.asked, 51);
	assert_int_equal(c.lost, 1);
	assert_true(rate_loss(&c) > 0.019 && rate_loss(&c) < 0.02);
}

static void
test_unpaced_until_loss(void **state)
{
	struct rate_ctl c;

	(void)state;
	rate_init(&c, true, 5000);
	assert_true(c.rate == 0);
	answer(&c, 100, false);
	assert_true(c.rate == 0);		/* nothing to increase */
	assert_true(rate_retry(&c) == 0);	/* no loss: still unpaced */
	/* One loss in 101 at 400k: cut by at least CUT (0.8). */
	assert_true(rate_canary(&c, true, 400000, 0, false, false));
	assert_true(c.rate <= 400000 * 0.8 + 1 && c.rate > 300000);
	assert_true(c.lossy == 400000);
}

/* A pace that kept a twentieth of what it sent is cut to about that. */
static void
test_cut_by_kept_share(void **state)
{
	struct rate_ctl c;

	(void)state;
	rate_init(&c, true, 0);
	rate_canary(&c, false, 400000, 0, false, false);
	for (int i = 0; i < 18; i++)
		rate_canary(&c, true, 400000, 0, false, false);
	/* The first loss cut at once (1 of 2 + 1 kept: 1/3). */
	assert_true(c.rate < 400000 * 0.8);
	assert_int_equal(c.level, 1);
	/* Losses of canaries sent before the cut cut nothing more. */
	assert_int_equal(c.lost, 18);
	/* At the new level, 10 lost of 10: kept 1/11 -> a deep cut. */
	double r = c.rate;
	for (int i = 0; i < 10; i++)
		rate_canary(&c, true, r, c.level, true, false);	/* early */
	assert_true(c.rate == r);			/* early: no cut */
	assert_true(rate_canary(&c, true, r, c.level, false, false));
	assert_true(c.rate < r * 0.1 && c.rate >= r * 0.05);
}

static void
test_increase_capped_below_loss(void **state)
{
	struct rate_ctl c;

	(void)state;
	rate_init(&c, true, 0);
	answer(&c, 20, false);
	rate_canary(&c, true, 100000, 0, false, false);
	double r = c.rate;
	assert_true(r == 80000);	/* 1 lost in 21: by CUT */
	for (int i = 0; i < 100; i++)
		answer(&c, RATE_WINDOW, false);
	/* Up, but never above 0.95 of the lowest pace that lost. */
	assert_true(c.rate > r);
	assert_true(c.rate <= 95000 + 1);
	assert_true(c.lossfree > r && c.lossfree < 100000);
}

/* A level that lost anything, even right after the change, earns no
 * increase and is not loss-free. */
static void
test_lossy_level_no_increase(void **state)
{
	struct rate_ctl c;

	(void)state;
	rate_init(&c, true, 0);
	rate_canary(&c, true, 100000, 0, false, false);
	double r = c.rate;
	rate_canary(&c, true, r, c.level, true, false);	/* early loss */
	answer(&c, 5 * RATE_WINDOW, false);
	assert_true(c.rate == r);
	assert_true(c.lossfree == 0);
}

/* The retry pass goes at the loss-free pace and holds it. */
static void
test_retry_at_lossfree(void **state)
{
	struct rate_ctl c;

	(void)state;
	rate_init(&c, true, 0);
	answer(&c, 20, false);
	rate_canary(&c, true, 100000, 0, false, false);	/* -> 80000 */
	answer(&c, RATE_WINDOW, false);			/* 80000 loss-free */
	assert_true(c.lossfree == 80000);
	assert_true(c.rate > 80000);
	/* Lost with nothing else heard at that pace: halved (1 of 1 + 1). */
	rate_canary(&c, true, c.rate, c.level, false, false);
	assert_true(c.lossy < 100000 && c.lossy > 80000);
	assert_true(c.rate < 80000);
	/* The cut went below the loss-free pace: the retry takes the lower. */
	double low = c.rate;
	assert_true(rate_retry(&c) == low);
	answer(&c, 10 * RATE_WINDOW, false);
	assert_true(c.rate == low);			/* held */
	/* Without a cut below it, the retry goes at the loss-free pace. */
	rate_init(&c, true, 0);
	answer(&c, 20, false);
	rate_canary(&c, true, 100000, 0, false, false);	/* -> 80000 */
	answer(&c, RATE_WINDOW, false);			/* -> 90000 */
	answer(&c, RATE_WINDOW, false);			/* 90000 loss-free */
	assert_true(c.lossfree == 90000);
	assert_true(rate_retry(&c) == 90000);
}

/* A re-asked lost target's answer is stronger evidence than another's. */
static void
test_again_weighs_more(void **state)
{
	struct rate_ctl c;
	unsigned n = 0;

	(void)state;
	rate_init(&c, true, 0);
	rate_canary(&c, true, 100000, 0, false, false);
	double r = c.rate;
	while (c.rate == r && n < 100) {
		rate_canary(&c, false, r, c.level, false, true);
		n++;
	}
	assert_int_equal(n, (RATE_WINDOW + RATE_AGAIN - 1) / RATE_AGAIN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed_rate_never_moves),
		cmocka_unit_test(test_unpaced_until_loss),
		cmocka_unit_test(test_cut_by_kept_share),
		cmocka_unit_test(test_increase_capped_below_loss),
		cmocka_unit_test(test_lossy_level_no_increase),
		cmocka_unit_test(test_retry_at_lossfree),
		cmocka_unit_test(test_again_weighs_more),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
