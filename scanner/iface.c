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
#include <stdlib.h>
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
	snprintf(out->reason, sizeof(out->reason), "%s: named with -I", name);
	return 0;
}

bool
iface_is_docker(const char *name)
{
	return strcmp(name, "docker0") == 0 || strncmp(name, "br-", 3) == 0;
}

static bool
usable(const struct iface_cand *c)
{
	return c->up && !c->loopback && c->ether;
}

/* The index of c's address whose subnet holds ip, or -1. */
static int
holds(const struct iface_cand *c, uint32_t ip)
{
	for (unsigned i = 0; i < c->naddrs && i < IFACE_MAX_ADDRS; i++) {
		uint8_t p = c->prefix[i] > 32 ? 32 : c->prefix[i];
		uint32_t mask = p ? ~0u << (32 - p) : 0;
		if ((c->addr[i] & mask) == (ip & mask))
			return (int)i;
	}
	return -1;
}

static const struct iface_cand *
find(const struct iface_cand *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return &c[i];
	return NULL;
}

static char *
ipstr(char buf[16], uint32_t ip)
{
	struct in_addr a = { htonl(ip) };

	return (char *)inet_ntop(AF_INET, &a, buf, 16);
}

/* "; docker0, br-1 skipped (docker's: name one with -I)" when docker's
 * bridges were up with IPv4 and passed over. */
static void
note_docker(const struct iface_cand *c, size_t n, char *reason, size_t rlen)
{
	size_t len = strlen(reason), k = 0;

	for (size_t i = 0; i < n && len < rlen; i++) {
		if (!usable(&c[i]) || !c[i].is_bridge || c[i].naddrs == 0 ||
		    !iface_is_docker(c[i].name))
			continue;
		snprintf(reason + len, rlen - len, "%s%s", k++ ? ", " : "; ",
		    c[i].name);
		len = strlen(reason);
	}
	if (k > 0 && len < rlen)
		snprintf(reason + len, rlen - len, " skipped (docker's: name %s "
		    "with -I)", k == 1 ? "it" : "one");
}

int
iface_pick(const struct iface_cand *c, size_t n, const struct iface_hint *h,
    char *reason, size_t rlen, char *errbuf, size_t errlen)
{
	static const struct iface_hint none;
	const struct iface_cand *w;
	char a[16], b[16];
	int k;

	if (h == NULL)
		h = &none;
	if (h->want_only && h->nwants > 0) {
		const char *br = h->wants[0].bridge;
		if ((w = find(c, n, br)) == NULL) {
			snprintf(errbuf, errlen, "bridge %s (%s) does not exist "
			    "here; run arpsweep on the VM's host, or name the "
			    "interface with -I", br, h->wants[0].why);
			return -1;
		}
		if (!w->up) {
			snprintf(errbuf, errlen, "bridge %s (%s) is down; bring "
			    "it up with 'ip link set %s up', or name another "
			    "interface with -I", br, h->wants[0].why, br);
			return -1;
		}
		if (!usable(w)) {
			snprintf(errbuf, errlen, "interface %s (%s) is not "
			    "Ethernet; name the interface to sweep with -I", br,
			    h->wants[0].why);
			return -1;
		}
		snprintf(reason, rlen, "%s: %s", w->name, h->wants[0].why);
		return (int)(w - c);
	}
	if (h->have_target) {
		const struct iface_cand *best = NULL;
		int bi = -1;
		for (size_t i = 0; i < n; i++) {
			if (!usable(&c[i]) || (k = holds(&c[i], h->target)) < 0)
				continue;
			if (best == NULL || (c[i].is_bridge && !best->is_bridge)) {
				best = &c[i];
				bi = k;
			}
		}
		if (best != NULL) {
			uint8_t p = best->prefix[bi] > 32 ? 32 : best->prefix[bi];
			snprintf(reason, rlen, "%s: its subnet %s/%u holds the "
			    "first target %s", best->name, ipstr(a,
			    best->addr[bi] & (p ? ~0u << (32 - p) : 0)), p,
			    ipstr(b, h->target));
			return (int)(best - c);
		}
	}
	for (size_t i = 0; i < h->nwants; i++) {
		if ((w = find(c, n, h->wants[i].bridge)) == NULL || !usable(w) ||
		    (w->naddrs == 0 && !h->have_target))
			continue;
		snprintf(reason, rlen, "%s: %s", w->name, h->wants[i].why);
		return (int)(w - c);
	}
	for (size_t i = 0; i < n; i++) {
		if (!usable(&c[i]) || !c[i].is_bridge || c[i].naddrs == 0 ||
		    iface_is_docker(c[i].name))
			continue;
		snprintf(reason, rlen, "%s: first bridge that is up with an "
		    "IPv4 address", c[i].name);
		note_docker(c, n, reason, rlen);
		return (int)i;
	}
	const struct iface_cand *eth = NULL;
	for (size_t i = 0; i < n && eth == NULL; i++)
		if (usable(&c[i]) && !c[i].is_bridge && c[i].naddrs > 0 &&
		    !iface_is_docker(c[i].name))
			eth = &c[i];
	if (h->have_target && eth != NULL) {
		snprintf(reason, rlen, "%s: first Ethernet interface that is up "
		    "with an IPv4 address (no bridge found)", eth->name);
		return (int)(eth - c);
	}
	if (h->have_target) {
		snprintf(errbuf, errlen, "no Ethernet interface is up with an "
		    "IPv4 address; name one with -I");
		return -1;
	}
	/* arp-scan's rule too: no targets and no -I is not a sweep of
	 * whatever eth0 leads to. */
	bool docker = false;
	for (size_t i = 0; i < n; i++)
		docker |= usable(&c[i]) && c[i].is_bridge && c[i].naddrs > 0 &&
		    iface_is_docker(c[i].name);
	snprintf(errbuf, errlen, "no bridge is up with an IPv4 address%s; name "
	    "the interface with -I (-I %s sweeps its subnet) or the targets "
	    "(e.g. 198.18.0.0/24)", docker ? " but docker's, which are never "
	    "chosen unasked" : "", eth != NULL ? eth->name : "IFACE");
	return -1;
}

static int
choose(const struct ifaddrs *ifap, const struct iface_hint *hint,
    struct iface *out, char *errbuf, size_t errlen)
{
	struct iface_cand *cands = NULL;
	size_t n = 0, cap = 0;
	struct link_info li;
	char reason[sizeof(out->reason)];
	int k;

	for (const struct ifaddrs *a = ifap; a != NULL; a = a->ifa_next) {
		if (a->ifa_addr == NULL || a->ifa_addr->sa_family != AF_PACKET ||
		    strlen(a->ifa_name) >= IF_NAMESIZE)
			continue;
		if (n == cap) {
			struct iface_cand *p = realloc(cands, (cap = cap ? 2 *
			    cap : 16) * sizeof(*p));
			if (p == NULL) {
				free(cands);
				snprintf(errbuf, errlen, "out of memory");
				return -1;
			}
			cands = p;
		}
		struct iface_cand *c = &cands[n++];
		describe(ifap, a->ifa_name, out, &li);
		memset(c, 0, sizeof(*c));
		memcpy(c->name, out->name, sizeof(c->name));
		c->up = (li.flags & IFF_UP) != 0;
		c->loopback = (li.flags & IFF_LOOPBACK) != 0;
		c->ether = li.hatype == ARPHRD_ETHER;
		c->is_bridge = out->is_bridge;
		c->naddrs = out->naddrs;
		memcpy(c->addr, out->addr, sizeof(c->addr));
		memcpy(c->prefix, out->prefix, sizeof(c->prefix));
	}
	k = iface_pick(cands, n, hint, reason, sizeof(reason), errbuf, errlen);
	if (k >= 0) {
		describe(ifap, cands[k].name, out, &li);
		memcpy(out->reason, reason, sizeof(out->reason));
	}
	free(cands);
	return k < 0 ? -1 : 0;
}

int
iface_get(const char *name, const struct iface_hint *hint, struct iface *out,
    char *errbuf, size_t errlen)
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
		r = choose(ifap, hint, out, errbuf, errlen);
	freeifaddrs(ifap);
	return r;
}
