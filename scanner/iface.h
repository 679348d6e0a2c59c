/* iface: which interface to sweep from, with its MAC and IPv4 subnets. */
#ifndef ARPSWEEP_IFACE_H
#define ARPSWEEP_IFACE_H

#include <stdbool.h>
#include <stdint.h>
#include <net/if.h>

#define IFACE_MAX_ADDRS 16

struct iface {
	char		name[IF_NAMESIZE];
	int		ifindex;
	uint8_t		mac[6];
	bool		is_bridge;
	unsigned	naddrs;
	uint32_t	addr[IFACE_MAX_ADDRS];	/* host byte order */
	uint8_t		prefix[IFACE_MAX_ADDRS];
	char		reason[256];		/* why it was chosen */
};

/* What the automatic choice looks at of each interface. */
struct iface_cand {
	char		name[IF_NAMESIZE];
	bool		up, loopback;
	bool		ether;			/* ARPHRD_ETHER */
	bool		is_bridge;		/* a Linux bridge */
	unsigned	naddrs;
	uint32_t	addr[IFACE_MAX_ADDRS];	/* host byte order */
	uint8_t		prefix[IFACE_MAX_ADDRS];
};

/* A bridge the inventory points at: the one a VM is attached to, or the
 * one the running domains are. */
struct iface_want {
	const char	*bridge;
	const char	*why;			/* "bridge of running domains
						   test, web" */
};

/* What the choice knows besides the interfaces; all optional. */
struct iface_hint {
	const struct iface_want *wants;		/* best first */
	size_t		nwants;
	bool		want_only;		/* --vm: wants[0] or refuse */
	bool		have_target;		/* targets were named ... */
	uint32_t	target;			/* ... this the lowest */
};

/*
 * The automatic choice, pure: which of cands[0..n) to sweep from when no
 * -I names one. In order: with want_only, wants[0] (it must be up);
 * with targets, an interface whose subnet holds the lowest target (a
 * bridge first); a wanted bridge (up, with IPv4 unless targets were
 * named); the first bridge up with IPv4; with targets only, the first
 * Ethernet interface up with IPv4. Docker's bridges (docker0, br-*) are
 * chosen only for a subnet holding the targets or when wanted: a sweep
 * of a container network is never what "no arguments" meant. Without
 * targets and without a bridge it refuses, naming -I and targets, rather
 * than sweep the LAN behind eth0 unasked. Returns the index with reason
 * ("virbr0: bridge of running domains test, web"), or -1 with a one-line
 * message in errbuf.
 */
int iface_pick(const struct iface_cand *cands, size_t n,
    const struct iface_hint *hint, char *reason, size_t rlen, char *errbuf,
    size_t errlen);

/* Whether name is one docker makes (docker0, br-<network id>). */
bool iface_is_docker(const char *name);

/*
 * Describe `name`, or when name is NULL pick one with iface_pick() among
 * every interface this namespace has (hint may be NULL). Needs no
 * privilege; call it before the privilege drop all the same (the bridge
 * test may read /sys). Returns -1 with a one-line message ("interface
 * eth9 does not exist; list interfaces with 'ip link'") on error.
 */
int iface_get(const char *name, const struct iface_hint *hint,
    struct iface *out, char *errbuf, size_t errlen);

#endif
