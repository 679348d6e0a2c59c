/* Unit tests for scanner/progress: the line's counts and the ETA that counts
 * down instead of jumping. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../scanner/progress.h"

#define TICK_NS	100000000LL	/* sweep.c draws the line every 100 ms */

/* The case of the issue: a /24 at 300/s, whose estimate went from 1.8 s to
 * 3.6 s when the retry pass was counted. The shown ETA never rises by more
 * than a tick's share, though the estimate jumps by 1.8 s. */
static void
test_jump_bends(void **state)
{
	struct progress_eta e;
	double prev, shown, est;
	int64_t t = 0;

	(void)state;
	progress_eta_init(&e);
	prev = progress_eta_update(&e, 1.8, t);
	assert_true(fabs(prev - 1.8) < 1e-9);
	for (int k = 1; k <= 40; k++) {
		t += TICK_NS;
		/* Counting down correctly, then the jump at tick 5. */
		est = k < 5 ? 1.8 - k * 0.1 : 3.6 - (k - 5) * 0.1;
		shown = progress_eta_update(&e, est, t);
		if (shown > prev + 0.05)
			fail_msg("tick %d: shown ETA rose from %.3f to %.3f "
			    "(estimate %.3f)", k, prev, shown, est);
		assert_true(shown >= 0);
		prev = shown;
	}
}

/* An estimate that counts down with the clock is shown as it is. */
static void
test_steady_is_exact(void **state)
{
	struct progress_eta e;
	int64_t t = 0;

	(void)state;
	progress_eta_init(&e);
	for (int k = 0; k < 30; k++, t += TICK_NS) {
		double est = 5.0 - k * 0.1;
		double shown = progress_eta_update(&e, est, t);
		if (fabs(shown - est) > 1e-9)
			fail_msg("tick %d: shown %.6f, estimate %.6f", k, shown,
			    est);
	}
}

/* After a jump the shown value joins a steady estimate within a few time
 * constants. */
static void
test_converges(void **state)
{
	struct progress_eta e;
	int64_t t = 0;
	double shown = 0, est = 0;

	(void)state;
	progress_eta_init(&e);
	progress_eta_update(&e, 2.0, t);
	for (int k = 1; k <= 100; k++) {	/* 10 s */
		t += TICK_NS;
		est = 20.0 - k * 0.1;
		shown = progress_eta_update(&e, est, t);
	}
	if (fabs(shown - est) > 0.2)
		fail_msg("after 10 s shown %.3f, estimate %.3f", shown, est);
}

static void
test_unknown(void **state)
{
	struct progress_eta e;

	(void)state;
	progress_eta_init(&e);
	assert_true(progress_eta_update(&e, -1, 0) < 0);
	assert_true(fabs(progress_eta_update(&e, 3.0, TICK_NS) - 3.0) < 1e-9);
	/* Unknown later: the last shown value stays. */
	assert_true(fabs(progress_eta_update(&e, -1, 2 * TICK_NS) - 3.0) < 1e-9);
}

/* 320 requests for 256 targets: 256 asked and 64 retries, not 320/256. */
static void
test_format_retries_apart(void **state)
{
	struct progress_counts c = { .targets = 256, .asked = 256,
	    .sent = 320, .replies = 30, .hosts = 14 };
	char line[160];

	(void)state;
	progress_format(line, sizeof(line), &c, 1.25, 1.84);
	assert_string_equal(line, "256/256 targets asked, 64 retries, 30 "
	    "answers, 14 hosts, 1.2 s, ~1.8 s left");
	c.asked = c.sent = 100;
	progress_format(line, sizeof(line), &c, 0.5, -1);
	assert_string_equal(line, "100/256 targets asked, 0 retries, 30 "
	    "answers, 14 hosts, 0.5 s");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jump_bends),
		cmocka_unit_test(test_steady_is_exact),
		cmocka_unit_test(test_converges),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_format_retries_apart),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
