/* mutate: write N copies of a capture with random bytes changed, truncated or
 * extended, for the robustness test (every copy must be read or refused,
 * never crash). Deterministic for a given seed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t state;

static uint64_t
next(void)
{
	/* splitmix64: tiny, seedable, good enough to pick bytes. */
	uint64_t z = (state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

int
main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: mutate FILE COUNT SEED OUTPREFIX\n");
		return 2;
	}
	FILE *in = fopen(argv[1], "rb");
	if (in == NULL) {
		perror(argv[1]);
		return 2;
	}
	static uint8_t buf[1 << 20], out[(1 << 20) + 256];
	size_t n = fread(buf, 1, sizeof(buf), in);
	fclose(in);
	long count = strtol(argv[2], NULL, 10);
	state = strtoull(argv[3], NULL, 10);
	for (long i = 0; i < count; i++) {
		size_t len = n;
		memcpy(out, buf, n);
		/* Keep the 24-byte file header most of the time so the
		 * mutations reach the frames rather than stop at the magic. */
		size_t lo = next() % 8 == 0 ? 0 : (n > 24 ? 24 : 0);
		unsigned flips = 1 + next() % 16;
		for (unsigned k = 0; k < flips && len > lo; k++)
			out[lo + next() % (len - lo)] = (uint8_t)next();
		switch (next() % 4) {
		case 0:		/* cut anywhere */
			len = len > 1 ? 1 + next() % (len - 1) : len;
			break;
		case 1:		/* trailing garbage */
			for (unsigned k = 0; k < 64; k++)
				out[len++] = (uint8_t)next();
			break;
		}
		char name[4096];
		snprintf(name, sizeof(name), "%s%04ld.pcap", argv[4], i);
		FILE *o = fopen(name, "wb");
		if (o == NULL || fwrite(out, 1, len, o) != len || fclose(o) != 0) {
			perror(name);
			return 1;
		}
	}
	return 0;
}
