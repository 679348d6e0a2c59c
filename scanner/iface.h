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
	char		reason[128];		/* why it was chosen */
};

/*
 * Describe `name`, or when name is NULL pick the first interface that is
 * up, not loopback, Ethernet (ARPHRD_ETHER) and has an IPv4 address,
 * preferring a bridge. Needs no privilege. Returns -1 with a one-line
 * message ("interface eth9 does not exist; list interfaces with 'ip link'")
 * on error.
 */
int iface_get(const char *name, struct iface *out, char *errbuf, size_t errlen);

#endif
