/* escape: user input made safe to echo in a one-line message. */
#ifndef ARPSWEEP_ESCAPE_H
#define ARPSWEEP_ESCAPE_H

#include <stddef.h>

/* Room for a path or a spec in a message; longer ones are cut with "...". */
#define ESCAPE_SIZE 320

/*
 * Copy s into buf (size bytes, NUL-terminated) with every byte a terminal
 * could act on escaped: C0 controls and DEL (as \n, \r, \t or \xHH), C1
 * controls (U+0080-U+009F) and bytes that are not UTF-8 (as \xHH), and the
 * backslash itself (as \\), so the result is one line that shows what was typed.
 * Valid printable UTF-8 passes unchanged. Returns buf.
 */
const char *escape_str(const char *s, char *buf, size_t size);

/* escape_str() into a buffer that lives until the end of the enclosing
 * block: printf("'%s'", ESC(name)). */
#define ESC(s) escape_str((s), (char[ESCAPE_SIZE]){ 0 }, ESCAPE_SIZE)

#endif
