/* fmt: address, time and terminal cell formatting shared by findings and output. */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

char *
fmt_mac(char buf[18], const uint8_t mac[6])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

char *
fmt_ip(char buf[16], uint32_t ip)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
	    (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

char *
fmt_time(char buf[32], int64_t ns)
{
	/* Floor division keeps pre-1970 stamps (forged files) well-formed. */
	int64_t sec = ns / 1000000000;
	int64_t rem = ns % 1000000000;
	struct tm tm;

	if (rem < 0) {
		rem += 1000000000;
		sec--;
	}
	time_t t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, 32, "invalid");
		return buf;
	}
	/* strftime bounds the year's width, which snprintf cannot prove. */
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%06ldZ", (long)(rem / 1000));
	return buf;
}

/*
 * One UTF-8 character at p: its length (1-4) and code point, or 0 when
 * the bytes are not a well-formed character (overlong, surrogate, beyond
 * U+10FFFF, cut short; a NUL stops a sequence too).
 */
static size_t
utf8_decode(const unsigned char *p, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2;
		c = p[0] & 0x1f;
	} else if ((p[0] & 0xf0) == 0xe0) {
		n = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4;
		c = p[0] & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (p[i] & 0x3f);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return n;
}

struct range { uint32_t lo, hi; };

static bool
in(const struct range *r, size_t n, uint32_t c)
{
	for (size_t i = 0; i < n; i++)
		if (c >= r[i].lo && c <= r[i].hi)
			return true;
	return false;
}

/* The common blocks, not all of Unicode: a vendor or VM name outside them
 * is at worst a column off, never cut without its mark. */
static const struct range zero_width[] = {
	{ 0x0300, 0x036f }, { 0x0483, 0x0489 }, { 0x0591, 0x05bd },
	{ 0x0610, 0x061a }, { 0x064b, 0x065f }, { 0x0e31, 0x0e31 },
	{ 0x0e34, 0x0e3a }, { 0x0e47, 0x0e4e }, { 0x1ab0, 0x1aff },
	{ 0x1dc0, 0x1dff }, { 0x200b, 0x200f }, { 0x202a, 0x202e },
	{ 0x2060, 0x2064 }, { 0x20d0, 0x20ff }, { 0xfe00, 0xfe0f },
	{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff },
};
static const struct range wide[] = {
	{ 0x1100, 0x115f }, { 0x2e80, 0x303e }, { 0x3041, 0x33ff },
	{ 0x3400, 0x4dbf }, { 0x4e00, 0x9fff }, { 0xa000, 0xa4cf },
	{ 0xac00, 0xd7a3 }, { 0xf900, 0xfaff }, { 0xfe30, 0xfe4f },
	{ 0xff00, 0xff60 }, { 0xffe0, 0xffe6 }, { 0x1f300, 0x1f64f },
	{ 0x1f900, 0x1f9ff }, { 0x20000, 0x2fffd }, { 0x30000, 0x3fffd },
};

/* Columns of one character; -1: not printable as it is (shown as '?'). */
static int
cp_width(uint32_t c)
{
	if (c < 0x20 || (c >= 0x7f && c < 0xa0))
		return -1;
	if (in(zero_width, sizeof(zero_width) / sizeof(zero_width[0]), c))
		return 0;
	if (in(wide, sizeof(wide) / sizeof(wide[0]), c))
		return 2;
	return 1;
}

/* The next character of s: its bytes (n, 1 for a bad byte) and columns. */
static size_t
next_char(const unsigned char *s, int *w)
{
	uint32_t c;
	size_t n = utf8_decode(s, &c);

	if (n == 0) {
		*w = -1;
		return 1;
	}
	*w = cp_width(c);
	return n;
}

size_t
fmt_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t cols = 0;

	while (*p != '\0') {
		int w;
		p += next_char(p, &w);
		cols += w < 0 ? 1 : (size_t)w;
	}
	return cols;
}

size_t
fmt_fit(char *dst, size_t len, const char *s, size_t cols)
{
	const unsigned char *p = (const unsigned char *)s;
	bool cut = fmt_width(s) > cols;
	/* A cut text keeps one column for the ellipsis. */
	size_t room = cut ? (cols > 0 ? cols - 1 : 0) : cols;
	size_t used = 0, o = 0;

	if (len == 0)
		return 0;
	while (*p != '\0') {
		int w;
		size_t n = next_char(p, &w);
		size_t cw = w < 0 ? 1 : (size_t)w;
		if (used + cw > room)
			break;
		size_t nb = w < 0 ? 1 : n;
		if (o + nb + sizeof(FMT_ELLIPSIS) > len) {
			cut = true;	/* dst too small: still say so */
			break;
		}
		if (w < 0)
			dst[o] = '?';
		else
			memcpy(dst + o, p, n);
		o += nb;
		used += cw;
		p += n;
	}
	if (cut && cols > 0 && o + sizeof(FMT_ELLIPSIS) <= len) {
		memcpy(dst + o, FMT_ELLIPSIS, sizeof(FMT_ELLIPSIS) - 1);
		o += sizeof(FMT_ELLIPSIS) - 1;
		used++;
	}
	dst[o] = '\0';
	return used;
}

int
fmt_columns(const char *s)
{
	if (s == NULL || *s == '\0' || strspn(s, "0123456789") != strlen(s) ||
	    strlen(s) > 5)
		return 0;
	long v = strtol(s, NULL, 10);
	return v >= 1 && v <= FMT_COLUMNS_MAX ? (int)v : 0;
}

static size_t
total(const struct fmt_col *c, size_t n, size_t gap)
{
	size_t sum = 0, k = 0;

	for (size_t i = 0; i < n; i++)
		if (c[i].shown) {
			sum += c[i].width;
			k++;
		}
	return sum + (k > 1 ? (k - 1) * gap : 0);
}

/* Cut the widest cuttable column (cut_last ones too when late) by one
 * until it fits or none can be cut. */
static bool
shrink(struct fmt_col *c, size_t n, size_t width, size_t gap, bool late)
{
	while (total(c, n, gap) > width) {
		size_t best = n;
		for (size_t i = 0; i < n; i++)
			if (c[i].shown && c[i].width > c[i].min &&
			    (late || !c[i].cut_last) && (best == n ||
			    c[i].width > c[best].width))
				best = i;
		if (best == n)
			return false;
		c[best].width--;
	}
	return true;
}

size_t
fmt_layout(struct fmt_col *c, size_t n, size_t width, size_t gap)
{
	size_t dropped = 0;

	for (size_t i = 0; i < n; i++) {
		c[i].shown = true;
		c[i].width = c[i].natural;
	}
	if (width == 0)
		return 0;
	for (;;) {
		for (size_t i = 0; i < n; i++)
			if (c[i].shown)
				c[i].width = c[i].natural;
		if (shrink(c, n, width, gap, false))
			return dropped;
		size_t next = n;
		for (size_t i = 0; i < n; i++)
			if (c[i].shown && c[i].drop > 0 &&
			    (next == n || c[i].drop < c[next].drop))
				next = i;
		if (next == n) {
			/* Too narrow for what must stay: cut_last ones too,
			 * and what still does not fit wraps. */
			shrink(c, n, width, gap, true);
			return dropped;
		}
		c[next].shown = false;
		dropped++;
	}
}

/* File names and vendor names are bytes from outside: JSON gets valid
 * UTF-8, with U+FFFD for anything else. */
void
fmt_json_str(FILE *out, const char *s)
{
	uint32_t cp;

	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_decode(p, &cp);
		if (n == 0) {
			fputs("\\ufffd", out);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	fputc('"', out);
}

/* RFC 4180: quote a field only when it needs it. */
void
fmt_json_str_or_null(FILE *out, const char *s)
{
	if (s == NULL)
		fputs("null", out);
	else
		fmt_json_str(out, s);
}

void
fmt_csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}
