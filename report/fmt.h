/* fmt: addresses, times and terminal cells as every output format writes them. */
#ifndef ARPSWEEP_FMT_H
#define ARPSWEEP_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* "aa:bb:cc:dd:ee:ff" */
char *fmt_mac(char buf[18], const uint8_t mac[6]);
/* "a.b.c.d" from a host-order address */
char *fmt_ip(char buf[16], uint32_t ip);
/* RFC 3339 UTC with microseconds: "2026-01-01T00:00:00.000200Z" */
char *fmt_time(char buf[32], int64_t ns);

/* The mark of a cut cell: U+2026, one column wide. */
#define FMT_ELLIPSIS "\xe2\x80\xa6"

/*
 * Terminal columns UTF-8 text takes: 2 for East Asian wide characters and
 * emoji, 0 for combining marks and zero-width characters, 1 for anything
 * else, an invalid byte or a control byte included (fmt_fit shows each as
 * one '?').
 */
size_t fmt_width(const char *s);

/*
 * s made safe for a terminal (control bytes and invalid UTF-8 become '?')
 * into dst, cut at a character boundary to at most cols columns; a cut
 * text ends in FMT_ELLIPSIS, so nothing is ever cut silently. dst of
 * FMT_FIT_SIZE(cols) bytes always suffices. Returns the columns written.
 */
#define FMT_FIT_SIZE(cols) (4 * (size_t)(cols) + 8)
size_t fmt_fit(char *dst, size_t len, const char *s, size_t cols);

/* The COLUMNS environment variable: a whole number from 1 to
 * FMT_COLUMNS_MAX, else 0 (unset, empty, not a number, out of range). */
#define FMT_COLUMNS_MAX 10000
int fmt_columns(const char *s);

/* One column of a table laid out by fmt_layout(). */
struct fmt_col {
	const char	*name;		/* header, also in the "Not shown" line */
	size_t		natural;	/* widest cell, the header included */
	size_t		min;		/* narrowest it may be cut to with an
					   ellipsis; >= natural: never cut */
	bool		cut_last;	/* cut only when nothing is left
					   to drop */
	int		drop;		/* dropped in increasing order when even
					   cut columns do not fit; 0: never */
	bool		shown;		/* out */
	size_t		width;		/* out: when shown */
};

/*
 * Fit n columns, gap spaces apart, into width terminal columns (0: no
 * limit, every column at its natural width). Cells are cut first (the
 * widest first, down to each column's min); when that is not enough the
 * column with the lowest drop order goes, and the others get their room
 * back. cut_last columns are cut only when no column is left to drop;
 * what still does not fit stays, at its min, and wraps.
 * Returns the number of columns dropped.
 */
size_t fmt_layout(struct fmt_col *c, size_t n, size_t width, size_t gap);

/* s as a JSON string, quoted: valid UTF-8 passes, anything else is
 * U+FFFD (file and vendor names are bytes from outside). */
void fmt_json_str(FILE *out, const char *s);
/* The same, or null for NULL (a field that is absent). */
void fmt_json_str_or_null(FILE *out, const char *s);
/* s as an RFC 4180 CSV field, quoted only when it needs it. */
void fmt_csv_field(FILE *out, const char *s);

#endif
