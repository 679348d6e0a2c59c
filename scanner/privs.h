/* privs: give up every privilege once the raw handles are open. */
#ifndef ARPSWEEP_PRIVS_H
#define ARPSWEEP_PRIVS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Drop all capabilities (effective, permitted, inheritable, bounding where
 * allowed) and, when running as root, switch to an unprivileged user
 * (SUDO_UID/SUDO_GID when set, else "nobody") with setgroups, setgid,
 * setuid, each checked. Returns -1 with a message on failure: the caller
 * must then exit rather than parse packets with privileges.
 */
int privs_drop(char *errbuf, size_t errlen);

/* Running as root under sudo: 1 with the invoking user's ids, the ones
 * privs_drop() switches to (files we create belong to them); else 0. */
int privs_sudo_ids(uid_t *uid, gid_t *gid);

/* True when the process may open raw packet sockets (CAP_NET_RAW). */
int privs_have_net_raw(void);

#endif
