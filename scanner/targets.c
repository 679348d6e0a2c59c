/* targets: parse target specs into sorted disjoint ranges; index <-> IP; iterators. */
#include "targets.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../capture/escape.h"

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

/*
 * Why a spec was refused. A spec from the command line is quoted back
 * (escaped); a line of a file is not: the file may be one only root can read.
 */
enum spec_error {
	SPEC_EMPTY, SPEC_LONG, SPEC_NOT_TARGET, SPEC_BAD_ADDR, SPEC_PREFIX,
	SPEC_MASK_ADDR, SPEC_MASK_GAP, SPEC_OCTET, SPEC_ORDER, SPEC_OOM,
};

static const char expected[] = "expected a.b.c.d/n, a.b.c.d-e.f.g.h, "
    "a.b.c.d-h, net:mask or an address";

static int
parse_spec(struct targets *t, const char *spec, char *part, size_t partlen,
    unsigned *octet)
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
	if (len == 0)
		return SPEC_EMPTY;
	if (len > SPEC_MAX)
		return SPEC_LONG;
	memcpy(buf, s, len);
	buf[len] = '\0';

	sep = buf + strcspn(buf, "/-:");
	kind = *sep;
	rest = sep;
	if (kind != '\0') {
		*sep = '\0';
		rest = sep + 1;
	}
	if (parse_addr(buf, &first) < 0) {
		snprintf(part, partlen, "%s", buf);
		return kind == '\0' ? SPEC_NOT_TARGET : SPEC_BAD_ADDR;
	}
	snprintf(part, partlen, "%s", rest);
	switch (kind) {
	case '\0':
		last = first;
		break;
	case '/':
		if (parse_num(rest, 32, &v) < 0)
			return SPEC_PREFIX;
		mask = v == 0 ? 0 : UINT32_MAX << (32 - v);
		first &= mask;
		last = first | ~mask;
		break;
	case ':':
		if (parse_addr(rest, &mask) < 0)
			return SPEC_MASK_ADDR;
		/* Contiguous iff the host part plus one is a power of two (or wraps to 0). */
		if ((~mask & (~mask + 1)) != 0)
			return SPEC_MASK_GAP;
		first &= mask;
		last = first | ~mask;
		break;
	default:	/* '-' */
		if (strchr(rest, '.') != NULL) {
			if (parse_addr(rest, &last) < 0)
				return SPEC_BAD_ADDR;
		} else {
			*octet = first & 0xff;
			if (parse_num(rest, 255, &v) < 0 || v < (first & 0xff))
				return SPEC_OCTET;
			last = (first & ~UINT32_C(0xff)) | (uint32_t)v;
		}
		if (first > last)
			return SPEC_ORDER;
		break;
	}
	if (targets_add_range(t, first, last) < 0)
		return SPEC_OOM;
	return -1;
}

/* The reason alone, as a line of a file gets it. */
static const char *
spec_reason(int err)
{
	switch (err) {
	case SPEC_PREFIX: return "prefix length must be 0-32";
	case SPEC_MASK_ADDR: return "the netmask is not an IPv4 address";
	case SPEC_MASK_GAP: return "the netmask is not contiguous";
	case SPEC_OCTET: return "the range's last octet is below its first";
	case SPEC_ORDER: return "range start is above its end";
	case SPEC_OOM: return "out of memory";
	default: return NULL;	/* not a target */
	}
}

int
targets_add_spec(struct targets *t, const char *spec, char *errbuf)
{
	char part[SPEC_MAX + 1] = "", what[ESCAPE_SIZE];
	unsigned octet = 0;
	int err = parse_spec(t, spec, part, sizeof(part), &octet);

	if (err == -1)
		return 0;
	escape_str(spec, what, sizeof(what));
	switch (err) {
	case SPEC_EMPTY:
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '': empty target spec");
		break;
	case SPEC_LONG:
		escape_str(spec, what, 48);
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '%s': too long "
		    "for an IPv4 address, range or CIDR block", what);
		break;
	case SPEC_NOT_TARGET:
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '%s': not an IPv4 "
		    "address, range or CIDR block (%s)", what, expected);
		break;
	case SPEC_BAD_ADDR:
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '%s': '%s' is not "
		    "an IPv4 address", what, ESC(part));
		break;
	case SPEC_MASK_ADDR:
	case SPEC_MASK_GAP:
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '%s': netmask '%s' "
		    "is not %s", what, ESC(part), err == SPEC_MASK_ADDR ?
		    "an IPv4 address" : "contiguous");
		break;
	case SPEC_OCTET:
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '%s': last octet "
		    "must be %u-255", what, octet);
		break;
	default:
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "target '%s': %s", what,
		    spec_reason(err));
		break;
	}
	return -1;
}

int
targets_add_file(struct targets *t, const char *path, char *errbuf)
{
	FILE *f;
	int ret;

	if (strcmp(path, "-") == 0)
		return targets_add_stream(t, stdin, "<stdin>", errbuf);
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "cannot read target file "
		    "'%s': %s", ESC(path), strerror(errno));
		return -1;
	}
	ret = targets_add_stream(t, f, path, errbuf);
	fclose(f);
	return ret;
}

int
targets_add_stream(struct targets *t, FILE *f, const char *name,
    char *errbuf)
{
	char line[TARGETS_LINE_MAX + 1], *hash, part[SPEC_MAX + 1];
	char not_target[128];
	const char *why = NULL;
	size_t lineno = 0, len;
	uint64_t total = 0;
	unsigned octet;
	struct stat st;
	int c, err;

	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "cannot read target file "
		    "'%s': %s", ESC(name), strerror(EISDIR));
		return -1;
	}
	snprintf(not_target, sizeof(not_target), "not a target (%s)", expected);
	errno = 0;
	for (;;) {
		/* A bounded line at a time: /dev/zero or one endless line
		 * costs 4 KiB, not all memory. */
		len = 0;
		while ((c = getc(f)) != EOF && c != '\n') {
			if (c == '\0') {
				why = "the line contains a NUL byte; this is not "
				    "a text file";
				break;
			}
			if (len == TARGETS_LINE_MAX) {
				why = "the line is longer than 4096 bytes; one "
				    "target per line";
				break;
			}
			line[len++] = (char)c;
		}
		if (why == NULL && c == EOF && len == 0)
			break;
		lineno++;
		total += len + 1;
		if (why == NULL && (lineno > TARGETS_FILE_MAX_LINES ||
		    total > TARGETS_FILE_MAX_BYTES))
			why = "the file is longer than 1048576 lines or 32 MiB; "
			    "split it";
		if (why != NULL)
			break;
		line[len] = '\0';
		if ((hash = strchr(line, '#')) != NULL)
			*hash = '\0';
		if (line[strspn(line, " \t\r\n\v\f")] != '\0' &&
		    (err = parse_spec(t, line, part, sizeof(part), &octet)) != -1) {
			if ((why = spec_reason(err)) == NULL)
				why = not_target;
			break;
		}
		if (c == EOF)
			break;
	}
	if (why != NULL) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "%s:%zu: %s", ESC(name),
		    lineno, why);
		return -1;
	}
	if (ferror(f)) {
		snprintf(errbuf, TARGETS_ERRBUF_SIZE, "cannot read target file "
		    "'%s': %s", ESC(name), strerror(errno ? errno : EIO));
		return -1;
	}
	return 0;
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
