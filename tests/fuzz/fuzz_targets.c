/*
 * fuzz_targets: targets_add_spec() on each line of the input (as the command
 * line would pass them), then the finished set's index <-> address mapping
 * and both iteration orders, checked against each other.
 */
#include <string.h>

#include "../../scanner/targets.h"
#include "fuzz.h"

/* Bounded work per input: a /0 holds 2^32 addresses. */
#define SAMPLES	64
#define ITER	256

/* Checks every invariant the sweep relies on; shared with fuzz_targets_file. */
static void
check_set(struct targets *t, uint64_t seed)
{
	struct target_iter it;
	uint64_t n, idx;
	uint32_t ip, prev = 0;

	targets_finish(t);
	n = targets_count(t);
	FUZZ_ASSERT(n <= UINT64_C(1) << 32);
	FUZZ_ASSERT((n == 0) == (targets_range_count(t) == 0));
	for (uint64_t i = 0; i < SAMPLES && i < n; i++) {
		idx = n <= SAMPLES ? i : i * (n / SAMPLES);
		ip = targets_ip(t, idx);
		FUZZ_ASSERT(targets_index(t, ip) == (int64_t)idx);
		if (i > 0)
			FUZZ_ASSERT(ip > prev);
		prev = ip;
	}
	for (int random = 0; random <= 1; random++) {
		uint64_t k = 0;

		target_iter_init(&it, t, random, seed);
		while (k < ITER && target_iter_next(&it, &idx, &ip)) {
			FUZZ_ASSERT(idx < n);
			FUZZ_ASSERT(targets_ip(t, idx) == ip);
			if (!random)
				FUZZ_ASSERT(idx == k);
			k++;
		}
		FUZZ_ASSERT(k == (n < ITER ? n : ITER));
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[TARGETS_ERRBUF_SIZE];
	struct targets *t = targets_new();
	char *text = fuzz_strdup(data, size), *line, *save = NULL;
	uint64_t seed = 0;

	if (t == NULL || text == NULL)
		goto out;
	for (size_t i = 0; i < size && i < 8; i++)
		seed = seed << 8 | data[i];
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		errbuf[0] = '\0';
		if (targets_add_spec(t, line, errbuf) == -1) {
			FUZZ_ASSERT(errbuf[0] != '\0');
			FUZZ_ASSERT(strlen(errbuf) < sizeof(errbuf));
		}
	}
	/* The first four bytes as an address to cut out, as our own IP is. */
	if (size >= 4)
		targets_exclude(t, (uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
		    (uint32_t)data[2] << 8 | data[3]);
	check_set(t, seed);
out:
	free(text);
	targets_free(t);
	return 0;
}
