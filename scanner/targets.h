/* targets: the set of IPv4 addresses to sweep, as sorted disjoint ranges. */
#ifndef ARPSWEEP_TARGETS_H
#define ARPSWEEP_TARGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define TARGETS_ERRBUF_SIZE 512
/* A target file: lines of at most this many bytes, and at most this much. */
#define TARGETS_LINE_MAX	4096
#define TARGETS_FILE_MAX_LINES	(1u << 20)
#define TARGETS_FILE_MAX_BYTES	(32u << 20)

struct targets;

struct targets *targets_new(void);
void targets_free(struct targets *t);

/*
 * Add one target spec: "a.b.c.d/n", "a.b.c.d-e.f.g.h", "a.b.c.d-h",
 * "a.b.c.d:m.m.m.m" or "a.b.c.d". A CIDR or net:mask block is taken whole
 * (network and broadcast included, like arp-scan). Returns -1 with a
 * one-line message naming the spec on error.
 */
int targets_add_spec(struct targets *t, const char *spec, char *errbuf);

/* Add specs from a file, one per line; '#' starts a comment; "-" is stdin.
 * Errors name the file and line ("NAME:LINE: reason") and never quote the
 * line: the file may be one only root can read. Lines longer than
 * TARGETS_LINE_MAX, a NUL byte, or more than TARGETS_FILE_MAX_LINES lines or
 * TARGETS_FILE_MAX_BYTES are refused. */
int targets_add_file(struct targets *t, const char *path, char *errbuf);

/* The same from a stream opened by the caller (before dropping privileges),
 * named name in messages; the stream is left open. */
int targets_add_stream(struct targets *t, FILE *f, const char *name,
    char *errbuf);

/* Add [first, last] (host byte order, first <= last). */
int targets_add_range(struct targets *t, uint32_t first, uint32_t last);

/* Remove one address (our own IP), if present. Call before targets_finish. */
void targets_exclude(struct targets *t, uint32_t ip);

/* Sort and merge; after this the set is read-only and safe to share
 * between threads. */
void targets_finish(struct targets *t);

uint64_t targets_count(const struct targets *t);
/* Ranges stored after merging and cutting: memory is O(this), not O(count). */
size_t targets_range_count(const struct targets *t);
/* The idx-th address in ascending order; idx < targets_count(). */
uint32_t targets_ip(const struct targets *t, uint64_t idx);
/* The index of ip, or -1 when ip is not a target. O(log ranges). */
int64_t targets_index(const struct targets *t, uint32_t ip);

/*
 * Iteration over every index exactly once, ascending or in a permuted order
 * fixed by seed. No allocation: memory does not grow with the set.
 */
struct target_iter {
	const struct targets *t;
	uint64_t	n, pos;		/* targets, yielded so far */
	bool		random;
	uint64_t	x, a, c, mask;	/* permutation state */
	size_t		range;		/* ascending: current range */
	uint32_t	next_ip;
};
void target_iter_init(struct target_iter *it, const struct targets *t,
    bool random, uint64_t seed);
/* Next target; false when all were yielded. */
bool target_iter_next(struct target_iter *it, uint64_t *idx, uint32_t *ip);

#endif
