/* Unit tests for report/fmt: display width of UTF-8, cells cut with an
 * ellipsis at a character boundary, COLUMNS, and the column layout that
 * cuts, then drops least useful first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "../../report/fmt.h"

static void
test_width_utf8(void **state)
{
	(void)state;
	assert_int_equal(fmt_width(""), 0);
	assert_int_equal(fmt_width("QEMU/KVM"), 8);
	/* é precomposed (2 bytes), e + combining acute (3 bytes): 1 each */
	assert_int_equal(fmt_width("Soci\xc3\xa9t\xc3\xa9"), 7);
	assert_int_equal(fmt_width("Socie\xcc\x81"), 5);
	/* CJK: 3 bytes, 2 columns each */
	assert_int_equal(fmt_width("\xe5\x8d\x8e\xe4\xb8\xba"), 4);
	assert_int_equal(fmt_width(FMT_ELLIPSIS), 1);
	/* An invalid byte, a lone continuation, a control byte: one '?' each */
	assert_int_equal(fmt_width("a\xff" "b"), 3);
	assert_int_equal(fmt_width("\x80"), 1);
	assert_int_equal(fmt_width("a\x1b[31m"), 6);
	/* Overlong and surrogate encodings are not characters */
	assert_int_equal(fmt_width("\xc0\xaf"), 2);
	assert_int_equal(fmt_width("\xed\xa0\x80"), 3);
}

static void
test_fit_exact_is_uncut(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(fmt_fit(buf, sizeof(buf), "Motorola", 8), 8);
	assert_string_equal(buf, "Motorola");
	assert_int_equal(fmt_fit(buf, sizeof(buf), "Motorola", 30), 8);
	assert_string_equal(buf, "Motorola");
}

/* The vendor, cut at 32 with no mark, now ends in an ellipsis. */
static void
test_fit_cut_has_ellipsis(void **state)
{
	char buf[128];
	const char *v = "Motorola Mobility LLC, a Lenovo Company";

	(void)state;
	assert_int_equal(fmt_fit(buf, sizeof(buf), v, 32), 32);
	assert_string_equal(buf, "Motorola Mobility LLC, a Lenovo" FMT_ELLIPSIS);
	assert_int_equal(fmt_width(buf), 32);
	assert_int_equal(fmt_fit(buf, sizeof(buf), v, 1), 1);
	assert_string_equal(buf, FMT_ELLIPSIS);
}

/* Cut at a character boundary, counting columns, not bytes. */
static void
test_fit_utf8_boundary(void **state)
{
	char buf[64];

	(void)state;
	/* "Société Générale": 16 columns, 19 bytes */
	assert_int_equal(fmt_fit(buf, sizeof(buf),
	    "Soci\xc3\xa9t\xc3\xa9 G\xc3\xa9n\xc3\xa9rale", 7), 7);
	assert_string_equal(buf, "Soci\xc3\xa9t" FMT_ELLIPSIS);
	/* A wide character that would straddle the edge stays out whole:
	 * 3 columns hold one CJK character and the ellipsis. */
	assert_int_equal(fmt_fit(buf, sizeof(buf),
	    "\xe5\x8d\x8e\xe4\xb8\xba\xe6\x8a\x80", 4), 3);
	assert_string_equal(buf, "\xe5\x8d\x8e" FMT_ELLIPSIS);
	/* A combining mark stays with its letter */
	assert_int_equal(fmt_fit(buf, sizeof(buf), "e\xcc\x81xyz", 2), 2);
	assert_string_equal(buf, "e\xcc\x81" FMT_ELLIPSIS);
}

/* Bytes from outside cannot reach the terminal as they are. */
static void
test_fit_sanitises(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(fmt_fit(buf, sizeof(buf), "a\x1b[2Jb\xff", 40), 7);
	assert_string_equal(buf, "a?[2Jb?");
}

/* A destination too small for the text still ends in the mark. */
static void
test_fit_small_buffer(void **state)
{
	char buf[8];

	(void)state;
	size_t w = fmt_fit(buf, sizeof(buf), "abcdefghijkl", 40);
	assert_true(strlen(buf) < sizeof(buf));
	assert_non_null(strstr(buf, FMT_ELLIPSIS));
	assert_int_equal(w, fmt_width(buf));
}

static void
test_columns_env(void **state)
{
	(void)state;
	assert_int_equal(fmt_columns("80"), 80);
	assert_int_equal(fmt_columns("1"), 1);
	assert_int_equal(fmt_columns(NULL), 0);
	assert_int_equal(fmt_columns(""), 0);
	assert_int_equal(fmt_columns("0"), 0);
	assert_int_equal(fmt_columns("80x"), 0);
	assert_int_equal(fmt_columns("-80"), 0);
	assert_int_equal(fmt_columns(" 80"), 0);
	assert_int_equal(fmt_columns("99999999999999999999"), 0);
	assert_int_equal(fmt_columns("10001"), 0);
}

enum { IP, VENDOR, REQ, FLAGS, N };

static void
cols(struct fmt_col c[N])
{
	c[IP] = (struct fmt_col){ .name = "IP", .natural = 15,
	    .min = (size_t)-1, .drop = 0 };
	c[VENDOR] = (struct fmt_col){ .name = "VENDOR", .natural = 40,
	    .min = 12, .drop = 2 };
	c[REQ] = (struct fmt_col){ .name = "REQUESTS", .natural = 8,
	    .min = (size_t)-1, .drop = 1 };
	c[FLAGS] = (struct fmt_col){ .name = "FLAGS", .natural = 20,
	    .min = 9, .cut_last = true, .drop = 0 };
}

static size_t
used(const struct fmt_col *c, size_t n, size_t gap)
{
	size_t sum = 0, k = 0;

	for (size_t i = 0; i < n; i++)
		if (c[i].shown) {
			sum += c[i].width;
			k++;
		}
	return sum + (k > 1 ? (k - 1) * gap : 0);
}

/* No limit (a pipe): every column whole. */
static void
test_layout_unlimited(void **state)
{
	struct fmt_col c[N];

	(void)state;
	cols(c);
	assert_int_equal(fmt_layout(c, N, 0, 2), 0);
	for (int i = 0; i < N; i++) {
		assert_true(c[i].shown);
		assert_int_equal(c[i].width, c[i].natural);
	}
	cols(c);
	assert_int_equal(fmt_layout(c, N, 89, 2), 0);	/* exactly fits */
	assert_int_equal(c[VENDOR].width, 40);
}

/* A little too narrow: the long cell is cut, nothing dropped. */
static void
test_layout_cuts_first(void **state)
{
	struct fmt_col c[N];

	(void)state;
	cols(c);
	assert_int_equal(fmt_layout(c, N, 80, 2), 0);
	assert_int_equal(used(c, N, 2), 80);
	assert_int_equal(c[VENDOR].width, 31);
	assert_int_equal(c[FLAGS].width, 20);	/* cut last */
	assert_int_equal(c[REQ].width, 8);
}

/* Narrower than the cut cells: REQUESTS goes first, and the vendor gets
 * its room back; then the vendor; flags are cut only when nothing is
 * left to drop. */
static void
test_layout_drops_in_order(void **state)
{
	struct fmt_col c[N];

	(void)state;
	cols(c);
	/* cut to the minimum: 15+12+8+20+6 = 61 */
	assert_int_equal(fmt_layout(c, N, 60, 2), 1);
	assert_false(c[REQ].shown);
	assert_true(c[VENDOR].shown);
	assert_int_equal(c[VENDOR].width, 21);	/* 60 - 15 - 20 - 4 */
	assert_int_equal(used(c, N, 2), 60);

	cols(c);
	assert_int_equal(fmt_layout(c, N, 40, 2), 2);
	assert_false(c[REQ].shown);
	assert_false(c[VENDOR].shown);
	assert_int_equal(c[FLAGS].width, 20);
	assert_int_equal(used(c, N, 2), 37);

	cols(c);
	assert_int_equal(fmt_layout(c, N, 30, 2), 2);
	assert_int_equal(c[FLAGS].width, 13);
	assert_int_equal(used(c, N, 2), 30);

	/* Narrower than what must stay: at its minimum, wrapping. */
	cols(c);
	assert_int_equal(fmt_layout(c, N, 10, 2), 2);
	assert_true(c[IP].shown && c[FLAGS].shown);
	assert_int_equal(c[IP].width, 15);
	assert_int_equal(c[FLAGS].width, 9);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_width_utf8),
		cmocka_unit_test(test_fit_exact_is_uncut),
		cmocka_unit_test(test_fit_cut_has_ellipsis),
		cmocka_unit_test(test_fit_utf8_boundary),
		cmocka_unit_test(test_fit_sanitises),
		cmocka_unit_test(test_fit_small_buffer),
		cmocka_unit_test(test_columns_env),
		cmocka_unit_test(test_layout_unlimited),
		cmocka_unit_test(test_layout_cuts_first),
		cmocka_unit_test(test_layout_drops_in_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
