/* iface: describe or pick the interface to sweep from (getifaddrs). */
#include "iface.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ifaddrs.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct link_info {
	bool		found;		/* an AF_PACKET entry exists */
	unsigned	flags;
	unsigned short	hatype;
};

/* An address label such as "eth0:1" belongs to interface "eth0". */
static bool
same_if(const char *label, const char *name)
{
	size_t n = strlen(name);

	return strncmp(label, name, n) == 0 &&
	    (label[n] == '\0' || label[n] == ':');
}

static uint8_t
mask_prefix(uint32_t mask)
{
	uint8_t p = 0;

	while (p < 32 && (mask & (0x80000000u >> p)))
		p++;
	return p;
}

/*
 * The bridge driver answers ETHTOOL_GDRVINFO with "bridge". Asked first
 * because /sys/class/net shows the namespace sysfs was mounted in, which is
 * not ours after a bare unshare(CLONE_NEWNET).
 */
static bool
is_bridge(const char *name)
{
	struct ethtool_drvinfo di;
	struct ifreq ifr;
	char path[64 + IF_NAMESIZE];
	struct stat sb;
	int fd, r = -1;

	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0) {
		memset(&ifr, 0, sizeof(ifr));
		memset(&di, 0, sizeof(di));
		memcpy(ifr.ifr_name, name, strlen(name));
		di.cmd = ETHTOOL_GDRVINFO;
		ifr.ifr_data = (char *)&di;
		r = ioctl(fd, SIOCETHTOOL, &ifr);
		close(fd);
	}
	if (r == 0) {
		di.driver[sizeof(di.driver) - 1] = '\0';
		return strcmp((const char *)di.driver, "bridge") == 0;
	}
	snprintf(path, sizeof(path), "/sys/class/net/%s/bridge", name);
	return stat(path, &sb) == 0;
}

/* Gather everything getifaddrs knows about one interface. */
static void
describe(const struct ifaddrs *ifap, const char *name, struct iface *out,
    struct link_info *li)
{
	memset(out, 0, sizeof(*out));
	memset(li, 0, sizeof(*li));
	memcpy(out->name, name, strlen(name));
	for (const struct ifaddrs *a = ifap; a != NULL; a = a->ifa_next) {
		if (a->ifa_addr == NULL || !same_if(a->ifa_name, name))
			continue;
		if (a->ifa_addr->sa_family == AF_PACKET &&
		    strcmp(a->ifa_name, name) == 0) {
			const struct sockaddr_ll *sll =
			    (const struct sockaddr_ll *)(const void *)a->ifa_addr;

			li->found = true;
			li->flags = a->ifa_flags;
			li->hatype = sll->sll_hatype;
			if (sll->sll_halen == 6)
				memcpy(out->mac, sll->sll_addr, 6);
		} else if (a->ifa_addr->sa_family == AF_INET &&
		    out->naddrs < IFACE_MAX_ADDRS) {
			const struct sockaddr_in *sin =
			    (const struct sockaddr_in *)(const void *)a->ifa_addr;
			const struct sockaddr_in *nm =
			    (const struct sockaddr_in *)(const void *)a->ifa_netmask;

			out->addr[out->naddrs] = ntohl(sin->sin_addr.s_addr);
			out->prefix[out->naddrs] = nm == NULL ? 32 :
			    mask_prefix(ntohl(nm->sin_addr.s_addr));
			out->naddrs++;
		}
	}
	out->ifindex = (int)if_nametoindex(name);
	out->is_bridge = li->found && is_bridge(name);
}

static int
get_named(const struct ifaddrs *ifap, const char *name, struct iface *out,
    char *errbuf, size_t errlen)
{
	struct link_info li;

	if (strlen(name) >= IF_NAMESIZE || strchr(name, ':') != NULL ||
	    if_nametoindex(name) == 0) {
		snprintf(errbuf, errlen, "interface %s does not exist; list "
		    "interfaces with 'ip link'", name);
		return -1;
	}
	describe(ifap, name, out, &li);
	if (!li.found) {
		/* getifaddrs lists no link entry for a link with no hardware
		 * address at all (tun, some tunnels): it exists, it is not
		 * Ethernet. */
		snprintf(errbuf, errlen, "interface %s has no hardware address, "
		    "so it is not Ethernet; arpsweep sweeps Ethernet segments",
		    name);
		return -1;
	}
	if (li.hatype != ARPHRD_ETHER) {
		snprintf(errbuf, errlen, "interface %s is not Ethernet (ARP type "
		    "%u); arpsweep sweeps Ethernet segments", name, li.hatype);
		return -1;
	}
	if (!(li.flags & IFF_UP)) {
		snprintf(errbuf, errlen, "interface %s is down; bring it up with "
		    "'ip link set %s up'", name, name);
		return -1;
	}
	snprintf(out->reason, sizeof(out->reason), "named with -I");
	return 0;
}

static int
choose(const struct ifaddrs *ifap, struct iface *out, char *errbuf,
    size_t errlen)
{
	bool have_any = false;
	struct iface cand, any;
	struct link_info li;

	memset(&any, 0, sizeof(any));
	for (const struct ifaddrs *a = ifap; a != NULL; a = a->ifa_next) {
		if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_PACKET)
			continue;
		if (!(a->ifa_flags & IFF_UP) || (a->ifa_flags & IFF_LOOPBACK) ||
		    strlen(a->ifa_name) >= IF_NAMESIZE)
			continue;
		describe(ifap, a->ifa_name, &cand, &li);
		if (li.hatype != ARPHRD_ETHER || cand.naddrs == 0)
			continue;
		if (cand.is_bridge) {
			*out = cand;
			snprintf(out->reason, sizeof(out->reason), "%s: first "
			    "bridge that is up with an IPv4 address", out->name);
			return 0;
		}
		if (!have_any) {
			any = cand;
			have_any = true;
		}
	}
	if (!have_any) {
		snprintf(errbuf, errlen, "no Ethernet interface is up with an "
		    "IPv4 address; name one with -I");
		return -1;
	}
	*out = any;
	snprintf(out->reason, sizeof(out->reason), "%s: first Ethernet "
	    "interface that is up with an IPv4 address (no bridge found)",
	    out->name);
	return 0;
}

int
iface_get(const char *name, struct iface *out, char *errbuf, size_t errlen)
{
	struct ifaddrs *ifap;
	int r;

	if (getifaddrs(&ifap) == -1) {
		snprintf(errbuf, errlen, "cannot list interfaces: %s",
		    strerror(errno));
		return -1;
	}
	if (name != NULL)
		r = get_named(ifap, name, out, errbuf, errlen);
	else
		r = choose(ifap, out, errbuf, errlen);
	freeifaddrs(ifap);
	return r;
}
