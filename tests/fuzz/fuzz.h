/* fuzz: what every harness shares (libFuzzer's entry point and small helpers). */
#ifndef ARPSWEEP_FUZZ_H
#define ARPSWEEP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/*
 * The one function a harness defines: feed data[0..size) to a parser, free
 * everything, keep no state. Linked either with libFuzzer (make fuzz) or
 * with tests/fuzz/standalone.c, which replays files (make check).
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken invariant is a finding like a crash: say which, then abort so
 * both drivers keep the input. */
#define FUZZ_ASSERT(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: invariant failed: %s\n",	\
		    __FILE__, __LINE__, #cond);				\
		abort();						\
	}								\
} while (0)

/* The bytes as a NUL-terminated string (embedded NULs cut it short, as
 * they would for any C-string parser). NULL when out of memory. */
static inline char *
fuzz_strdup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s != NULL) {
		for (size_t i = 0; i < size; i++)
			s[i] = (char)data[i];
		s[size] = '\0';
	}
	return s;
}

#endif
