/* privs: once the raw handles are open, give up root and all capabilities. */
#include "privs.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <sched.h>
#include <seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

/* A decimal id from the environment; 0 (unset, bad, or root) means none. */
static unsigned long
env_id(const char *var)
{
	const char *v = getenv(var);
	unsigned long id;
	char *end;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	id = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || id >= (unsigned long)UINT_MAX)
		return 0;
	return id;
}

static int
target_ids(uid_t *uid, gid_t *gid, char *errbuf, size_t errlen)
{
	unsigned long su = env_id("SUDO_UID"), sg = env_id("SUDO_GID");
	const struct passwd *pw;

	if (su != 0) {
		*uid = (uid_t)su;
		if (sg != 0) {
			*gid = (gid_t)sg;
			return 0;
		}
		pw = getpwuid(*uid);
		if (pw != NULL && pw->pw_gid != 0) {
			*gid = pw->pw_gid;
			return 0;
		}
	}
	pw = getpwnam("nobody");
	if (pw == NULL || pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(errbuf, errlen, "cannot drop root: no SUDO_UID and no "
		    "usable user 'nobody'");
		return -1;
	}
	if (su == 0)
		*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Whether any capability or root id is held: then the bounding set must go. */
static bool
privileged(void)
{
	uid_t r, e, s;
	cap_t caps = cap_get_proc();
	cap_t none = cap_init();
	bool any = caps == NULL || none == NULL || cap_compare(caps, none) != 0;

	cap_free(caps);
	cap_free(none);
	if (getresuid(&r, &e, &s) == -1 || r == 0 || e == 0 || s == 0)
		any = true;
	return any;
}

/*
 * Empty the bounding set, which needs CAP_SETPCAP. A process that holds no
 * capability and no root id may keep a full one: with no_new_privs set no
 * execve() can raise its capabilities anyway (and seccomp forbids execve).
 */
static int
drop_bounding(char *errbuf, size_t errlen)
{
	bool must = privileged();

	/* The kernel may know more capabilities than our headers. */
	for (int c = 0; c < 64; c++) {
		int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
		if (r == -1)
			break;			/* EINVAL: past the last one */
		if (r == 0 || prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == 0)
			continue;
		if (!must)
			return 0;
		snprintf(errbuf, errlen, "cannot empty the capability bounding "
		    "set: %s; run arpsweep as root (sudo) or grant it with "
		    "'" PRIVS_SETCAP " arpsweep'", errno == EPERM ?
		    "CAP_SETPCAP is missing" : strerror(errno));
		return -1;
	}
	return 0;
}

static int
switch_user(char *errbuf, size_t errlen)
{
	uid_t uid;
	gid_t gid;

	if (target_ids(&uid, &gid, errbuf, errlen) == -1)
		return -1;
	if (setgroups(1, &gid) == -1) {
		snprintf(errbuf, errlen, "cannot drop root: setgroups: %s",
		    strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		snprintf(errbuf, errlen, "cannot drop root: setresgid(%u): %s",
		    (unsigned)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		snprintf(errbuf, errlen, "cannot drop root: setresuid(%u): %s",
		    (unsigned)uid, strerror(errno));
		return -1;
	}
	if (setuid(0) != -1 || geteuid() == 0) {
		snprintf(errbuf, errlen, "cannot drop root: still able to "
		    "become root after setresuid(%u)", (unsigned)uid);
		return -1;
	}
	return 0;
}

int
privs_drop(char *errbuf, size_t errlen)
{
	cap_t caps;
	int r;

	/* Nothing we exec (we exec nothing) may regain privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(errbuf, errlen, "cannot set no_new_privs: %s",
		    strerror(errno));
		return -1;
	}
	if (drop_bounding(errbuf, errlen) == -1)
		return -1;
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if ((getuid() == 0 || geteuid() == 0) &&
	    switch_user(errbuf, errlen) == -1)
		return -1;

	caps = cap_init();
	if (caps == NULL) {
		snprintf(errbuf, errlen, "cannot drop capabilities: %s",
		    strerror(errno));
		return -1;
	}
	r = cap_clear(caps) == 0 ? cap_set_proc(caps) : -1;
	if (r == -1)
		snprintf(errbuf, errlen, "cannot drop capabilities: %s",
		    strerror(errno));
	cap_free(caps);
	return r;
}

int
privs_sudo_ids(uid_t *uid, gid_t *gid)
{
	char errbuf[128];

	if ((getuid() != 0 && geteuid() != 0) || env_id("SUDO_UID") == 0)
		return 0;
	return target_ids(uid, gid, errbuf, sizeof(errbuf)) == 0;
}

int
privs_have_net_raw(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps == NULL)
		return 0;
	if (cap_get_flag(caps, CAP_NET_RAW, CAP_EFFECTIVE, &v) == -1)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}

/*
 * seccomp. The filters are allow-lists: a call not listed, or listed with
 * arguments outside its rule, raises SIGSYS. Rules that look at arguments
 * close the ways around a rule: no PROT_EXEC mapping (no new code), no
 * writable open (only files opened before the drop are written), no dup
 * (the capture socket keeps the one number the write rules know), clone
 * only for threads.
 */

/* Sanitizer runtimes make calls the program never does (LeakSanitizer
 * stops the world with ptrace from a clone at exit): tests run the filter
 * that ships, plus these. */
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define PRIVS_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define PRIVS_SANITIZER 1
#endif
#endif
#ifndef PRIVS_SANITIZER
#define PRIVS_SANITIZER 0
#endif

static const char *const stage_name[] = { "sweep", "report" };
static volatile sig_atomic_t stage_now = -1;
static bool guarded;		/* main thread only */

/* Async-signal-safe: the decimal digits of v at the end of buf. */
static char *
put_dec(char *end, unsigned long v)
{
	do
		*--end = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return end;
}

/*
 * A blocked call is a bug (a path the allow-list missed) or an attack: say
 * which call, then die by SIGSYS as the kernel would have killed us (the
 * handler was reset on entry and SIGSYS is not blocked in it).
 */
static void
on_sigsys(int sig, siginfo_t *si, void *uc)
{
	char msg[200], num[24];
	char *n = put_dec(num + sizeof(num), (unsigned long)si->si_syscall);
	size_t len = 0;
	const char *parts[] = { "arpsweep: seccomp (", stage_name[stage_now],
	    " stage) stopped system call ", NULL, "; this is a bug, please "
	    "report it (ARPSWEEP_SECCOMP=off, as root, runs without the "
	    "filter)\n" };

	(void)uc;
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *p = parts[i];
		size_t pl;
		if (p == NULL) {
			p = n;
			pl = (size_t)(num + sizeof(num) - n);
		} else
			pl = strlen(p);
		if (pl > sizeof(msg) - len)
			pl = sizeof(msg) - len;
		memcpy(msg + len, p, pl);
		len += pl;
	}
	(void)!write(2, msg, len);
	raise(sig);
}

struct rule {
	int		nr;
	int		argc;
	struct scmp_arg_cmp arg;
};

/* libseccomp's SCMP_An() leave datum_b to a missing initializer. */
#define ARG_EQ(n, v)	((struct scmp_arg_cmp){ (n), SCMP_CMP_EQ, \
			    (scmp_datum_t)(v), 0 })
#define ARG_NE(n, v)	((struct scmp_arg_cmp){ (n), SCMP_CMP_NE, \
			    (scmp_datum_t)(v), 0 })
#define ARG_MASKED(n, mask, v) ((struct scmp_arg_cmp){ (n), \
			    SCMP_CMP_MASKED_EQ, (scmp_datum_t)(mask), \
			    (scmp_datum_t)(v) })
#define ANY(name)		{ SCMP_SYS(name), 0, { 0 } }
#define IF(name, cmp)		{ SCMP_SYS(name), 1, cmp }

/* Both stages: receive, account, report, finish threads, exit. */
static const struct rule common[] = {
	ANY(read), ANY(readv), ANY(pread64), ANY(preadv), ANY(lseek),
	ANY(close), ANY(fstat), ANY(newfstatat), ANY(statx),
	ANY(poll), ANY(ppoll), ANY(getsockopt), ANY(recvfrom), ANY(recvmsg),
	/* pcap_close() takes the ring down with setsockopt(SOL_PACKET). */
	IF(setsockopt, ARG_EQ(1, SOL_PACKET)),
	IF(fcntl, ARG_EQ(1, F_GETFL)),
	IF(fcntl, ARG_EQ(1, F_SETFL)),
	IF(fcntl, ARG_EQ(1, F_GETFD)),
	IF(fcntl, ARG_EQ(1, F_SETFD)),
	IF(ioctl, ARG_EQ(1, TCGETS)),	/* isatty() */
	/* Read-only opens: the vendor registry, nothing new to write. */
	IF(openat, ARG_MASKED(2, O_ACCMODE | O_CREAT | O_TRUNC |
	    O_APPEND, 0)),
	/* Completing the -w recording. */
	ANY(fsync), ANY(fdatasync), ANY(fchmod), ANY(fchown),
	ANY(rename), ANY(renameat), ANY(renameat2), ANY(unlink),
	ANY(unlinkat),
	ANY(brk), ANY(munmap), ANY(mremap), ANY(madvise),
	IF(mmap, ARG_MASKED(2, PROT_EXEC, 0)),
	IF(mprotect, ARG_MASKED(2, PROT_EXEC, 0)),
	ANY(futex), ANY(set_robust_list), ANY(rseq), ANY(sched_yield), ANY(sysinfo),
	/* libpcap checks the kernel version when it sets a poll timeout. */
	ANY(uname),
	IF(clone, ARG_MASKED(0, CLONE_THREAD, CLONE_THREAD)),
	ANY(exit), ANY(exit_group),
	ANY(rt_sigprocmask), ANY(rt_sigreturn), ANY(rt_sigtimedwait),
	ANY(rt_sigaction), ANY(sigaltstack),
	ANY(nanosleep), ANY(clock_nanosleep), ANY(clock_gettime),
	ANY(clock_getres), ANY(gettimeofday),
	ANY(getpid), ANY(gettid), ANY(getuid), ANY(geteuid), ANY(getgid),
	ANY(getegid),
	ANY(write), ANY(writev), ANY(pwrite64), ANY(pwritev),
	/*
	 * The -w rename helper (capture/atomic_out.c): a send(MSG_NOSIGNAL) of
	 * one byte on its AF_UNIX socket, and waitpid. No raw frame can go
	 * that way: the guard keeps sendto off the capture socket, and the
	 * only other packet socket, the sender's, may sendmmsg anyway while it
	 * exists.
	 */
	IF(sendto, ARG_EQ(3, MSG_NOSIGNAL)), ANY(wait4),
	/* json-c seeds its hash tables when it reads a --baseline. */
	ANY(getrandom),
};

#if PRIVS_SANITIZER
static const struct rule sanitizer[] = {
	IF(clone, ARG_MASKED(0, CLONE_THREAD, 0)),
	ANY(ptrace), ANY(prctl), ANY(waitid), ANY(getdents), ANY(getdents64),
	ANY(getppid), ANY(sched_getaffinity), ANY(getrlimit), ANY(prlimit64),
	ANY(readlink), ANY(readlinkat), ANY(open), ANY(msync), ANY(mincore),
	ANY(process_vm_readv), ANY(kill), ANY(tgkill), ANY(tkill),
	ANY(getrusage), ANY(times), ANY(pipe2), ANY(dup2), ANY(dup3),
};
#endif

static int
add_rules(scmp_filter_ctx ctx, const struct rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r[i].nr,
		    (unsigned)r[i].argc, r[i].argc ? &r[i].arg : NULL) != 0)
			return -1;
	return 0;
}

/*
 * A filter of its own (default allow) for the one exception to the
 * allow-list's write rules: nothing written to the capture socket, where it
 * would go on the wire. The kernel reads an fd as 32 bits, so the rule
 * compares the low 32 only (a 64-bit "not equal" in the allow-list would
 * let a capture fd with garbage in the high half through), and libseccomp
 * can express "low 32 bits equal" but not "not equal".
 */
static int
guard_capture(const int *capture_fds, unsigned n)
{
	static const int nrs[] = { SCMP_SYS(write), SCMP_SYS(writev),
	    SCMP_SYS(pwrite64), SCMP_SYS(pwritev), SCMP_SYS(pwritev2),
	    SCMP_SYS(sendto), SCMP_SYS(sendmsg), SCMP_SYS(sendmmsg) };
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	int r = ctx == NULL ? -ENOMEM :
	    seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);

	/* One filter for every capture socket (a bridge has two): the
	 * count of filters, which the privs lab reads, does not grow. */
	for (unsigned k = 0; r == 0 && k < n; k++) {
		struct scmp_arg_cmp cap = ARG_MASKED(0, 0xffffffffu,
		    (unsigned)capture_fds[k]);
		for (size_t i = 0; r == 0 && i < sizeof(nrs) / sizeof(nrs[0]);
		    i++)
			r = seccomp_rule_add_array(ctx, SCMP_ACT_TRAP, nrs[i], 1,
			    &cap);
	}
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	return r;
}

static int
build(scmp_filter_ctx ctx, enum privs_stage stage, int sender_fd)
{
	/* Signals to ourselves: the sender's wake-up of main, abort(), and
	 * on_sigsys's own raise(). */
	struct scmp_arg_cmp self = ARG_EQ(0, (scmp_datum_t)getpid());

	if (add_rules(ctx, common, sizeof(common) / sizeof(common[0])) == -1 ||
	    seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(tgkill), 1,
	    &self) != 0)
		return -1;
	/* glibc tries clone3 first, whose flags sit behind a pointer no rule
	 * can read: make it fall back to clone. */
	if (seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3),
	    0) != 0)
		return -1;
	/* The sweep stage sends on the sender's socket, and must let the
	 * report stage be stacked on it (seccomp_load sets no_new_privs). */
	if (stage == PRIVS_SWEEP && (seccomp_rule_add(ctx, SCMP_ACT_ALLOW,
	    SCMP_SYS(sendmmsg), 1, ARG_EQ(0, (scmp_datum_t)sender_fd)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(seccomp), 1,
	    ARG_EQ(0, SECCOMP_SET_MODE_FILTER)) != 0 ||
	    seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(prctl), 1,
	    ARG_EQ(0, PR_SET_NO_NEW_PRIVS)) != 0))
		return -1;
#if PRIVS_SANITIZER
	if (add_rules(ctx, sanitizer,
	    sizeof(sanitizer) / sizeof(sanitizer[0])) == -1)
		return -1;
#endif
	return 0;
}

int
privs_confine(enum privs_stage stage, int capture_fd, int sender_fd,
    char *errbuf, size_t errlen)
{
	return privs_confine_fds(stage, &capture_fd, capture_fd >= 0 ? 1 : 0,
	    sender_fd, errbuf, errlen);
}

int
privs_confine_fds(enum privs_stage stage, const int *capture_fds,
    unsigned ncapture, int sender_fd, char *errbuf, size_t errlen)
{
	const char *off = secure_getenv("ARPSWEEP_SECCOMP");
	struct sigaction sa;
	scmp_filter_ctx ctx;
	int r;

	if (off != NULL && strcmp(off, "off") == 0)
		return 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_NODEFER;
	stage_now = (sig_atomic_t)stage;
	if (sigaction(SIGSYS, &sa, NULL) == -1) {
		snprintf(errbuf, errlen, "cannot install the seccomp filter: "
		    "sigaction: %s", strerror(errno));
		return -1;
	}
	if ((ctx = seccomp_init(SCMP_ACT_TRAP)) == NULL) {
		snprintf(errbuf, errlen, "cannot install the seccomp filter: "
		    "out of memory");
		return -1;
	}
	r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	if (r == 0 && build(ctx, stage, sender_fd) == -1)
		r = -EINVAL;
	/* Once: the guard stays for the later stage. */
	if (r == 0 && ncapture > 0 && !guarded &&
	    (r = guard_capture(capture_fds, ncapture)) == 0)
		guarded = true;
	if (r == 0)
		r = seccomp_load(ctx);
	seccomp_release(ctx);
	if (r != 0) {
		snprintf(errbuf, errlen, "cannot install the seccomp filter "
		    "(%s stage): %s; the kernel needs CONFIG_SECCOMP_FILTER "
		    "(ARPSWEEP_SECCOMP=off, as root, runs without it)",
		    stage_name[stage], strerror(-r));
		return -1;
	}
	return 0;
}
