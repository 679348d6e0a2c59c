/* atomic_out: write beside the destination, rename over it when complete. */
#include "atomic_out.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* A temporary name stays under NAME_MAX however long the destination's. */
#define BASE_IN_TMP	200
#define TMP_TRIES	64

struct atomic_out {
	int	fd;		/* the temporary file */
	int	dirfd;		/* the destination's directory, pinned */
	int	helper;		/* socket to the root helper, or -1 */
	pid_t	helper_pid;
	bool	existed;	/* the destination existed when we opened */
	char	*path, *base, *tmp;
};

static void seterr(char *errbuf, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
seterr(char *errbuf, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, errlen, fmt, ap);
	va_end(ap);
}

static void
tmp_name(char *name, size_t size, const char *base)
{
	static const char set[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	static unsigned counter;
	unsigned char r[6];
	char suffix[7];

	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != (ssize_t)sizeof(r)) {
		unsigned long x = (unsigned long)time(NULL) ^
		    (unsigned long)getpid() << 16 ^ ++counter * 2654435761u;
		for (size_t i = 0; i < sizeof(r); i++, x >>= 5)
			r[i] = (unsigned char)x;
	}
	for (size_t i = 0; i < sizeof(r); i++)
		suffix[i] = set[r[i] % (sizeof(set) - 1)];
	suffix[6] = '\0';
	snprintf(name, size, ".%.*s.%s", BASE_IN_TMP, base, suffix);
}

/*
 * The root helper: nothing but the directory, a socket and the right to
 * rename or unlink in it. It reads one byte: 'C' renames and answers with
 * the errno (0 on success); anything else, or EOF (we died), unlinks.
 */
static void __attribute__((noreturn))
helper_main(int sock, const struct atomic_out *ao)
{
	cap_value_t keep[] = { CAP_DAC_OVERRIDE, CAP_FOWNER };
	int err = 0;
	char c = 0;
	cap_t caps;

	signal(SIGINT, SIG_IGN);	/* the terminal's Ctrl-C is main's */
	signal(SIGTERM, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	(void)prctl(PR_SET_NAME, "arpsweep-w", 0, 0, 0);
	/* Keep sock and the directory; 0-2 are not ours to hold open. */
	int lo = sock < ao->dirfd ? sock : ao->dirfd;
	int hi = sock < ao->dirfd ? ao->dirfd : sock;
	if (lo > 0)
		close_range(0, (unsigned)lo - 1, 0);
	if (hi > lo + 1)
		close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
	close_range((unsigned)hi + 1, ~0u, 0);
	(void)prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	if ((caps = cap_init()) != NULL) {
		if (cap_set_flag(caps, CAP_EFFECTIVE, 2, keep, CAP_SET) == 0 &&
		    cap_set_flag(caps, CAP_PERMITTED, 2, keep, CAP_SET) == 0)
			(void)cap_set_proc(caps);
		cap_free(caps);
	}
	while (read(sock, &c, 1) == -1 && errno == EINTR)
		;
	if (c == 'C' && renameat(ao->dirfd, ao->tmp, ao->dirfd, ao->base) == 0)
		(void)fsync(ao->dirfd);
	else
		err = c == 'C' ? errno : 0;
	if (c != 'C' || err != 0)
		(void)unlinkat(ao->dirfd, ao->tmp, 0);
	if (c == 'C')
		(void)send(sock, &err, sizeof(err), MSG_NOSIGNAL);
	_exit(0);
}

static int
helper_start(struct atomic_out *ao, char *errbuf, size_t errlen)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == -1) {
		seterr(errbuf, errlen, "cannot start the helper that finishes "
		    "it: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);		/* no buffered output written twice */
	if ((pid = fork()) == -1) {
		seterr(errbuf, errlen, "cannot start the helper that finishes "
		    "it: %s", strerror(errno));
		close(sv[0]);
		close(sv[1]);
		return -1;
	}
	if (pid == 0)
		helper_main(sv[1], ao);
	close(sv[1]);
	ao->helper = sv[0];
	ao->helper_pid = pid;
	return 0;
}

/* Ask the helper to rename; its errno, or EIO when it is gone. */
static int
helper_commit(struct atomic_out *ao)
{
	int err = EIO;
	ssize_t n;

	if (send(ao->helper, "C", 1, MSG_NOSIGNAL) == 1) {
		while ((n = recv(ao->helper, &err, sizeof(err), MSG_WAITALL))
		    == -1 && errno == EINTR)
			;
		if (n != (ssize_t)sizeof(err))
			err = EIO;
	}
	return err;
}

static void
release(struct atomic_out *ao)
{
	if (ao->fd != -1)
		close(ao->fd);
	if (ao->helper != -1) {
		close(ao->helper);	/* EOF: the helper unlinks, if not done */
		while (waitpid(ao->helper_pid, NULL, 0) == -1 && errno == EINTR)
			;
	}
	if (ao->dirfd != -1)
		close(ao->dirfd);
	free(ao->path);
	free(ao->base);
	free(ao->tmp);
	free(ao);
}

/* Split path into its directory and last component. */
static int
split(struct atomic_out *ao, const char *path, char **dir)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL) {
		*dir = strdup(".");
		ao->base = strdup(path);
	} else {
		*dir = slash == path ? strdup("/") :
		    strndup(path, (size_t)(slash - path));
		ao->base = strdup(slash + 1);
	}
	ao->path = strdup(path);
	return *dir != NULL && ao->base != NULL && ao->path != NULL ? 0 : -1;
}

struct atomic_out *
atomic_out_open(const char *path, uid_t uid, gid_t gid, unsigned flags,
    char *errbuf, size_t errlen)
{
	struct atomic_out *ao = calloc(1, sizeof(*ao));
	char *dir = NULL, name[BASE_IN_TMP + 16];
	struct stat st;
	int i;

	if (ao == NULL) {
		seterr(errbuf, errlen, "out of memory");
		return NULL;
	}
	ao->fd = ao->dirfd = ao->helper = -1;
	if (split(ao, path, &dir) == -1) {
		seterr(errbuf, errlen, "out of memory");
		goto fail;
	}
	if (ao->base[0] == '\0' || strcmp(ao->base, ".") == 0 ||
	    strcmp(ao->base, "..") == 0) {
		seterr(errbuf, errlen, "it names a directory; name a file");
		goto fail;
	}
	ao->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (ao->dirfd == -1) {
		seterr(errbuf, errlen, "its directory: %s", strerror(errno));
		goto fail;
	}
	if (fstatat(ao->dirfd, ao->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			seterr(errbuf, errlen, "it is a symbolic link; arpsweep "
			    "does not write through links: name the file itself");
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			seterr(errbuf, errlen, "it is a directory; name a file");
			goto fail;
		}
		if (!S_ISREG(st.st_mode)) {
			seterr(errbuf, errlen, "it is not a regular file (a "
			    "device, FIFO or socket); name a file");
			goto fail;
		}
		ao->existed = true;
	} else if (errno != ENOENT) {
		seterr(errbuf, errlen, "%s", strerror(errno));
		goto fail;
	}
	for (i = 0; i < TMP_TRIES; i++) {
		tmp_name(name, sizeof(name), ao->base);
		ao->fd = openat(ao->dirfd, name, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
		if (ao->fd != -1 || errno != EEXIST)
			break;
	}
	if (ao->fd == -1) {
		seterr(errbuf, errlen, "cannot create a file in its directory: "
		    "%s", strerror(errno));
		goto fail;
	}
	if ((ao->tmp = strdup(name)) == NULL) {
		seterr(errbuf, errlen, "out of memory");
		goto fail_tmp;
	}
	if ((uid != (uid_t)-1 || gid != (gid_t)-1) &&
	    fchown(ao->fd, uid, gid) == -1) {
		seterr(errbuf, errlen, "cannot give it to uid %d: %s", (int)uid,
		    strerror(errno));
		goto fail_tmp;
	}
	if ((flags & ATOMIC_OUT_HELPER) && geteuid() == 0 &&
	    helper_start(ao, errbuf, errlen) == -1)
		goto fail_tmp;
	free(dir);
	return ao;
fail_tmp:
	(void)unlinkat(ao->dirfd, name, 0);
fail:
	free(dir);
	release(ao);
	return NULL;
}

int
atomic_out_fd(const struct atomic_out *ao)
{
	return ao->fd;
}

const char *
atomic_out_path(const struct atomic_out *ao)
{
	return ao->path;
}

static const char *
unchanged(const struct atomic_out *ao)
{
	return ao->existed ? "the previous file is unchanged" :
	    "no file was written";
}

int
atomic_out_fail(struct atomic_out *ao, int err, char *errbuf, size_t errlen)
{
	seterr(errbuf, errlen, "write failed (%s); %s",
	    strerror(err != 0 ? err : EIO), unchanged(ao));
	atomic_out_abort(ao);
	return -1;
}

int
atomic_out_commit(struct atomic_out *ao, char *errbuf, size_t errlen)
{
	int err = 0, fd = ao->fd;

	/* Data first, then the name: after a crash the destination holds the
	 * old file or the whole new one, never a cut one. */
	if (fsync(fd) == -1 && errno != EINVAL)
		return atomic_out_fail(ao, errno, errbuf, errlen);
	ao->fd = -1;
	if (close(fd) == -1 && errno != EINTR) {
		err = errno;
		return atomic_out_fail(ao, err, errbuf, errlen);
	}
	if (ao->helper != -1) {
		err = helper_commit(ao);
	} else if (renameat(ao->dirfd, ao->tmp, ao->dirfd, ao->base) == -1) {
		err = errno;
	} else {
		(void)fsync(ao->dirfd);
	}
	if (err != 0) {
		seterr(errbuf, errlen, "cannot put it in place (%s); %s",
		    strerror(err), unchanged(ao));
		atomic_out_abort(ao);
		return -1;
	}
	release(ao);
	return 0;
}

void
atomic_out_abort(struct atomic_out *ao)
{
	if (ao == NULL)
		return;
	/* With a helper, we may no longer have the right: it unlinks on EOF. */
	if (ao->helper == -1)
		(void)unlinkat(ao->dirfd, ao->tmp, 0);
	release(ao);
}
