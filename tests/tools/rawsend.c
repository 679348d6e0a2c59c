/* rawsend: the benchmark's reference sender, a bare AF_PACKET sendmmsg() loop of ARP requests. */

/*
 * It sends what arpsweep sends (the same 42-byte broadcast request, only the
 * target IP changing) with nothing else around it: no pacing, no capture, no
 * bookkeeping, so its packets/s is the ceiling a sender can reach through the
 * same kernel path. --bypass adds PACKET_QDISC_BYPASS, a second reference
 * that arpsweep cannot use: frames that skip the qdisc layer are not looped
 * back to packet taps, and arpsweep's capture must see its own requests.
 *
 * Self-contained on purpose: it links nothing from the project.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64		/* frames per sendmmsg, as arpsweep */
#define FRAME_LEN	42
#define TPA_OFF		38
#define MAX_FRAMES	(1ull << 32)

struct opts {
	const char	*ifname;
	uint64_t	count;		/* frames to send */
	uint32_t	first;		/* first target IP, host order */
	uint32_t	ntargets;	/* targets cycle over first..first+n-1 */
	uint32_t	spa;
	bool		bypass;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: rawsend -i IFACE [-n FRAMES] [-t FIRST_IP/LEN] [-s SENDER_IP] [--bypass]\n"
	    "  -n FRAMES     frames to send (default 1000000)\n"
	    "  -t NET/LEN    targets, cycled in order (default 198.18.0.0/15)\n"
	    "  -s IP         sender IP in the requests (default 198.18.0.1)\n"
	    "  --bypass      set PACKET_QDISC_BYPASS (frames skip the qdisc and\n"
	    "                the packet taps)\n"
	    "Prints: sent N frames in S s: P pps (E ENOBUFS retries)\n");
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 10);
	return (errno != 0 || end == s || *end != '\0' || s[0] == '-') ? -1 : 0;
}

static int
parse_net(const char *s, uint32_t *first, uint32_t *n)
{
	char buf[32], *slash;
	struct in_addr a;
	uint64_t len = 32;

	if (strlen(s) >= sizeof(buf))
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (parse_u64(slash + 1, &len) == -1 || len < 8 || len > 32)
			return -1;
	}
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*n = (uint32_t)(1ull << (32 - len));
	*first = ntohl(a.s_addr) & ~(*n - 1);
	return 0;
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	struct in_addr a;

	o->count = 1000000;
	o->first = 0xc6120000u;		/* 198.18.0.0/15 */
	o->ntargets = 1u << 17;
	o->spa = 0xc6120001u;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(arg, "--bypass") == 0) {
			o->bypass = true;
			continue;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (val == NULL)
			goto bad;
		i++;
		if (strcmp(arg, "-i") == 0) {
			o->ifname = val;
		} else if (strcmp(arg, "-n") == 0) {
			if (parse_u64(val, &o->count) == -1 || o->count == 0 ||
			    o->count > MAX_FRAMES)
				goto bad;
		} else if (strcmp(arg, "-t") == 0) {
			if (parse_net(val, &o->first, &o->ntargets) == -1)
				goto bad;
		} else if (strcmp(arg, "-s") == 0) {
			if (inet_pton(AF_INET, val, &a) != 1)
				goto bad;
			o->spa = ntohl(a.s_addr);
		} else {
			goto bad;
		}
	}
	if (o->ifname == NULL)
		goto bad;
	return 0;
bad:
	usage(stderr);
	return -1;
}

/* An AF_PACKET socket bound to the interface with protocol 0: send-only. */
static int
open_socket(const struct opts *o, struct sockaddr_ll *sll, uint8_t mac[6])
{
	struct ifreq ifr;
	int fd, one = 1, sndbuf = 4 << 20;

	if (strlen(o->ifname) >= IFNAMSIZ) {
		fprintf(stderr, "rawsend: interface name too long\n");
		return -1;
	}
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd == -1) {
		fprintf(stderr, "rawsend: socket: %s (needs CAP_NET_RAW)\n",
		    strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, o->ifname, strlen(o->ifname) + 1);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == -1) {
		fprintf(stderr, "rawsend: interface %s: %s\n", o->ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	/* Same send buffer as arpsweep asks for. */
	(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	if (o->bypass && setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one,
	    sizeof(one)) == -1) {
		fprintf(stderr, "rawsend: PACKET_QDISC_BYPASS: %s\n",
		    strerror(errno));
		close(fd);
		return -1;
	}
	memset(sll, 0, sizeof(*sll));
	sll->sll_family = AF_PACKET;
	sll->sll_ifindex = (int)if_nametoindex(o->ifname);
	sll->sll_protocol = 0;		/* bound with 0: still receives nothing */
	if (sll->sll_ifindex == 0) {
		fprintf(stderr, "rawsend: interface %s does not exist\n",
		    o->ifname);
		close(fd);
		return -1;
	}
	/* Bound, the messages need no address: the fastest way to send. */
	if (bind(fd, (struct sockaddr *)sll, sizeof(*sll)) == -1) {
		fprintf(stderr, "rawsend: bind %s: %s\n", o->ifname,
		    strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void
build_request(uint8_t *f, const uint8_t mac[6], uint32_t spa)
{
	static const uint8_t head[] = {
		0x08, 0x06,			/* ethertype ARP */
		0x00, 0x01, 0x08, 0x00,		/* Ethernet, IPv4 */
		0x06, 0x04, 0x00, 0x01,		/* lengths, request */
	};

	memset(f, 0xff, 6);
	memcpy(f + 6, mac, 6);
	memcpy(f + 12, head, sizeof(head));
	memcpy(f + 22, mac, 6);
	put_be32(f + 28, spa);
	memset(f + 32, 0, 6);
	put_be32(f + TPA_OFF, 0);
}

int
main(int argc, char **argv)
{
	static uint8_t frames[BATCH][FRAME_LEN];
	static struct iovec iov[BATCH];
	static struct mmsghdr msgs[BATCH];
	struct sockaddr_ll sll;
	struct opts o = { 0 };
	uint8_t mac[6];
	uint64_t sent = 0, nobufs = 0, errors = 0, idx = 0;
	int64_t t0, t1;
	int fd;

	if (parse_args(argc, argv, &o) == -1)
		return 2;
	fd = open_socket(&o, &sll, mac);
	if (fd == -1)
		return 2;
	for (int i = 0; i < BATCH; i++) {
		build_request(frames[i], mac, o.spa);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = FRAME_LEN;
		msgs[i].msg_hdr.msg_iov = &iov[i];
		msgs[i].msg_hdr.msg_iovlen = 1;
	}

	t0 = now_ns();
	while (sent < o.count) {
		unsigned n = o.count - sent < BATCH ? (unsigned)(o.count - sent) :
		    BATCH, off = 0;

		for (unsigned i = 0; i < n; i++) {
			put_be32(frames[i] + TPA_OFF,
			    o.first + (uint32_t)(idx % o.ntargets));
			idx++;
		}
		while (off < n) {
			int r = sendmmsg(fd, &msgs[off], n - off, 0);

			if (r > 0) {
				off += (unsigned)r;
				continue;
			}
			if (r < 0 && errno == EINTR)
				continue;
			/* A full device queue: try the rest again at once,
			 * the tightest loop a sender can run. */
			if (r < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
				nobufs++;
				continue;
			}
			if (++errors > 1000) {
				fprintf(stderr, "rawsend: sendmmsg: %s\n",
				    strerror(errno));
				close(fd);
				return 1;
			}
			off++;
		}
		sent += n;
	}
	t1 = now_ns();
	close(fd);

	double s = (double)(t1 - t0) / 1e9;
	printf("sent %" PRIu64 " frames in %.6f s: %.0f pps (%" PRIu64
	    " ENOBUFS retries, %" PRIu64 " errors)\n", sent - errors, s,
	    s > 0 ? (double)(sent - errors) / s : 0.0, nobufs, errors);
	return 0;
}
