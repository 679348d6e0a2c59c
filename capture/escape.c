/* escape: control characters and invalid UTF-8 in echoed input -> \n, \xHH. */
#include "escape.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid, printable UTF-8 sequence at s (1-4), or 0. */
static size_t
utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned cp;

	if (s[0] < 0x80)
		return s[0] >= 0x20 && s[0] != 0x7f;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* also stops at the NUL */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and C1 controls
	 * (a terminal may take U+009B as CSI). */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff ||
	    (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

const char *
escape_str(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	size_t out = 0, n;
	char tmp[5];

	if (size == 0)
		return buf;
	while (*p != '\0') {
		n = utf8_len(p);
		if (n > 0 && *p != '\\') {
			memcpy(tmp, p, n);
			tmp[n] = '\0';
		} else {
			n = 1;
			switch (*p) {
			case '\\': memcpy(tmp, "\\\\", 3); break;
			case '\n': memcpy(tmp, "\\n", 3); break;
			case '\r': memcpy(tmp, "\\r", 3); break;
			case '\t': memcpy(tmp, "\\t", 3); break;
			default: snprintf(tmp, sizeof(tmp), "\\x%02x", *p); break;
			}
		}
		size_t len = strlen(tmp);
		/* Leave room for "..." whenever more follows. */
		if (out + len + (p[n] != '\0' ? 3 : 0) >= size) {
			if (size >= 4) {
				while (out + 3 >= size)
					out--;
				memcpy(buf + out, "...", 3);
				out += 3;
			}
			break;
		}
		memcpy(buf + out, tmp, len);
		out += len;
		p += n;
	}
	buf[out < size ? out : size - 1] = '\0';
	return buf;
}
