/* privs: give up every privilege once the raw handles are open. */
#ifndef ARPSWEEP_PRIVS_H
#define ARPSWEEP_PRIVS_H

#include <stddef.h>

/*
 * Drop all capabilities (effective, permitted, inheritable, bounding where
 * allowed) and, when running as root, switch to an unprivileged user
 * (SUDO_UID/SUDO_GID when set, else "nobody") with setgroups, setgid,
 * setuid, each checked. Returns -1 with a message on failure: the caller
 * must then exit rather than parse packets with privileges.
 */
int privs_drop(char *errbuf, size_t errlen);

/* True when the process may open raw packet sockets (CAP_NET_RAW). */
int privs_have_net_raw(void);

#endif
