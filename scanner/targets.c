/* targets: parse target specs into sorted disjoint ranges; index <-> IP; iterators. */
#include "targets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest spec we accept; the longest valid one ("a.b.c.d-e.f.g.h") is 31. */
#define SPEC_MAX	64

struct range {
	uint32_t	first, last;	/* inclusive, host byte order */
};

struct targets {
	/*
	 * Both arrays share one capacity that always covers nranges + nexcl,
	 * so targets_finish() (which cannot report errors) never allocates:
	 * each excluded address splits at most one range into two.
	 */
	struct range	*r;
	uint64_t	*start;		/* after finish: index of r[i].first */
	size_t		nranges, cap;
	uint32_t	*excl;
	size_t		nexcl, exclcap;
	uint64_t	count;		/* valid only when finished */
	bool		finished;
};

struct targets *
targets_new(void)
{
	return calloc(1, sizeof(struct targets));
}

void
targets_free(struct targets *t)
{
	if (t == NULL)
		return;
	free(t->r);
	free(t->start);
	free(t->excl);
	free(t);
}

static int
reserve(struct targets *t, size_t need)
{
	struct range *r;
	uint64_t *s;
	size_t ncap;

	if (need <= t->cap)
		return 0;
	ncap = t->cap ? t->cap : 8;
	while (ncap < need) {
		if (ncap > SIZE_MAX / 2 / sizeof(uint64_t))
			return -1;
		ncap *= 2;
	}
	if ((r = realloc(t->r, ncap * sizeof(*r))) == NULL)
		return -1;
	t->r = r;
	if ((s = realloc(t->start, ncap * sizeof(*s))) == NULL)
		return -1;
	t->start = s;
	t->cap = ncap;
	return 0;
}

/* A set that changes must be finished again before it is read. */
static void
unfinish(struct targets *t)
{
	t->finished = false;
	t->count = 0;
}

int
targets_add_range(struct targets *t, uint32_t first, uint32_t last)
{
	if (first > last)
		return -1;
	if (reserve(t, t->nranges + t->nexcl + 1) < 0)
		return -1;
	t->r[t->nranges].first = first;
	t->r[t->nranges].last = last;
	t->nranges++;
	unfinish(t);
	return 0;
}

void
targets_exclude(struct targets *t, uint32_t ip)
{
	uint32_t *e;
	size_t ncap;

	/*
	 * The API gives no way to report failure here; a few bytes failing to
	 * allocate during setup means the process cannot go on anyway.
	 */
	if (t->nexcl == t->exclcap) {
		ncap = t->exclcap ? t->exclcap * 2 : 4;
		if ((e = realloc(t->excl, ncap * sizeof(*e))) == NULL)
			goto oom;
		t->excl = e;
		t->exclcap = ncap;
	}
	if (reserve(t, t->nranges + t->nexcl + 1) < 0)
		goto oom;
	t->excl[t->nexcl++] = ip;
	unfinish(t);
	return;
oom:
	fputs("arpsweep: out of memory\n", stderr);
	abort();
}

static int
cmp_range(const void *a, const void *b)
{
	const struct range *x = a, *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->last != y->last)
		return x->last < y->last ? -1 : 1;
	return 0;
}

static int
cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t
pack(uint32_t first, uint32_t last)
{
	return (uint64_t)first << 32 | last;
}

void
targets_finish(struct targets *t)
{
	size_t i, m, j, out;
	uint64_t cur, sum;

	if (t->finished)
		return;
	if (t->nranges > 1)
		qsort(t->r, t->nranges, sizeof(*t->r), cmp_range);
	if (t->nexcl > 1)
		qsort(t->excl, t->nexcl, sizeof(*t->excl), cmp_u32);

	/* Merge overlapping and adjacent ranges in place (64-bit: last may be 2^32-1). */
	m = 0;
	for (i = 0; i < t->nranges; i++) {
		if (m > 0 && t->r[i].first <= (uint64_t)t->r[m - 1].last + 1) {
			if (t->r[i].last > t->r[m - 1].last)
				t->r[m - 1].last = t->r[i].last;
		} else {
			t->r[m++] = t->r[i];
		}
	}

	/*
	 * Cut excluded addresses. The output can hold more ranges than the
	 * input, so it is built in start[] (same capacity, 64 bits an entry
	 * holds one packed range) and copied back.
	 */
	out = 0;
	j = 0;
	for (i = 0; i < m; i++) {
		while (j < t->nexcl && t->excl[j] < t->r[i].first)
			j++;
		cur = t->r[i].first;
		for (; j < t->nexcl && t->excl[j] <= t->r[i].last; j++) {
			if (t->excl[j] < cur)
				continue;	/* a duplicate exclusion */
			if (t->excl[j] > cur)
				t->start[out++] = pack((uint32_t)cur, t->excl[j] - 1);
			cur = (uint64_t)t->excl[j] + 1;
		}
		if (cur <= t->r[i].last)
			t->start[out++] = pack((uint32_t)cur, t->r[i].last);
	}
	for (i = 0; i < out; i++) {
		t->r[i].first = (uint32_t)(t->start[i] >> 32);
		t->r[i].last = (uint32_t)t->start[i];
	}
	t->nranges = out;

	sum = 0;
	for (i = 0; i < out; i++) {
		t->start[i] = sum;
		sum += (uint64_t)t->r[i].last - t->r[i].first + 1;
	}
	t->count = sum;
	t->finished = true;
}

uint64_t
targets_count(const struct targets *t)
{
	return t->finished ? t->count : 0;
}

size_t
targets_range_count(const struct targets *t)
{
	return t->finished ? t->nranges : 0;
}

uint32_t
targets_ip(const struct targets *t, uint64_t idx)
{
	size_t lo, hi, mid;

	if (!t->finished || idx >= t->count)
		return 0;
	/* The last range whose start index is <= idx; start[0] == 0. */
	lo = 0;
	hi = t->nranges;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (t->start[mid] <= idx)
			lo = mid;
		else
			hi = mid;
	}
	return t->r[lo].first + (uint32_t)(idx - t->start[lo]);
}

int64_t
targets_index(const struct targets *t, uint32_t ip)
{
	size_t lo, hi, mid;

	if (!t->finished || t->nranges == 0 || ip < t->r[0].first)
		return -1;
	lo = 0;
	hi = t->nranges;
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (t->r[mid].first <= ip)
			lo = mid;
		else
			hi = mid;
	}
	if (ip > t->r[lo].last)
		return -1;
	return (int64_t)(t->start[lo] + (ip - t->r[lo].first));
}

/* Parsing. */

static int
parse_addr(const char *s, uint32_t *ip)
{
	struct in_addr a;

	/* inet_pton, unlike inet_aton, takes only a strict dotted quad. */
	if (inet_pton(AF_INET, s, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

/* A decimal number <= max with nothing else: strtoul alone would take "+1", " 1", "0x1". */
static int
parse_num(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	*v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || *v > max)
		return -1;
	return 0;
}

int
targets_add_spec(struct targets *t, const char *spec, char *errbuf)
{
	char buf[SPEC_MAX + 1], *sep, *rest;
	const char *s = spec, *e;
	uint32_t first, last, mask;
	unsigned long v;
	size_t len;
	char kind;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	len = (size_t)(e - s);
	if (len == 0) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '': empty target spec");
		return -1;
	}
	if (len > SPEC_MAX) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE,
		    "target '%.40s...': too long for an IPv4 address, range or CIDR block", s);
		return -1;
	}
	memcpy(buf, s, len);
	buf[len] = '\0';

	/* Split a copy at the separator; the message quotes the whole spec from s. */
	sep = buf + strcspn(buf, "/-:");
	kind = *sep;
	rest = sep;
	if (kind != '\0') {
		*sep = '\0';
		rest = sep + 1;
	}
	if (parse_addr(buf, &first) < 0) {
		if (kind == '\0')
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "target '%.*s': not an IPv4 address, range or CIDR block",
			    (int)len, s);
		else
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "target '%.*s': '%s' is not an IPv4 address",
			    (int)len, s, buf);
		return -1;
	}

	switch (kind) {
	case '\0':
		last = first;
		break;
	case '/':
		if (parse_num(rest, 32, &v) < 0) {
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "target '%.*s': prefix length must be 0-32", (int)len, s);
			return -1;
		}
		mask = v == 0 ? 0 : UINT32_MAX << (32 - v);
		first &= mask;
		last = first | ~mask;
		break;
	case ':':
		if (parse_addr(rest, &mask) < 0) {
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "target '%.*s': netmask '%s' is not an IPv4 address",
			    (int)len, s, rest);
			return -1;
		}
		/* Contiguous iff the host part plus one is a power of two (or wraps to 0). */
		if ((~mask & (~mask + 1)) != 0) {
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "target '%.*s': netmask '%s' is not contiguous",
			    (int)len, s, rest);
			return -1;
		}
		first &= mask;
		last = first | ~mask;
		break;
	default:	/* '-' */
		if (strchr(rest, '.') != NULL) {
			if (parse_addr(rest, &last) < 0) {
				snprintf(errbuf, TARGETS_ERRBUF_SIZE,
				    "target '%.*s': '%s' is not an IPv4 address",
				    (int)len, s, rest);
				return -1;
			}
		} else {
			if (parse_num(rest, 255, &v) < 0 || v < (first & 0xff)) {
				snprintf(errbuf, TARGETS_ERRBUF_SIZE,
				    "target '%.*s': last octet must be %u-255",
				    (int)len, s, (unsigned)(first & 0xff));
				return -1;
			}
			last = (first & ~UINT32_C(0xff)) | (uint32_t)v;
		}
		if (first > last) {
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "target '%.*s': range start is above its end", (int)len, s);
			return -1;
		}
		break;
	}
	if (targets_add_range(t, first, last) < 0) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE,
		    "target '%.*s': out of memory", (int)len, s);
		return -1;
	}
	return 0;
}

int
targets_add_file(struct targets *t, const char *path, char *errbuf)
{
	char err[TARGETS_ERRBUF_SIZE], *line = NULL, *hash;
	const char *name;
	size_t cap = 0, lineno = 0;
	ssize_t n;
	FILE *f;
	int ret = 0, saved;

	if (strcmp(path, "-") == 0) {
		f = stdin;
		name = "<stdin>";
	} else {
		if ((f = fopen(path, "r")) == NULL) {
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "cannot read target file '%s': %s", path, strerror(errno));
			return -1;
		}
		name = path;
	}
	errno = 0;
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		/* A NUL byte would silently hide the rest of the line from the parser. */
		if (strlen(line) != (size_t)n) {
			snprintf(errbuf, TARGETS_ERRBUF_SIZE,
			    "%s:%zu: line contains a NUL byte", name, lineno);
			ret = -1;
			break;
		}
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (line[strspn(line, " \t\r\n\v\f")] == '\0')
			continue;
		if (targets_add_spec(t, line, err) < 0) {
			/* A long path may cut the message short; it stays one line. */
			if (snprintf(errbuf, TARGETS_ERRBUF_SIZE, "%s:%zu: %s",
			    name, lineno, err) >= TARGETS_ERRBUF_SIZE)
				errbuf[TARGETS_ERRBUF_SIZE - 1] = '\0';
			ret = -1;
			break;
		}
	}
	if (ret == 0 && ferror(f)) {
		saved = errno ? errno : EIO;
		snprintf(errbuf, TARGETS_ERRBUF_SIZE,
		    "cannot read target file '%s': %s", path, strerror(saved));
		ret = -1;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/* Iteration. */

/* splitmix64: spreads any seed, even 0 or 1, over all 64 bits. */
static uint64_t
mix(uint64_t *state)
{
	uint64_t z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

void
target_iter_init(struct target_iter *it, const struct targets *t,
    bool random, uint64_t seed)
{
	uint64_t st = seed;

	memset(it, 0, sizeof(*it));
	it->t = t;
	it->n = targets_count(t);
	it->random = random;
	if (!random) {
		if (it->n > 0)
			it->next_ip = t->r[0].first;
		return;
	}
	/*
	 * A full-period LCG modulo 2^k (Hull-Dobell: c odd, a % 4 == 1) visits
	 * every value of [0, 2^k) once per period; values >= n are skipped.
	 * Since 2^k < 2n, at most half the steps are skipped on average.
	 */
	it->mask = 0;
	while (it->mask + 1 < it->n)
		it->mask = it->mask << 1 | 1;
	it->a = ((mix(&st) & ~UINT64_C(3)) | 1) & it->mask;
	if (it->a == 1 && it->mask >= 7)
		it->a = 5;	/* a == 1 would just count upwards from x */
	if (it->mask == 0)
		it->a = 1;
	it->c = (mix(&st) | 1) & it->mask;
	it->x = mix(&st) & it->mask;
}

bool
target_iter_next(struct target_iter *it, uint64_t *idx, uint32_t *ip)
{
	const struct targets *t = it->t;
	uint64_t v;

	if (it->pos >= it->n)
		return false;
	if (it->random) {
		/* Unsigned wrap-around keeps the product correct modulo 2^k <= 2^32. */
		do {
			v = it->x;
			it->x = (it->a * it->x + it->c) & it->mask;
		} while (v >= it->n);
		it->pos++;
		*idx = v;
		*ip = targets_ip(t, v);
		return true;
	}
	*idx = it->pos++;
	*ip = it->next_ip;
	if (it->next_ip == t->r[it->range].last) {
		if (++it->range < t->nranges)
			it->next_ip = t->r[it->range].first;
	} else {
		it->next_ip++;
	}
	return true;
}
