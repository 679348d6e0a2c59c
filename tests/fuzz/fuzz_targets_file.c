/*
 * fuzz_targets_file: targets_add_file(), the -f reader (comments, blank
 * lines, NUL bytes, line numbers in errors), on the input as a file.
 */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../scanner/targets.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[TARGETS_ERRBUF_SIZE], path[64];
	struct targets *t;
	int fd, rc;

	/* A memory-backed file: nothing touches the disk, nothing is left. */
	if ((fd = memfd_create("fuzz_targets", MFD_CLOEXEC)) == -1)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if ((t = targets_new()) != NULL) {
		errbuf[0] = '\0';
		rc = targets_add_file(t, path, errbuf);
		if (rc == -1) {
			FUZZ_ASSERT(errbuf[0] != '\0');
			FUZZ_ASSERT(strchr(errbuf, '\n') == NULL);
		} else {
			targets_finish(t);
			(void)targets_count(t);
		}
		targets_free(t);
	}
	close(fd);
	return 0;
}
