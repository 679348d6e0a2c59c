/*
 * standalone: a main() for a fuzz harness without libFuzzer, so make check
 * replays the seed corpus and every input that ever failed in the plain
 * sanitizer build (no clang needed). Each argument is a file or a directory
 * of files; each input is copied into a buffer of exactly its size, as
 * libFuzzer does, so a read past its end is caught. The empty input runs
 * first, as in libFuzzer. An input that takes longer than FUZZ_TIMEOUT
 * seconds (default 10) is a hang: SIGALRM ends the process.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"

static unsigned timeout_s = 10;

static int
run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, got;

	if (f == NULL) {
		fprintf(stderr, "standalone: cannot read '%s': %s\n", path,
		    strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 4096;
			uint8_t *nbuf = realloc(buf, ncap);

			if (nbuf == NULL) {
				fprintf(stderr, "standalone: '%s': out of memory\n",
				    path);
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nbuf;
			cap = ncap;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fprintf(stderr, "standalone: cannot read '%s'\n", path);
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	/* Exactly len bytes, so ASan sees the end of the input. */
	uint8_t *exact = malloc(len);
	if (exact == NULL && len > 0) {
		free(buf);
		return -1;
	}
	memcpy(exact, buf, len);
	free(buf);
	alarm(timeout_s);
	LLVMFuzzerTestOneInput(exact, len);
	alarm(0);
	free(exact);
	return 0;
}

static int
run_path(const char *path)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) == -1) {
		fprintf(stderr, "standalone: '%s': %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path);
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "standalone: '%s': %s\n", path, strerror(errno));
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *sub;

		if (de->d_name[0] == '.')
			continue;
		if ((sub = malloc(strlen(path) + strlen(de->d_name) + 2)) == NULL) {
			rc = -1;
			break;
		}
		sprintf(sub, "%s/%s", path, de->d_name);
		if (run_path(sub) == -1)
			rc = -1;
		free(sub);
	}
	closedir(d);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *t = getenv("FUZZ_TIMEOUT");
	int rc = 0;

	if (t != NULL && atoi(t) > 0)
		timeout_s = (unsigned)atoi(t);
	/* malloc(0) under ASan: a pointer with no byte behind it. */
	uint8_t *empty = malloc(0);
	alarm(timeout_s);
	LLVMFuzzerTestOneInput(empty, 0);
	alarm(0);
	free(empty);
	for (int i = 1; i < argc; i++)
		if (run_path(argv[i]) == -1)
			rc = 1;
	return rc;
}
