/* atomic_out: an output file that replaces its destination only when complete. */
#ifndef ARPSWEEP_ATOMIC_OUT_H
#define ARPSWEEP_ATOMIC_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define ATOMIC_OUT_ERRBUF_SIZE 512

struct atomic_out;

/* atomic_out_open() flags. */
enum {
	/*
	 * The process will give up root before the commit, and may then lack
	 * the right to rename in the destination's directory: a root child
	 * holding only the directory and CAP_DAC_OVERRIDE/CAP_FOWNER does the
	 * rename (or, if we die first, removes the temporary file). Only
	 * honoured when running as root; call while single-threaded.
	 */
	ATOMIC_OUT_HELPER = 1,
};

/*
 * Refuse a destination that is a symbolic link or exists and is not a
 * regular file (lstat; the last component is never followed), then create a
 * new file ".NAME.XXXXXX" beside it with O_CREAT|O_EXCL|O_NOFOLLOW, mode
 * 0644 less the umask, owned by uid/gid when they are not -1 (fchown: the
 * sudo user's file). The destination is not touched. On error returns NULL
 * and writes the reason, without the path, to errbuf (the caller names the
 * file: "cannot record to 'X': <reason>").
 */
struct atomic_out *atomic_out_open(const char *path, uid_t uid, gid_t gid,
    unsigned flags, char *errbuf, size_t errlen);

/* The temporary file, for write() or for fdopen(dup(fd)): a stream made on
 * it must be flushed, checked and closed by its maker before the commit. */
int atomic_out_fd(const struct atomic_out *ao);

/* The destination path as given. */
const char *atomic_out_path(const struct atomic_out *ao);

/*
 * fsync the temporary file and rename it over the destination (atomic: a
 * reader sees the old file or the new one), then fsync the directory.
 * On failure the temporary file is removed, the destination is left as it
 * was, and errbuf says why and that the previous file is unchanged. Frees
 * ao either way.
 */
int atomic_out_commit(struct atomic_out *ao, char *errbuf, size_t errlen);

/*
 * Writing failed with errno err: remove the temporary file, leave the
 * destination as it was, and write "write failed (reason); ..." saying so
 * into errbuf. Frees ao. Returns -1.
 */
int atomic_out_fail(struct atomic_out *ao, int err, char *errbuf,
    size_t errlen);

/* Remove the temporary file silently (a run that failed for another reason).
 * Frees ao; NULL is a no-op. */
void atomic_out_abort(struct atomic_out *ao);

#endif
