/* Unit tests for scanner/targets: spec parsing, merging, exclusion, index <-> IP, iterators. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../scanner/targets.h"

#define IP(a, b, c, d) \
	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (uint32_t)(d))

static char errbuf[TARGETS_ERRBUF_SIZE];

/* A finished set from specs that must all parse. */
static struct targets *
set_of(const char *const *specs, size_t n)
{
	struct targets *t = targets_new();
	size_t i;

	assert_non_null(t);
	for (i = 0; i < n; i++) {
		if (targets_add_spec(t, specs[i], errbuf) != 0)
			fail_msg("spec '%s' rejected: %s", specs[i], errbuf);
	}
	targets_finish(t);
	return t;
}

/* Parse one spec and check its [first, last] and count. */
static void
expect_range(const char *spec, uint32_t first, uint32_t last)
{
	struct targets *t = set_of(&spec, 1);

	assert_int_equal(targets_range_count(t), 1);
	assert_int_equal(targets_count(t), (uint64_t)last - first + 1);
	assert_int_equal(targets_ip(t, 0), first);
	assert_int_equal(targets_ip(t, targets_count(t) - 1), last);
	targets_free(t);
}

static void
expect_error(const char *spec, const char *needle)
{
	struct targets *t = targets_new();

	errbuf[0] = '\0';
	if (targets_add_spec(t, spec, errbuf) != -1)
		fail_msg("spec '%s' accepted", spec);
	if (strstr(errbuf, needle) == NULL)
		fail_msg("spec '%s': message '%s' lacks '%s'", spec, errbuf, needle);
	assert_null(strchr(errbuf, '\n'));
	targets_finish(t);
	assert_int_equal(targets_count(t), 0);
	targets_free(t);
}

static void
test_single(void **state)
{
	(void)state;
	expect_range("198.18.0.7", IP(198, 18, 0, 7), IP(198, 18, 0, 7));
	expect_range("0.0.0.0", 0, 0);
	expect_range("255.255.255.255", UINT32_MAX, UINT32_MAX);
	expect_range("  \t198.18.0.7 \r\n", IP(198, 18, 0, 7), IP(198, 18, 0, 7));
}

static void
test_cidr(void **state)
{
	struct targets *t;
	const char *all = "0.0.0.0/0";

	(void)state;
	expect_range("198.18.0.5/24", IP(198, 18, 0, 0), IP(198, 18, 0, 255));
	expect_range("198.18.0.5/32", IP(198, 18, 0, 5), IP(198, 18, 0, 5));
	expect_range("198.18.0.5/31", IP(198, 18, 0, 4), IP(198, 18, 0, 5));
	expect_range("198.18.0.5/30", IP(198, 18, 0, 4), IP(198, 18, 0, 7));
	expect_range("198.19.255.255/15", IP(198, 18, 0, 0), IP(198, 19, 255, 255));
	expect_range(" 198.18.1.2/16 ", IP(198, 18, 0, 0), IP(198, 18, 255, 255));
	expect_range("128.0.0.1/1", IP(128, 0, 0, 0), UINT32_MAX);

	t = set_of(&all, 1);
	assert_int_equal(targets_count(t), UINT64_C(1) << 32);
	assert_int_equal(targets_ip(t, 0), 0);
	assert_int_equal(targets_ip(t, UINT32_MAX), UINT32_MAX);
	assert_int_equal(targets_index(t, UINT32_MAX), UINT32_MAX);
	assert_int_equal(targets_index(t, IP(198, 18, 0, 1)), IP(198, 18, 0, 1));
	targets_free(t);
}

static void
test_ranges_and_masks(void **state)
{
	(void)state;
	expect_range("198.18.0.10-198.18.1.20", IP(198, 18, 0, 10), IP(198, 18, 1, 20));
	expect_range("198.18.0.10-198.18.0.10", IP(198, 18, 0, 10), IP(198, 18, 0, 10));
	expect_range("198.18.0.10-20", IP(198, 18, 0, 10), IP(198, 18, 0, 20));
	expect_range("198.18.0.10-10", IP(198, 18, 0, 10), IP(198, 18, 0, 10));
	expect_range("198.18.0.0-255", IP(198, 18, 0, 0), IP(198, 18, 0, 255));
	expect_range("198.18.0.77:255.255.255.0", IP(198, 18, 0, 0), IP(198, 18, 0, 255));
	expect_range("198.18.0.77:255.255.255.255", IP(198, 18, 0, 77), IP(198, 18, 0, 77));
	expect_range("198.18.0.77:255.254.0.0", IP(198, 18, 0, 0), IP(198, 19, 255, 255));
	expect_range("198.18.0.77:0.0.0.0", 0, UINT32_MAX);
}

static void
test_errors(void **state)
{
	(void)state;
	expect_error("198.18.0.0/33", "target '198.18.0.0/33': prefix length must be 0-32");
	expect_error("foo", "target 'foo': not an IPv4 address, range or CIDR block");
	expect_error("", "target ''");
	expect_error("   \t ", "target ''");
	expect_error("198.18.0.20-198.18.0.10", "range start is above its end");
	expect_error("198.18.1.0-198.18.0.255", "range start is above its end");
	expect_error("198.18.0.20-10", "last octet must be 20-255");
	expect_error("198.18.0.20-256", "last octet must be 20-255");
	expect_error("198.18.0.256", "not an IPv4 address");
	expect_error("256", "not an IPv4 address");
	expect_error("198.18.0", "not an IPv4 address");
	expect_error("198.18.0.1.2", "not an IPv4 address");
	expect_error("198.18.0.-1", "is not an IPv4 address");
	expect_error("198.18.0.1x", "not an IPv4 address");
	expect_error("198.18.0.1 x", "not an IPv4 address");
	expect_error("198.18.0.0/24x", "prefix length");
	expect_error("198.18.0.0/", "prefix length");
	expect_error("198.18.0.0/+8", "prefix length");
	expect_error("198.18.0.0/ 8", "prefix length");
	expect_error("198.18.0.0/-1", "prefix length");
	expect_error("198.18.0.0/99999999999999999999999", "prefix length");
	expect_error("198.18.0.0/24/8", "prefix length");
	expect_error("/24", "'' is not an IPv4 address");
	expect_error("198.18.300.0/24", "'198.18.300.0' is not an IPv4 address");
	expect_error("198.18.0.1-198.18.0.x", "'198.18.0.x' is not an IPv4 address");
	expect_error("198.18.0.1-5x", "last octet");
	expect_error("198.18.0.1-", "last octet");
	expect_error("198.18.0.1-0x5", "last octet");
	expect_error("198.18.0.0:255.0.255.0", "netmask '255.0.255.0' is not contiguous");
	expect_error("198.18.0.0:0.0.0.255", "is not contiguous");
	expect_error("198.18.0.0:255.255.255", "netmask '255.255.255' is not an IPv4 address");
	expect_error("0x7f.1.2.3", "not an IPv4 address");
	/* One line, control characters shown, not sent to the terminal. */
	expect_error("198.18.0.1\nfoo", "target '198.18.0.1\\nfoo': not an IPv4");
	expect_error("\033[2J", "target '\\x1b[2J'");
	expect_error("1111111111111111111111111111111111111111111111111111111111111111111111",
	    "too long");
}

static void
test_merge(void **state)
{
	static const char *const overlap[] = {
		"198.18.0.5-198.18.0.20", "198.18.0.0-198.18.0.10",
		"198.18.0.21",			/* adjacent */
		"198.18.0.15",			/* inside */
		"198.18.0.30-40",		/* separate */
		"198.18.0.41-198.18.0.41",	/* adjacent to the previous */
	};
	static const char *const dup[] = { "198.18.0.0/24", "198.18.0.0/24", "198.18.0.0/25" };
	static const char *const top[] = {
		"255.255.255.255", "255.255.255.0/24", "255.255.254.255",
	};
	static const char *const everything[] = { "198.18.0.0/15", "0.0.0.0/0", "10.0.0.1" };
	struct targets *t;

	(void)state;
	t = set_of(overlap, sizeof(overlap) / sizeof(overlap[0]));
	assert_int_equal(targets_range_count(t), 2);
	assert_int_equal(targets_count(t), 22 + 12);
	assert_int_equal(targets_ip(t, 21), IP(198, 18, 0, 21));
	assert_int_equal(targets_ip(t, 22), IP(198, 18, 0, 30));
	assert_int_equal(targets_ip(t, 33), IP(198, 18, 0, 41));
	targets_free(t);

	t = set_of(dup, 3);
	assert_int_equal(targets_range_count(t), 1);
	assert_int_equal(targets_count(t), 256);
	targets_free(t);

	/* Adjacency at the top of the address space must not wrap. */
	t = set_of(top, 3);
	assert_int_equal(targets_range_count(t), 1);
	assert_int_equal(targets_count(t), 257);
	assert_int_equal(targets_ip(t, 0), IP(255, 255, 254, 255));
	targets_free(t);

	t = set_of(everything, 3);
	assert_int_equal(targets_range_count(t), 1);
	assert_int_equal(targets_count(t), UINT64_C(1) << 32);
	targets_free(t);

	/* The raw API rejects a reversed range. */
	t = targets_new();
	assert_int_equal(targets_add_range(t, 5, 4), -1);
	assert_int_equal(targets_add_range(t, 4, 4), 0);
	targets_finish(t);
	assert_int_equal(targets_count(t), 1);
	targets_free(t);
}

static void
test_exclude(void **state)
{
	static const char *const net = "198.18.0.0/24";
	static const char *const one = "198.18.0.9";
	static const char *const two = "198.18.0.0/31";
	static const char *const all = "0.0.0.0/0";
	struct targets *t;

	(void)state;
	/* Start, middle, end, twice, and outside the set. */
	t = targets_new();
	assert_int_equal(targets_add_spec(t, net, errbuf), 0);
	targets_exclude(t, IP(198, 18, 0, 0));
	targets_exclude(t, IP(198, 18, 0, 100));
	targets_exclude(t, IP(198, 18, 0, 255));
	targets_exclude(t, IP(198, 18, 0, 100));
	targets_exclude(t, IP(198, 18, 1, 0));
	targets_finish(t);
	assert_int_equal(targets_count(t), 253);
	assert_int_equal(targets_range_count(t), 2);
	assert_int_equal(targets_ip(t, 0), IP(198, 18, 0, 1));
	assert_int_equal(targets_ip(t, 98), IP(198, 18, 0, 99));
	assert_int_equal(targets_ip(t, 99), IP(198, 18, 0, 101));
	assert_int_equal(targets_ip(t, 252), IP(198, 18, 0, 254));
	assert_int_equal(targets_index(t, IP(198, 18, 0, 0)), -1);
	assert_int_equal(targets_index(t, IP(198, 18, 0, 100)), -1);
	assert_int_equal(targets_index(t, IP(198, 18, 0, 255)), -1);
	assert_int_equal(targets_index(t, IP(198, 18, 0, 101)), 99);
	targets_free(t);

	/* The only address. */
	t = set_of(&one, 1);
	targets_exclude(t, IP(198, 18, 0, 9));
	targets_finish(t);
	assert_int_equal(targets_count(t), 0);
	assert_int_equal(targets_range_count(t), 0);
	assert_int_equal(targets_index(t, IP(198, 18, 0, 9)), -1);
	targets_free(t);

	/* Both addresses of a /31, excluded before the range is added. */
	t = targets_new();
	targets_exclude(t, IP(198, 18, 0, 1));
	targets_exclude(t, IP(198, 18, 0, 0));
	assert_int_equal(targets_add_spec(t, two, errbuf), 0);
	targets_finish(t);
	assert_int_equal(targets_count(t), 0);
	targets_free(t);

	/* The extremes of the whole address space. */
	t = set_of(&all, 1);
	targets_exclude(t, 0);
	targets_exclude(t, UINT32_MAX);
	targets_exclude(t, IP(198, 18, 0, 1));
	targets_finish(t);
	assert_int_equal(targets_count(t), (UINT64_C(1) << 32) - 3);
	assert_int_equal(targets_range_count(t), 2);
	assert_int_equal(targets_ip(t, 0), 1);
	assert_int_equal(targets_ip(t, targets_count(t) - 1), UINT32_MAX - 1);
	assert_int_equal(targets_index(t, IP(198, 18, 0, 2)), IP(198, 18, 0, 2) - 2);
	targets_free(t);
}

static void
test_index_roundtrip(void **state)
{
	static const char *const specs[] = {
		"198.18.5.0/30", "198.18.0.1", "198.18.2.250-198.18.3.5",
		"198.19.255.254-255", "10.9.8.7",
	};
	static const uint32_t outside[] = {
		0, IP(10, 9, 8, 6), IP(10, 9, 8, 8), IP(198, 18, 0, 0), IP(198, 18, 0, 2),
		IP(198, 18, 2, 249), IP(198, 18, 3, 6), IP(198, 18, 4, 255), IP(198, 18, 5, 4),
		IP(198, 19, 255, 253), IP(198, 20, 0, 0), UINT32_MAX,
	};
	struct targets *t = set_of(specs, sizeof(specs) / sizeof(specs[0]));
	uint64_t i, n;
	uint32_t prev = 0;
	size_t k;

	(void)state;
	n = targets_count(t);
	assert_int_equal(n, 4 + 1 + 12 + 2 + 1);
	assert_int_equal(targets_range_count(t), 5);
	for (i = 0; i < n; i++) {
		uint32_t ip = targets_ip(t, i);

		if (i > 0)
			assert_true(ip > prev);
		assert_int_equal(targets_index(t, ip), (int64_t)i);
		prev = ip;
	}
	assert_int_equal(targets_ip(t, 0), IP(10, 9, 8, 7));
	assert_int_equal(targets_ip(t, 1), IP(198, 18, 0, 1));
	assert_int_equal(targets_ip(t, n - 1), IP(198, 19, 255, 255));
	for (k = 0; k < sizeof(outside) / sizeof(outside[0]); k++)
		assert_int_equal(targets_index(t, outside[k]), -1);
	targets_free(t);
}

static void
test_iter_ascending(void **state)
{
	static const char *const specs[] = {
		"198.18.0.250-198.18.1.3", "198.18.7.7", "255.255.255.254/31", "0.0.0.0-1",
	};
	static const uint32_t want[] = {
		0, 1,
		IP(198, 18, 0, 250), IP(198, 18, 0, 251), IP(198, 18, 0, 252), IP(198, 18, 0, 253),
		IP(198, 18, 0, 254), IP(198, 18, 0, 255), IP(198, 18, 1, 0), IP(198, 18, 1, 1),
		IP(198, 18, 1, 2), IP(198, 18, 1, 3), IP(198, 18, 7, 7),
		UINT32_MAX - 1, UINT32_MAX,
	};
	struct targets *t = set_of(specs, sizeof(specs) / sizeof(specs[0]));
	struct target_iter it;
	uint64_t idx, k = 0;
	uint32_t ip;

	(void)state;
	target_iter_init(&it, t, false, 42);
	while (target_iter_next(&it, &idx, &ip)) {
		assert_true(k < sizeof(want) / sizeof(want[0]));
		assert_int_equal(idx, k);
		assert_int_equal(ip, want[k]);
		k++;
	}
	assert_int_equal(k, sizeof(want) / sizeof(want[0]));
	assert_false(target_iter_next(&it, &idx, &ip));
	targets_free(t);

	/* An empty set yields nothing in either mode. */
	t = targets_new();
	targets_finish(t);
	target_iter_init(&it, t, false, 1);
	assert_false(target_iter_next(&it, &idx, &ip));
	target_iter_init(&it, t, true, 1);
	assert_false(target_iter_next(&it, &idx, &ip));
	targets_free(t);
}

/* n addresses spread over ranges of up to 100 with gaps, so lookups cross ranges. */
static struct targets *
spread_set(uint64_t n)
{
	struct targets *t = targets_new();
	uint32_t base = IP(198, 18, 0, 0);
	uint64_t left = n;

	while (left > 0) {
		uint32_t len = left > 100 ? 100 : (uint32_t)left;

		assert_int_equal(targets_add_range(t, base, base + len - 1), 0);
		base += 1000;
		left -= len;
	}
	targets_finish(t);
	assert_int_equal(targets_count(t), n);
	return t;
}

/* Walk in random order; check each index once, ip consistent; return a hash of the order. */
static uint64_t
walk_random(const struct targets *t, uint64_t seed, bool *ascending)
{
	uint64_t n = targets_count(t), idx, k = 0, h = 1469598103934665603ULL;
	uint8_t *seen = calloc((size_t)(n / 8 + 1), 1);
	struct target_iter it;
	uint32_t ip;

	assert_non_null(seen);
	*ascending = true;
	target_iter_init(&it, t, true, seed);
	/* The smallest power of two >= n keeps the skipped share below half. */
	assert_true(it.mask + 1 >= n && (it.mask + 1) / 2 < n);
	assert_true((it.mask & (it.mask + 1)) == 0);
	if (it.mask >= 3) {
		assert_int_equal(it.a % 4, 1);	/* Hull-Dobell: full period */
		assert_int_equal(it.c % 2, 1);
	}
	while (target_iter_next(&it, &idx, &ip)) {
		assert_true(idx < n);
		if (seen[idx / 8] & (1u << (idx % 8)))
			fail_msg("index %llu yielded twice (n=%llu)",
			    (unsigned long long)idx, (unsigned long long)n);
		seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
		assert_int_equal(ip, targets_ip(t, idx));
		assert_int_equal(targets_index(t, ip), (int64_t)idx);
		if (idx != k)
			*ascending = false;
		h = (h ^ idx) * 1099511628211ULL;
		k++;
	}
	assert_int_equal(k, n);
	assert_false(target_iter_next(&it, &idx, &ip));
	free(seen);
	return h;
}

static void
test_iter_random(void **state)
{
	static const uint64_t sizes[] = { 1, 2, 3, 255, 256, 1000, 65536 };
	size_t s;

	(void)state;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		struct targets *t = spread_set(sizes[s]);
		uint64_t seed, h1, h1b, h2;
		bool asc, any_shuffled = false;
		int diff = 0;

		h1 = walk_random(t, 1, &asc);
		h1b = walk_random(t, 1, &asc);
		assert_int_equal(h1, h1b);	/* same seed, same order */
		for (seed = 2; seed < 10; seed++) {
			h2 = walk_random(t, seed, &asc);
			diff += h2 != h1;
			any_shuffled |= !asc;
		}
		if (sizes[s] >= 255) {
			assert_true(diff >= 7);
			assert_true(any_shuffled);
		}
		targets_free(t);
	}
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* 2^32 targets: the iterator's arithmetic must not overflow; sample the first yields. */
static void
test_iter_random_full_space(void **state)
{
	enum { SAMPLE = 200000 };
	static const char *const all = "0.0.0.0/0";
	struct targets *t = set_of(&all, 1);
	uint64_t *got = malloc(SAMPLE * sizeof(*got)), idx;
	struct target_iter it;
	uint32_t ip;
	size_t k;

	(void)state;
	assert_non_null(got);
	target_iter_init(&it, t, true, 7);
	assert_int_equal(it.n, UINT64_C(1) << 32);
	assert_int_equal(it.mask, UINT32_MAX);
	for (k = 0; k < SAMPLE; k++) {
		assert_true(target_iter_next(&it, &idx, &ip));
		assert_true(idx <= UINT32_MAX);
		assert_int_equal(ip, (uint32_t)idx);
		got[k] = idx;
	}
	qsort(got, SAMPLE, sizeof(*got), cmp_u64);
	for (k = 1; k < SAMPLE; k++)
		assert_true(got[k] != got[k - 1]);
	/* Not a run of consecutive values. */
	assert_true(got[SAMPLE - 1] - got[0] > (uint64_t)SAMPLE * 100);
	free(got);

	/* Ascending over the whole space ends correctly without wrapping. */
	target_iter_init(&it, t, false, 0);
	assert_true(target_iter_next(&it, &idx, &ip));
	assert_int_equal(ip, 0);
	it.pos = UINT32_MAX;
	it.next_ip = UINT32_MAX;
	assert_true(target_iter_next(&it, &idx, &ip));
	assert_int_equal(ip, UINT32_MAX);
	assert_false(target_iter_next(&it, &idx, &ip));
	targets_free(t);
}

static void
test_slash8_constant_memory(void **state)
{
	static const char *const specs[] = { "10.0.0.0/8" };
	struct targets *t = set_of(specs, 1);
	struct target_iter it;
	uint64_t idx;
	uint32_t ip;

	(void)state;
	assert_int_equal(targets_count(t), UINT64_C(1) << 24);
	assert_int_equal(targets_range_count(t), 1);
	assert_int_equal(targets_index(t, IP(10, 255, 255, 255)), (1 << 24) - 1);
	target_iter_init(&it, t, true, 3);
	assert_true(target_iter_next(&it, &idx, &ip));
	assert_int_equal(ip, IP(10, 0, 0, 0) + (uint32_t)idx);
	targets_free(t);
}

static char *
write_tmp(const char *content)
{
	static char path[64];
	int fd;

	strcpy(path, "/tmp/test_targets.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, content, strlen(content)), (ssize_t)strlen(content));
	close(fd);
	return path;
}

static void
test_file(void **state)
{
	struct targets *t;
	char *path, want[128];
	int fd;

	(void)state;
	path = write_tmp("# lab hosts\n"
	    "\n"
	    "198.18.0.0/30   # first block\n"
	    "   \t\n"
	    "  198.18.1.1-3\r\n"
	    "#198.18.9.9\n"
	    "198.18.2.2");	/* no final newline */
	t = targets_new();
	assert_int_equal(targets_add_file(t, path, errbuf), 0);
	targets_finish(t);
	assert_int_equal(targets_count(t), 4 + 3 + 1);
	assert_int_equal(targets_index(t, IP(198, 18, 9, 9)), -1);
	assert_int_equal(targets_index(t, IP(198, 18, 2, 2)), 7);
	targets_free(t);

	/* "-" reads stdin. */
	assert_non_null(freopen(path, "r", stdin));
	t = targets_new();
	assert_int_equal(targets_add_file(t, "-", errbuf), 0);
	targets_finish(t);
	assert_int_equal(targets_count(t), 8);
	targets_free(t);
	unlink(path);

	path = write_tmp("198.18.0.1\n# ok\n198.18.0.0/33\n198.18.0.2\n");
	t = targets_new();
	assert_int_equal(targets_add_file(t, path, errbuf), -1);
	/* The line is named, never quoted: the file may be root's. */
	snprintf(want, sizeof(want), "%s:3: prefix length must be 0-32", path);
	assert_string_equal(errbuf, want);
	targets_free(t);
	unlink(path);

	path = write_tmp("198.18.0.1\nsecret-not-an-ip # comment\n");
	t = targets_new();
	assert_int_equal(targets_add_file(t, path, errbuf), -1);
	snprintf(want, sizeof(want), "%s:2: not a target (expected ", path);
	assert_true(strncmp(errbuf, want, strlen(want)) == 0);
	assert_null(strstr(errbuf, "secret"));
	targets_free(t);
	unlink(path);

	/* One endless line is refused after 4096 bytes, at its own line. */
	FILE *big = NULL;
	strcpy(want, "/tmp/test_targets.XXXXXX");
	fd = mkstemp(want);
	assert_true(fd >= 0 && (big = fdopen(fd, "w")) != NULL);
	fputs("198.18.0.1\n", big);
	for (int i = 0; i < 100000; i++)
		fputc('1', big);
	fclose(big);
	t = targets_new();
	assert_int_equal(targets_add_file(t, want, errbuf), -1);
	assert_non_null(strstr(errbuf, ":2: the line is longer than 4096 bytes"));
	targets_free(t);
	unlink(want);

	/* /dev/zero: the first byte ends it. */
	t = targets_new();
	assert_int_equal(targets_add_file(t, "/dev/zero", errbuf), -1);
	assert_string_equal(errbuf, "/dev/zero:1: the line contains a NUL "
	    "byte; this is not a text file");
	targets_free(t);

	/* A file name with control characters is echoed escaped. */
	t = targets_new();
	assert_int_equal(targets_add_file(t, "/nonexistent/a\nb\033", errbuf), -1);
	assert_string_equal(errbuf, "cannot read target file "
	    "'/nonexistent/a\\nb\\x1b': No such file or directory");
	targets_free(t);

	/* A NUL byte mid-line is an error, not a silently shortened spec. */
	strcpy(want, "/tmp/test_targets.XXXXXX");
	fd = mkstemp(want);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "198.18.0.1\n198.18.0.2\0junk\n", 24), 24);
	close(fd);
	t = targets_new();
	assert_int_equal(targets_add_file(t, want, errbuf), -1);
	assert_non_null(strstr(errbuf, ":2: "));
	targets_free(t);
	unlink(want);

	t = targets_new();
	assert_int_equal(targets_add_file(t, "/nonexistent/targets.txt", errbuf), -1);
	assert_string_equal(errbuf,
	    "cannot read target file '/nonexistent/targets.txt': No such file or directory");
	assert_int_equal(targets_add_file(t, "/tmp", errbuf), -1);
	assert_non_null(strstr(errbuf, "cannot read target file '/tmp'"));
	targets_free(t);
}

static void
test_unfinished_and_refinish(void **state)
{
	struct targets *t = targets_new();

	(void)state;
	assert_int_equal(targets_add_spec(t, "198.18.0.0/24", errbuf), 0);
	assert_int_equal(targets_count(t), 0);	/* not finished yet */
	assert_int_equal(targets_index(t, IP(198, 18, 0, 1)), -1);
	targets_finish(t);
	targets_finish(t);	/* idempotent */
	assert_int_equal(targets_count(t), 256);
	assert_int_equal(targets_add_spec(t, "198.18.1.0/24", errbuf), 0);
	targets_exclude(t, IP(198, 18, 0, 7));
	targets_finish(t);
	assert_int_equal(targets_count(t), 511);
	assert_int_equal(targets_range_count(t), 2);
	targets_free(t);
	targets_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single),
		cmocka_unit_test(test_cidr),
		cmocka_unit_test(test_ranges_and_masks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_exclude),
		cmocka_unit_test(test_index_roundtrip),
		cmocka_unit_test(test_iter_ascending),
		cmocka_unit_test(test_iter_random),
		cmocka_unit_test(test_iter_random_full_space),
		cmocka_unit_test(test_slash8_constant_memory),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_unfinished_and_refinish),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
