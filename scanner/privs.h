/* privs: give up every privilege once the raw handles are open, then confine
 * the process with seccomp to what receiving and reporting need. */
#ifndef ARPSWEEP_PRIVS_H
#define ARPSWEEP_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

/* The capability set a binary without root needs (setcap ...+ep): raw
 * sockets, and CAP_SETPCAP to empty the bounding set before giving both up. */
#define PRIVS_SETCAP	"setcap cap_net_raw,cap_setpcap+ep"

/*
 * Set no_new_privs; empty the capability bounding set (required whenever
 * the process holds any capability or any root id: that needs CAP_SETPCAP,
 * which root has and a setcap'd binary must be granted); clear the ambient
 * set; when running as root, switch to an unprivileged user (SUDO_UID and
 * SUDO_GID when set, else "nobody") with that user's primary group as the
 * only supplementary group; clear the effective, permitted and inheritable
 * sets. Returns -1 with a message on failure: the caller must then exit
 * rather than parse packets with privileges.
 */
int privs_drop(char *errbuf, size_t errlen);

/* Running as root under sudo: 1 with the invoking user's ids, the ones
 * privs_drop() switches to (files we create belong to them); else 0. */
int privs_sudo_ids(uid_t *uid, gid_t *gid);

/* True when the process may open raw packet sockets (CAP_NET_RAW). */
int privs_have_net_raw(void);

/*
 * The seccomp stages. Each is an allow-list for every thread of the process
 * (installed with TSYNC) and stacks on the ones before it, so a stage can
 * only take system calls away. Anything not allowed raises SIGSYS: one line
 * on stderr naming the call, then death by SIGSYS.
 *   PRIVS_SWEEP   after privs_drop() in a live sweep: receive, send with
 *                 sendmmsg() on sender_fd only, report; no socket(), bind(),
 *                 connect(), execve(), ptrace(), no writable open().
 *   PRIVS_REPORT  once the sender has ended (and at once in a replay): as
 *                 PRIVS_SWEEP but nothing can send: no sendto(), sendmsg(),
 *                 sendmmsg(), and no write() on capture_fd.
 * capture_fd and sender_fd are -1 when there is none. ARPSWEEP_SECCOMP=off
 * in the environment skips the filters (honoured only when the binary runs
 * without file capabilities, i.e. by root or a plain user: secure_getenv).
 */
enum privs_stage { PRIVS_SWEEP, PRIVS_REPORT };

int privs_confine(enum privs_stage stage, int capture_fd, int sender_fd,
    char *errbuf, size_t errlen);

/* The same for several capture sockets (a bridge's two: capture_fds());
 * every one of them is guarded against writes. */
int privs_confine_fds(enum privs_stage stage, const int *capture_fds,
    unsigned ncapture, int sender_fd, char *errbuf, size_t errlen);

#endif
