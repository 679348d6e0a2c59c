/* vendor: load the IEEE registries (or an arp-scan style file) and map MACs to organisations. */
#include "vendor.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../capture/escape.h"

#define IEEE_DIR	"/usr/share/ieee-data"

/* A --oui file is read whole; anything this big is not a vendor list. */
#define MAX_FILE_SIZE	(64u * 1024 * 1024)

/*
 * Quoted CSV fields may hold newlines (IEEE addresses do, up to 4), but an
 * unbalanced quote must not swallow the rest of the file: a record that
 * spans more lines than this is treated as one bad line.
 */
#define MAX_RECORD_LINES	16

/* Longer than any assignment; a field that overflows it is simply invalid. */
#define HEX_MAX		16

enum { P24, P28, P36, NPREFIX };

struct vendor_entry {
	uint64_t prefix;	/* the top 24, 28 or 36 bits of the MAC */
	uint32_t name;		/* offset into the arena */
};

struct prefix_set {
	struct vendor_entry *v;
	size_t n, cap;
};

struct vendor_db {
	char *arena;		/* NUL-terminated names, back to back */
	size_t arena_len, arena_cap;
	struct prefix_set set[NPREFIX];
	size_t count;
};

/* Per-file parsing state. */
struct loader {
	struct vendor_db *db;
	bool oom;
	size_t lineno;
	size_t bad;		/* lines that matched neither format */
	size_t first_bad;	/* line number of the first of them */
};

static const unsigned prefix_bits[NPREFIX] = { 24, 28, 36 };

static void
warn_append(char *warn, size_t warnlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Several problems may pile up (one per file): join them with "; ". */
static void
warn_append(char *warn, size_t warnlen, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (warn == NULL || warnlen == 0)
		return;
	used = strnlen(warn, warnlen);
	if (used + 1 >= warnlen)
		return;
	if (used > 0) {
		snprintf(warn + used, warnlen - used, "; ");
		used = strnlen(warn, warnlen);
		if (used + 1 >= warnlen)
			return;
	}
	va_start(ap, fmt);
	vsnprintf(warn + used, warnlen - used, fmt, ap);
	va_end(ap);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 6, 7 or 9 hex digits -> prefix class and value; -1 for anything else. */
static int
parse_assignment(const char *s, size_t len, uint64_t *value)
{
	uint64_t v = 0;
	size_t i;
	int kind;

	switch (len) {
	case 6:
		kind = P24;
		break;
	case 7:
		kind = P28;
		break;
	case 9:
		kind = P36;
		break;
	default:
		return -1;
	}
	for (i = 0; i < len; i++) {
		int d = hexval((unsigned char)s[i]);

		if (d < 0)
			return -1;
		v = v << 4 | (uint64_t)d;
	}
	*value = v;
	return kind;
}

static bool
arena_reserve(struct vendor_db *db, size_t more)
{
	size_t cap = db->arena_cap ? db->arena_cap : 64 * 1024;
	char *p;

	if (more > UINT32_MAX - db->arena_len)
		return false;	/* offsets are 32-bit */
	if (db->arena_len + more <= db->arena_cap)
		return true;
	while (cap < db->arena_len + more)
		cap *= 2;
	p = realloc(db->arena, cap);
	if (p == NULL)
		return false;
	db->arena = p;
	db->arena_cap = cap;
	return true;
}

static bool
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
	       c == '\v' || c == '\f';
}

/*
 * Trim the name being built at the arena's tail (from start), turn control
 * characters into spaces (a vendor name ends up on a terminal and in CSV),
 * NUL-terminate it. Returns its length; the arena is not yet committed.
 */
static size_t
name_finish(struct vendor_db *db, size_t start)
{
	char *s = db->arena + start;
	size_t len = db->arena_len - start, i, j = 0, lead = 0;

	/* Control characters count as space here too, or one would turn
	 * into a leading blank below. */
	while (lead < len && ((unsigned char)s[lead] <= 0x20 ||
	    (unsigned char)s[lead] == 0x7f))
		lead++;
	for (i = lead; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		s[j++] = (c < 0x20 || c == 0x7f) ? ' ' : (char)c;
	}
	while (j > 0 && s[j - 1] == ' ')
		j--;
	s[j] = '\0';	/* room was reserved by the caller */
	db->arena_len = start;
	return j;
}

static void
add_entry(struct loader *ld, int kind, uint64_t prefix, size_t name_start,
	  size_t name_len)
{
	struct prefix_set *ps = &ld->db->set[kind];

	if (ps->n == ps->cap) {
		size_t cap = ps->cap ? ps->cap * 2 : 1024;
		struct vendor_entry *v = realloc(ps->v, cap * sizeof(*v));

		if (v == NULL) {
			ld->oom = true;
			return;
		}
		ps->v = v;
		ps->cap = cap;
	}
	ps->v[ps->n].prefix = prefix;
	ps->v[ps->n].name = (uint32_t)name_start;
	ps->n++;
	ld->db->arena_len = name_start + name_len + 1;
}

/* Append raw bytes to the name being built at the arena's tail. */
static bool
arena_put(struct vendor_db *db, const char *s, size_t len)
{
	if (!arena_reserve(db, len + 1))
		return false;
	memcpy(db->arena + db->arena_len, s, len);
	db->arena_len += len;
	return true;
}

/*
 * "HEX<tab or spaces>Name" on one line (line excludes the newline).
 * Returns true when the line had that form (and was added).
 */
static bool
try_hexname(struct loader *ld, const char *line, size_t len)
{
	size_t h = 0, i, start, name_len;
	uint64_t prefix;
	int kind;

	while (h < len && hexval((unsigned char)line[h]) >= 0)
		h++;
	if (h == len || (line[h] != ' ' && line[h] != '\t'))
		return false;
	kind = parse_assignment(line, h, &prefix);
	if (kind < 0)
		return false;
	i = h;
	while (i < len && is_space((unsigned char)line[i]))
		i++;
	if (i == len)
		return false;	/* no name */
	start = ld->db->arena_len;
	if (!arena_put(ld->db, line + i, len - i)) {
		ld->oom = true;
		return true;
	}
	name_len = name_finish(ld->db, start);
	if (name_len == 0)
		return false;	/* only control characters: no name either */
	add_entry(ld, kind, prefix, start, name_len);
	return true;
}

enum csv_result { CSV_ROW, CSV_HEADER, CSV_BAD };

/*
 * One RFC 4180 record starting at *pp. Keeps field 1 (Assignment) and
 * field 2 (Organization Name). Quotes open only at a field's start;
 * a stray character after a closing quote is kept, as most readers do.
 * On CSV_ROW/CSV_HEADER *pp moves past the record and *lines counts its
 * newlines; on CSV_BAD the caller resumes at the next physical line.
 */
static enum csv_result
parse_csv(struct loader *ld, const char **pp, const char *end, size_t *lines)
{
	struct vendor_db *db = ld->db;
	const char *p = *pp;
	char hex[HEX_MAX];
	size_t hexlen = 0, field = 0, nl = 0, name_start = db->arena_len;
	bool hex_overflow = false, done = false;
	uint64_t prefix = 0;
	int kind;

	while (!done) {
		bool quoted = false;

		if (p < end && *p == '"') {
			quoted = true;
			p++;
		}
		for (;;) {
			char c;

			if (p == end) {
				if (quoted)
					goto bad;	/* unterminated quote */
				done = true;
				break;
			}
			c = *p++;
			if (quoted) {
				if (c == '"') {
					if (p < end && *p == '"') {
						p++;
					} else {
						quoted = false;
						continue;
					}
				} else if (c == '\n' && ++nl >= MAX_RECORD_LINES) {
					goto bad;
				}
			} else if (c == ',') {
				break;
			} else if (c == '\n') {
				done = true;
				break;
			}
			if (field == 1) {
				if (hexlen < sizeof(hex))
					hex[hexlen++] = c;
				else
					hex_overflow = true;
			} else if (field == 2) {
				if (!arena_put(db, &c, 1)) {
					ld->oom = true;
					goto bad;
				}
			}
		}
		field++;
	}
	*pp = p;
	*lines = nl + 1;
	if (field < 3)
		goto bad_consumed;
	/* Hand-edited files put spaces around the assignment; tolerate them. */
	while (hexlen > 0 && is_space((unsigned char)hex[hexlen - 1]))
		hexlen--;
	{
		size_t lead = 0;

		while (lead < hexlen && is_space((unsigned char)hex[lead]))
			lead++;
		kind = hex_overflow ? -1 :
		       parse_assignment(hex + lead, hexlen - lead, &prefix);
		if (kind < 0) {
			db->arena_len = name_start;
			if (!hex_overflow && hexlen - lead == 10 &&
			    strncasecmp(hex + lead, "Assignment", 10) == 0)
				return CSV_HEADER;
			return CSV_BAD;
		}
	}
	if (!arena_reserve(db, 1)) {
		ld->oom = true;
		goto bad_consumed;
	}
	{
		size_t len = name_finish(db, name_start);

		if (len == 0)
			return CSV_BAD;
		add_entry(ld, kind, prefix, name_start, len);
	}
	return CSV_ROW;
bad:
	*lines = 1;
	*pp = NULL;
bad_consumed:
	db->arena_len = name_start;
	return CSV_BAD;
}

static void
note_bad(struct loader *ld)
{
	if (ld->bad++ == 0)
		ld->first_bad = ld->lineno;
}

static void
parse_buffer(struct loader *ld, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;	/* UTF-8 BOM, as spreadsheet exports write it */
	while (p < end && !ld->oom) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *next = eol ? eol + 1 : end;
		const char *s = p, *e = eol ? eol : end, *q = p;
		size_t lines;

		ld->lineno++;
		while (s < e && is_space((unsigned char)*s))
			s++;
		while (e > s && is_space((unsigned char)e[-1]))
			e--;
		if (s == e || *s == '#' || try_hexname(ld, s, (size_t)(e - s))) {
			p = next;
			continue;
		}
		switch (parse_csv(ld, &q, end, &lines)) {
		case CSV_ROW:
		case CSV_HEADER:
			ld->lineno += lines - 1;
			p = q;
			break;
		case CSV_BAD:
			note_bad(ld);
			if (q != NULL) {
				ld->lineno += lines - 1;
				p = q;
			} else {
				p = next;
			}
			break;
		}
	}
}

/* Whole file into memory: simpler than a streaming parser for quoted newlines. */
static char *
read_stream(FILE *f, size_t *lenp, int *err)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;

	*err = 0;
	for (;;) {
		size_t got;

		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 1024 * 1024;
			char *nbuf;

			if (cap >= MAX_FILE_SIZE) {
				*err = EFBIG;
				goto fail;
			}
			nbuf = realloc(buf, ncap);
			if (nbuf == NULL) {
				*err = ENOMEM;
				goto fail;
			}
			buf = nbuf;
			cap = ncap;
		}
		errno = 0;
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f)) {
				*err = errno ? errno : EIO;
				goto fail;
			}
			break;
		}
	}
	*lenp = len;
	if (buf == NULL)
		buf = malloc(1);	/* empty file: still a success */
	if (buf == NULL)
		*err = ENOMEM;
	return buf;
fail:
	free(buf);
	return NULL;
}

/* Returns 0, or the errno of the read; sets ld->oom when out of memory. */
static int
load_stream(struct loader *ld, FILE *f)
{
	size_t len = 0;
	int err;
	char *buf = read_stream(f, &len, &err);

	if (buf == NULL) {
		if (err == ENOMEM)
			ld->oom = true;
		return err;
	}
	parse_buffer(ld, buf, len);
	free(buf);
	return 0;
}

static int
load_file(struct loader *ld, const char *path)
{
	FILE *f = fopen(path, "rb");
	int err;

	if (f == NULL)
		return errno;
	err = load_stream(ld, f);
	fclose(f);
	return err;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct vendor_entry *x = a, *y = b;

	if (x->prefix != y->prefix)
		return x->prefix < y->prefix ? -1 : 1;
	/* Arena offsets grow in load order: the lower one came first. */
	return (x->name > y->name) - (x->name < y->name);
}

static void
finish_sets(struct vendor_db *db)
{
	int k;

	db->count = 0;
	for (k = 0; k < NPREFIX; k++) {
		struct prefix_set *ps = &db->set[k];
		size_t i, n = 0;

		if (ps->n > 1)
			qsort(ps->v, ps->n, sizeof(*ps->v), entry_cmp);
		for (i = 0; i < ps->n; i++)
			if (n == 0 || ps->v[n - 1].prefix != ps->v[i].prefix)
				ps->v[n++] = ps->v[i];
		ps->n = n;
		db->count += n;
	}
}

static void
warn_bad_lines(const struct loader *ld, const char *path, char *warn,
	       size_t warnlen)
{
	if (ld->bad == 0)
		return;
	warn_append(warn, warnlen,
		    "%s: skipped %zu line%s that %s neither IEEE CSV nor "
		    "\"HEX<tab>Name\" (first at line %zu)",
		    ESC(path), ld->bad, ld->bad == 1 ? "" : "s",
		    ld->bad == 1 ? "is" : "are", ld->first_bad);
}

struct vendor_db *
vendor_load(const char *path, char *warn, size_t warnlen)
{
	static const char *const defaults[] = {
		IEEE_DIR "/oui.csv", IEEE_DIR "/mam.csv",
		IEEE_DIR "/oui36.csv", IEEE_DIR "/iab.csv",
	};
	struct vendor_db *db = calloc(1, sizeof(*db));
	struct loader ld;
	int err;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	if (db == NULL)
		return NULL;
	if (path != NULL) {
		FILE *f = fopen(path, "rb");

		vendor_free(db);
		db = vendor_load_file(f, f == NULL ? errno : 0, path, warn,
		    warnlen);
		if (f != NULL)
			fclose(f);
		return db;
	} else {
		const char *first_missing = NULL;
		int first_err = 0;
		size_t i, nread = 0;

		for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++) {
			memset(&ld, 0, sizeof(ld));
			ld.db = db;
			err = load_file(&ld, defaults[i]);
			if (ld.oom)
				goto oom;
			if (err == 0) {
				nread++;
				warn_bad_lines(&ld, defaults[i], warn, warnlen);
				continue;
			}
			if (first_missing == NULL) {
				first_missing = defaults[i];
				first_err = err;
			}
			/* A partial install is normal; a broken file is not. */
			if (err != ENOENT)
				warn_append(warn, warnlen, "cannot read %s (%s)",
					    ESC(defaults[i]), strerror(err));
		}
		if (nread == 0 && first_missing != NULL) {
			if (warn != NULL && warnlen > 0)
				warn[0] = '\0';
			warn_append(warn, warnlen,
				    "vendor names unavailable: cannot read %s (%s); "
				    "install ieee-data or pass --oui FILE",
				    ESC(first_missing), strerror(first_err));
		}
		finish_sets(db);
	}
	return db;
oom:
	vendor_free(db);
	return NULL;
}

struct vendor_db *
vendor_load_file(FILE *f, int open_err, const char *name, char *warn,
    size_t warnlen)
{
	struct vendor_db *db = calloc(1, sizeof(*db));
	struct loader ld;
	int err = open_err;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	if (db == NULL)
		return NULL;
	memset(&ld, 0, sizeof(ld));
	ld.db = db;
	if (f != NULL)
		err = load_stream(&ld, f);
	if (ld.oom) {
		vendor_free(db);
		return NULL;
	}
	if (err != 0) {
		warn_append(warn, warnlen, "vendor names unavailable: cannot "
		    "read %s (%s); check the --oui path", ESC(name),
		    strerror(err));
		return db;
	}
	warn_bad_lines(&ld, name, warn, warnlen);
	finish_sets(db);
	if (db->count == 0)
		warn_append(warn, warnlen, "vendor names unavailable: no "
		    "prefixes found in %s", ESC(name));
	return db;
}

struct vendor_db *
vendor_load_buffer(const char *buf, size_t len, const char *name, char *warn,
    size_t warnlen)
{
	struct vendor_db *db = calloc(1, sizeof(*db));
	struct loader ld;

	if (warn != NULL && warnlen > 0)
		warn[0] = '\0';
	if (db == NULL)
		return NULL;
	memset(&ld, 0, sizeof(ld));
	ld.db = db;
	parse_buffer(&ld, buf, len);
	if (ld.oom) {
		vendor_free(db);
		return NULL;
	}
	warn_bad_lines(&ld, name, warn, warnlen);
	finish_sets(db);
	if (db->count == 0)
		warn_append(warn, warnlen,
			    "vendor names unavailable: no prefixes found in %s",
		    ESC(name));
	return db;
}

void
vendor_free(struct vendor_db *db)
{
	int k;

	if (db == NULL)
		return;
	for (k = 0; k < NPREFIX; k++)
		free(db->set[k].v);
	free(db->arena);
	free(db);
}

size_t
vendor_count(const struct vendor_db *db)
{
	return db ? db->count : 0;
}

static const struct vendor_entry *
find(const struct prefix_set *ps, uint64_t prefix)
{
	size_t lo = 0, hi = ps->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (ps->v[mid].prefix == prefix)
			return &ps->v[mid];
		if (ps->v[mid].prefix < prefix)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const char *
vendor_lookup(const struct vendor_db *db, const uint8_t mac[6])
{
	uint64_t m = 0;
	int i, k;

	for (i = 0; i < 6; i++)
		m = m << 8 | mac[i];
	if (db != NULL) {
		for (k = NPREFIX - 1; k >= 0; k--) {
			const struct vendor_entry *e =
				find(&db->set[k], m >> (48 - prefix_bits[k]));

			if (e != NULL)
				return db->arena + e->name;
		}
	}
	if (mac[0] == 0x52 && mac[1] == 0x54 && mac[2] == 0x00)
		return "QEMU/KVM (locally administered)";
	if (mac[0] & 0x02)
		return "(locally administered)";
	return "(unknown)";
}
