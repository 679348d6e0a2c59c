/* responder: a userspace ARP responder that plays misbehaving or numerous hosts in the test lab. */

/*
 * One AF_PACKET socket (ETH_P_ALL) on one interface; requests are read in
 * recvmmsg() batches and replies leave in sendmmsg() batches. Hosts are found
 * by IP through a hash table, so a range of a million hosts costs the same
 * per request as one. Delayed replies wait in a min-heap keyed by due time so
 * a slow host never blocks the loop. The replies copy what Linux's
 * arp_process() sends; see build_reply().
 *
 * With --flood it is also the attacker of the flood test: for a while, from
 * the same socket, it answers every request many times and fills the link
 * with forged and malformed ARP as fast as it can (see flood_run()).
 *
 * Self-contained on purpose: it links nothing from the project.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64		/* frames per recvmmsg/sendmmsg */
#define RXBUF		256		/* bytes kept per received frame */
#define MAX_FRAME	46		/* 42-byte reply + one 802.1Q tag */
#define MAX_HOSTS	(1u << 24)
#define MAX_COPIES	1000
#define MAX_DELAY_MS	600000u
#define MAX_PENDING	(1u << 22)	/* queued delayed replies */
#define RX_ROUNDS	32		/* recvmmsg batches before looking at the heap */
#define NO_VLAN		(-1)

enum probe_mode {
	PROBES_ANSWERED = 0,	/* like Linux: answer normal requests and probes */
	PROBES_ONLY,		/* answer only RFC 5227 probes (spa 0.0.0.0) */
	PROBES_IGNORED,		/* ignore probes, like old BSD and Windows NT */
};

struct host {
	uint32_t	ip;		/* host byte order */
	uint32_t	next;		/* next host in the same hash bucket */
	uint32_t	delay_ms;
	uint16_t	copies;		/* frames per reply */
	int16_t		vlan;		/* VID to answer on, or NO_VLAN */
	uint8_t		mac[6];		/* ARP sender hardware address */
	uint8_t		src[6];		/* Ethernet source of the reply */
	uint8_t		probes;		/* enum probe_mode */
};

struct pending {
	uint64_t	due_ns;
	uint16_t	len;
	uint16_t	copies;
	uint8_t		frame[MAX_FRAME];
};

struct stats {
	uint64_t	frames;		/* frames read */
	uint64_t	requests;	/* ARP requests seen (any target) */
	uint64_t	answered;	/* requests that matched a host */
	uint64_t	replies;	/* frames sent, copies included */
	uint64_t	send_errors;	/* frames the kernel refused */
	uint64_t	queue_full;	/* delayed replies dropped: heap full */
	uint64_t	over_capacity;	/* requests dropped by --capacity */
	uint64_t	first_req_ns;	/* first request that matched */
	uint64_t	last_reply_ns;	/* last reply sent */
};

static struct host *hosts;
static uint32_t nhosts, hosts_cap;
static uint32_t *buckets;
static uint32_t bucket_mask;

static struct pending *heap;
static uint32_t heap_len, heap_cap;

static uint8_t tx_frames[BATCH][MAX_FRAME];
static struct iovec tx_iov[BATCH];
static struct mmsghdr tx_msgs[BATCH];
static unsigned tx_len;

static int sock = -1;
static bool verbose;

/*
 * --capacity PPS: a receiver that takes PPS requests a second and drops a
 * share of them that grows steeply with the excess, as a queue that
 * overflows: min(CAP_MAX_DROP, CAP_STEEP * (rate / PPS - 1)), the rate
 * (any target) counted over the last CAP_SLOTS ms by the kernel's arrival
 * time of each frame, so the responder's own scheduling does not count.
 * The drops are spread evenly (error diffusion), never random.
 */
#define CAP_SLOTS	20
#define CAP_STEEP	10.0
#define CAP_MAX_DROP	0.95
static double capacity;			/* 0: no limit */
static uint32_t cap_count[CAP_SLOTS];	/* arrivals per ms slot */
static uint64_t cap_ms;			/* the newest slot's ms */
static double cap_debt;			/* drops owed, error diffusion */

/* True when the request that arrived at t (ns) is to be dropped. */
static bool
over_capacity(uint64_t t)
{
	uint64_t ms = t / 1000000u, n = 0;
	double rate, share;

	if (ms > cap_ms) {
		for (uint64_t k = cap_ms + 1; k <= ms && k <= cap_ms + CAP_SLOTS; k++)
			cap_count[k % CAP_SLOTS] = 0;
		cap_ms = ms;
	}
	if (ms + CAP_SLOTS > cap_ms)	/* not older than the window */
		cap_count[ms % CAP_SLOTS]++;
	for (unsigned k = 0; k < CAP_SLOTS; k++)
		n += cap_count[k];
	rate = (double)n * 1000.0 / CAP_SLOTS;
	share = CAP_STEEP * (rate / capacity - 1);
	if (share <= 0)
		return false;
	if (share > CAP_MAX_DROP)
		share = CAP_MAX_DROP;
	cap_debt += share;
	if (cap_debt < 1)
		return false;
	cap_debt -= 1;
	return true;
}
static struct stats st;
static volatile sig_atomic_t stop;

/* --flood: what to send, and what was sent. */
struct flood {
	uint64_t	duration_ns;
	uint64_t	rate;		/* frames/s; 0: as fast as the kernel takes them */
	uint64_t	seed;
	unsigned	copies;		/* answers per request seen */
	uint32_t	net, mask;	/* the swept subnet (host byte order) */
	uint32_t	wide_net, wide_mask;	/* "beyond": the /16 around it */
	uint8_t		src[6];		/* Ethernet source of every frame */
	uint8_t		to[6];		/* Ethernet destination, tha of fake answers */
	bool		on, wait, to_set;
	/* learnt from the requests seen */
	bool		know_scanner;
	uint8_t		scanner_mac[6];
	uint32_t	scanner_ip;	/* network byte order */
};

struct flood_stats {
	uint64_t	sent;		/* frames the kernel took */
	uint64_t	refused;	/* frames it would not take (queue full) */
	uint64_t	requests;	/* requests answered */
	uint64_t	answers;	/* their forged answers, copies included */
	uint64_t	replies;	/* forged replies, random sender */
	uint64_t	fake;		/* forged replies shaped as answers to the scanner */
	uint64_t	forged_req;	/* forged requests (some claiming the scanner's IP) */
	uint64_t	malformed;	/* short, bad hlen/plen, bad op */
	uint64_t	start_ns, end_ns;
};

static struct flood fl = { .copies = 16, .seed = 1 };
static struct flood_stats fst;
static bool flooding;		/* between the flood's start and its end */
static uint64_t rng_state;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: responder -i IFACE [--ready FILE] [--capacity PPS] [-v] [FLOOD...] HOSTSPEC...\n"
	    "       responder -i IFACE [--ready FILE] --flood SECONDS --flood-net CIDR [FLOOD...]\n"
	    "  --capacity PPS  above PPS requests/s (over 20 ms, by kernel arrival\n"
	    "               time) drop min(95%%, 10 x (rate/PPS - 1)) of them\n"
	    "HOSTSPEC:\n"
	    "  IP=MAC[,OPT...]                        one host\n"
	    "  range:FIRST_IP:COUNT[:STRIDE]=MACBASE[,OPT...]\n"
	    "                                         COUNT hosts at FIRST_IP + k*STRIDE\n"
	    "                                         with MAC MACBASE + k (STRIDE 1)\n"
	    "OPT:\n"
	    "  delay=MS     answer MS milliseconds after the request\n"
	    "  copies=N     send every reply N times back to back\n"
	    "  src=MAC      Ethernet source MAC instead of the ARP sender MAC\n"
	    "  vlan=ID      answer only requests tagged with VLAN ID, tag the reply\n"
	    "               (without it: answer only untagged or VID-0 requests)\n"
	    "  probe-only   answer only RFC 5227 probes (sender IP 0.0.0.0)\n"
	    "  no-probe     ignore RFC 5227 probes\n"
	    "FLOOD (the attacker of the flood test; HOSTSPECs are still played):\n"
	    "  --flood SECONDS     for SECONDS, answer every untagged request many\n"
	    "                      times and send forged and malformed ARP, then\n"
	    "                      print what was sent and go on answering HOSTSPECs\n"
	    "  --flood-net CIDR    the swept subnet; forged senders are drawn from it\n"
	    "                      and from the /16 around it\n"
	    "  --flood-wait        start at the first request seen, not at once\n"
	    "  --flood-rate PPS    frames per second (default: as fast as possible)\n"
	    "  --flood-copies N    answers per request seen (default 16)\n"
	    "  --flood-src MAC     Ethernet source of every flood frame (default: IFACE's)\n"
	    "  --flood-to MAC      Ethernet destination, and the target MAC of forged\n"
	    "                      answers (default: the sender of the last request seen,\n"
	    "                      broadcast before any)\n"
	    "  --flood-seed N      random generator seed (default 1)\n"
	    "Replies are unicast to the request's sender MAC, as Linux sends them.\n"
	    "SIGTERM/SIGINT: print counters on stderr and exit 0.\n");
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* "52:54:00:00:00:01" or with '-'; 1 or 2 hex digits per byte. */
static int
parse_mac(const char *s, size_t n, uint8_t mac[6])
{
	size_t i = 0;

	for (int b = 0; b < 6; b++) {
		unsigned v = 0, digits = 0;

		if (b > 0) {
			if (i >= n || (s[i] != ':' && s[i] != '-'))
				return -1;
			i++;
		}
		while (i < n && digits < 2) {
			char c = s[i];

			if (c >= '0' && c <= '9')
				v = v * 16 + (unsigned)(c - '0');
			else if (c >= 'a' && c <= 'f')
				v = v * 16 + (unsigned)(c - 'a' + 10);
			else if (c >= 'A' && c <= 'F')
				v = v * 16 + (unsigned)(c - 'A' + 10);
			else
				break;
			digits++;
			i++;
		}
		if (digits == 0)
			return -1;
		mac[b] = (uint8_t)v;
	}
	return i == n ? 0 : -1;
}

static int
parse_ip(const char *s, size_t n, uint32_t *ip)
{
	char buf[INET_ADDRSTRLEN];
	struct in_addr a;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}

/* A decimal number in [lo, hi] spanning exactly s[0..n). */
static int
parse_uint(const char *s, size_t n, unsigned long lo, unsigned long hi,
    unsigned long *out)
{
	unsigned long v = 0;

	if (n == 0 || n > 10)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void
mac_add(const uint8_t base[6], uint64_t k, uint8_t out[6])
{
	uint64_t v = 0;

	for (int i = 0; i < 6; i++)
		v = v << 8 | base[i];
	v += k;
	for (int i = 5; i >= 0; i--) {
		out[i] = (uint8_t)v;
		v >>= 8;
	}
}

/* The options after the MAC, applied to a template host. */
static int
parse_opts(const char *s, struct host *h, bool *has_src)
{
	while (*s != '\0') {
		const char *end = strchr(s, ',');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		unsigned long v;

		if (n > 6 && strncmp(s, "delay=", 6) == 0) {
			if (parse_uint(s + 6, n - 6, 0, MAX_DELAY_MS, &v) < 0)
				return -1;
			h->delay_ms = (uint32_t)v;
		} else if (n > 7 && strncmp(s, "copies=", 7) == 0) {
			if (parse_uint(s + 7, n - 7, 1, MAX_COPIES, &v) < 0)
				return -1;
			h->copies = (uint16_t)v;
		} else if (n > 4 && strncmp(s, "src=", 4) == 0) {
			if (parse_mac(s + 4, n - 4, h->src) < 0)
				return -1;
			*has_src = true;
		} else if (n > 5 && strncmp(s, "vlan=", 5) == 0) {
			if (parse_uint(s + 5, n - 5, 1, 4094, &v) < 0)
				return -1;
			h->vlan = (int16_t)v;
		} else if (n == 10 && strncmp(s, "probe-only", 10) == 0) {
			h->probes = PROBES_ONLY;
		} else if (n == 8 && strncmp(s, "no-probe", 8) == 0) {
			h->probes = PROBES_IGNORED;
		} else {
			return -1;
		}
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

static int
add_host(const struct host *h)
{
	if (nhosts >= MAX_HOSTS)
		return -1;
	if (nhosts == hosts_cap) {
		uint32_t cap = hosts_cap ? hosts_cap * 2 : 64;
		struct host *p = realloc(hosts, (size_t)cap * sizeof(*p));

		if (p == NULL)
			return -1;
		hosts = p;
		hosts_cap = cap;
	}
	hosts[nhosts++] = *h;
	return 0;
}

/* Parse one HOSTSPEC into hosts[]; -1 on a syntax error. */
static int
parse_spec(const char *spec)
{
	const char *eq = strchr(spec, '=');
	const char *comma, *macs;
	struct host h = { .copies = 1, .vlan = NO_VLAN };
	bool has_src = false, range = false;
	uint32_t first;
	unsigned long count = 1, stride = 1;
	size_t maclen;

	if (eq == NULL)
		return -1;
	if (strncmp(spec, "range:", 6) == 0) {
		const char *f = spec + 6;
		const char *c1 = memchr(f, ':', (size_t)(eq - f));
		const char *c2;

		range = true;
		if (c1 == NULL || parse_ip(f, (size_t)(c1 - f), &first) < 0)
			return -1;
		c2 = memchr(c1 + 1, ':', (size_t)(eq - c1 - 1));
		if (parse_uint(c1 + 1, (size_t)((c2 ? c2 : eq) - c1 - 1), 1,
		    MAX_HOSTS, &count) < 0)
			return -1;
		if (c2 != NULL && parse_uint(c2 + 1, (size_t)(eq - c2 - 1), 1,
		    UINT32_MAX, &stride) < 0)
			return -1;
		/* The last host must still be a valid IPv4 address. */
		if ((uint64_t)first + (uint64_t)(count - 1) * stride > UINT32_MAX)
			return -1;
	} else if (parse_ip(spec, (size_t)(eq - spec), &first) < 0) {
		return -1;
	}
	macs = eq + 1;
	comma = strchr(macs, ',');
	maclen = comma ? (size_t)(comma - macs) : strlen(macs);
	if (parse_mac(macs, maclen, h.mac) < 0)
		return -1;
	if (comma != NULL && parse_opts(comma + 1, &h, &has_src) < 0)
		return -1;
	if (!range)
		count = 1;
	for (unsigned long k = 0; k < count; k++) {
		struct host e = h;

		e.ip = first + (uint32_t)(k * stride);
		mac_add(h.mac, k, e.mac);
		if (!has_src)
			memcpy(e.src, e.mac, 6);
		if (add_host(&e) < 0)
			return -1;
	}
	return 0;
}

static uint32_t
hash_ip(uint32_t ip)
{
	/* Fibonacci hashing: neighbouring IPs land far apart. */
	return (uint32_t)(ip * 0x9e3779b1u);
}

static int
build_index(void)
{
	uint32_t nb = 1;

	while (nb < 2 * nhosts)
		nb <<= 1;
	buckets = malloc((size_t)nb * sizeof(*buckets));
	if (buckets == NULL)
		return -1;
	memset(buckets, 0xff, (size_t)nb * sizeof(*buckets));
	bucket_mask = nb - 1;
	/* Insert in reverse so each chain keeps command-line order. */
	for (uint32_t i = nhosts; i-- > 0;) {
		uint32_t b = hash_ip(hosts[i].ip) & bucket_mask;

		hosts[i].next = buckets[b];
		buckets[b] = i;
	}
	return 0;
}

static void
flush_tx(void)
{
	unsigned done = 0;
	int tries = 0;

	while (done < tx_len) {
		int n = sendmmsg(sock, tx_msgs + done, tx_len - done, 0);

		if (n > 0) {
			done += (unsigned)n;
			st.replies += (uint64_t)n;
			if (flooding)
				fst.sent += (uint64_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		/* The queue is full for a moment: wait a little, then give up
		 * on this frame rather than stall every other host. A flood
		 * does not wait: what the kernel refuses is only counted. */
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN) && flooding) {
			fst.refused++;
			done++;
			continue;
		}
		if (n < 0 && (errno == ENOBUFS || errno == EAGAIN) && tries++ < 50) {
			struct pollfd p = { .fd = sock, .events = POLLOUT };

			poll(&p, 1, 1);
			continue;
		}
		if (st.send_errors == 0)
			fprintf(stderr, "responder: send: %s\n", strerror(errno));
		st.send_errors++;
		done++;
		tries = 0;
	}
	if (tx_len > 0)
		st.last_reply_ns = now_ns();
	tx_len = 0;
}

static void
queue_tx(const uint8_t *frame, uint16_t len, unsigned copies)
{
	for (unsigned c = 0; c < copies; c++) {
		if (tx_len == BATCH)
			flush_tx();
		memcpy(tx_frames[tx_len], frame, len);
		tx_iov[tx_len].iov_len = len;
		tx_len++;
	}
}

static void
heap_push(const struct pending *p)
{
	uint32_t i;

	if (heap_len == heap_cap) {
		uint32_t cap = heap_cap ? heap_cap * 2 : 1024;
		struct pending *n;

		if (heap_cap >= MAX_PENDING ||
		    (n = realloc(heap, (size_t)cap * sizeof(*n))) == NULL) {
			st.queue_full++;
			return;
		}
		heap = n;
		heap_cap = cap;
	}
	i = heap_len++;
	while (i > 0 && heap[(i - 1) / 2].due_ns > p->due_ns) {
		heap[i] = heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	heap[i] = *p;
}

static void
heap_pop(void)
{
	struct pending last = heap[--heap_len];
	uint32_t i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;

		if (c >= heap_len)
			break;
		if (c + 1 < heap_len && heap[c + 1].due_ns < heap[c].due_ns)
			c++;
		if (heap[c].due_ns >= last.due_ns)
			break;
		heap[i] = heap[c];
		i = c;
	}
	if (heap_len > 0)
		heap[i] = last;
}

static void
release_due(uint64_t now)
{
	while (heap_len > 0 && heap[0].due_ns <= now) {
		queue_tx(heap[0].frame, heap[0].len, heap[0].copies);
		heap_pop();
	}
	flush_tx();
}

/*
 * What Linux arp_process() sends back: arp_send_dst(ARPOP_REPLY, sip, tip,
 * dest_hw = sha, src_hw = dev_addr, target_hw = sha). So the frame goes
 * unicast to the ARP sha (not the Ethernet source), tha = sha, tpa = spa,
 * which is 0.0.0.0 for an RFC 5227 probe.
 */
static uint16_t
build_reply(const struct host *h, const uint8_t *req_arp, uint8_t *f)
{
	size_t o = 12;
	uint32_t spa = htonl(h->ip);

	memcpy(f, req_arp + 8, 6);
	memcpy(f + 6, h->src, 6);
	if (h->vlan != NO_VLAN) {
		f[o++] = 0x81;
		f[o++] = 0x00;
		f[o++] = (uint8_t)((unsigned)h->vlan >> 8);
		f[o++] = (uint8_t)h->vlan;
	}
	f[o++] = 0x08;
	f[o++] = 0x06;
	f[o++] = 0x00;			/* htype Ethernet */
	f[o++] = 0x01;
	f[o++] = 0x08;			/* ptype IPv4 */
	f[o++] = 0x00;
	f[o++] = 6;
	f[o++] = 4;
	f[o++] = 0x00;			/* op reply */
	f[o++] = 0x02;
	memcpy(f + o, h->mac, 6);
	memcpy(f + o + 6, &spa, 4);
	memcpy(f + o + 10, req_arp + 8, 6);	/* tha = request sha */
	memcpy(f + o + 16, req_arp + 14, 4);	/* tpa = request spa */
	return (uint16_t)(o + 20);
}

static void
log_reply(const struct host *h, const uint8_t *arp, int vlan)
{
	char sp[INET_ADDRSTRLEN], tp[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, arp + 14, sp, sizeof(sp));
	inet_ntop(AF_INET, arp + 24, tp, sizeof(tp));
	fprintf(stderr, "responder: who-has %s tell %s (%02x:%02x:%02x:%02x:%02x:%02x"
	    " vlan %d) -> %02x:%02x:%02x:%02x:%02x:%02x delay %" PRIu32 " ms x%u\n",
	    tp, sp, arp[8], arp[9], arp[10], arp[11], arp[12], arp[13], vlan,
	    h->mac[0], h->mac[1], h->mac[2], h->mac[3], h->mac[4], h->mac[5],
	    h->delay_ms, (unsigned)h->copies);
}

/* splitmix64: the flood's random numbers, and a fixed forged MAC per IP. */
static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static uint64_t
rng(void)
{
	rng_state += 0x9e3779b97f4a7c15u;
	return mix64(rng_state);
}

/* A unicast MAC from 48 bits of v. */
static void
mac_from(uint64_t v, uint8_t mac[6])
{
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)(v >> (8 * i));
	mac[0] &= 0xfe;
}

/* In network byte order: a random address of the swept subnet, or of the
 * /16 around it. */
static uint32_t
flood_ip(bool wide, uint64_t r)
{
	uint32_t net = wide ? fl.wide_net : fl.net, mask = wide ? fl.wide_mask : fl.mask;

	return htonl(net | ((uint32_t)r & ~mask));
}

static const uint8_t *
flood_dst(void)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

	if (fl.to_set)
		return fl.to;
	return fl.know_scanner ? fl.scanner_mac : bcast;
}

/* A 42-byte Ethernet ARP frame with every field given; returns its length. */
static uint16_t
arp_frame(uint8_t *f, const uint8_t dst[6], uint16_t op, const uint8_t sha[6],
    uint32_t spa, const uint8_t tha[6], uint32_t tpa)
{
	static const uint8_t hdr[8] = { 0x00, 0x01, 0x08, 0x00, 6, 4, 0, 0 };

	memcpy(f, dst, 6);
	memcpy(f + 6, fl.src, 6);
	f[12] = 0x08;
	f[13] = 0x06;
	memcpy(f + 14, hdr, 8);
	f[20] = (uint8_t)(op >> 8);
	f[21] = (uint8_t)op;
	memcpy(f + 22, sha, 6);
	memcpy(f + 28, &spa, 4);
	memcpy(f + 32, tha, 6);
	memcpy(f + 38, &tpa, 4);
	return 42;
}

/*
 * A request seen while flooding: answer it fl.copies times as its target,
 * under one forged MAC per IP (the same IP/MAC answering every round many
 * times is what a twin looks like), as Linux would address the reply.
 */
static void
flood_answer(const uint8_t *arp)
{
	uint8_t f[MAX_FRAME], sha[6];
	uint32_t tpa, spa;

	memcpy(&tpa, arp + 24, 4);
	memcpy(&spa, arp + 14, 4);
	mac_from(mix64(fl.seed ^ ntohl(tpa)), sha);
	arp_frame(f, arp + 8, 2, sha, tpa, arp + 8, spa);
	queue_tx(f, 42, fl.copies);
	fst.requests++;
	fst.answers += fl.copies;
}

/*
 * One forged frame, the kind chosen by position in a cycle of 16: 6 replies
 * from random senders in the swept subnet (some claim the real hosts' IPs),
 * 3 from the /16 around it, 3 shaped as answers to the scanner's requests
 * (tha = scanner, spa = a target), 2 requests from random senders (one of
 * them claiming the scanner's IP once it is known), 2 malformed.
 */
/* Every untagged request: learn the scanner from it, start a --flood-wait
 * flood, answer it while the flood lasts. */
static void
flood_request(const uint8_t *arp, uint32_t spa, uint64_t now)
{
	if (spa != 0) {
		memcpy(fl.scanner_mac, arp + 8, 6);
		fl.scanner_ip = spa;
		fl.know_scanner = true;
	}
	if (fst.start_ns == 0 && fl.wait) {
		fst.start_ns = now;
		flooding = true;
	}
	if (flooding)
		flood_answer(arp);
}

static void
flood_frame(unsigned k)
{
	uint8_t f[MAX_FRAME], sha[6], tha[6];
	const uint8_t *dst = flood_dst();
	uint64_t r = rng();
	uint16_t len;

	mac_from(r, sha);
	mac_from(rng(), tha);
	switch (k % 16) {
	default:			/* 0..5: random sender in the subnet */
		len = arp_frame(f, dst, 2, sha, flood_ip(false, r >> 48), tha,
		    flood_ip(false, rng()));
		fst.replies++;
		break;
	case 6: case 7: case 8:		/* random sender beyond it */
		len = arp_frame(f, dst, 2, sha, flood_ip(true, r >> 32), tha,
		    flood_ip(true, rng()));
		fst.replies++;
		break;
	case 9: case 10: case 11:	/* a fake answer to the scanner */
		len = arp_frame(f, dst, 2, sha, flood_ip(false, r >> 48),
		    fl.to_set ? fl.to : fl.know_scanner ? fl.scanner_mac : tha,
		    fl.know_scanner ? fl.scanner_ip : flood_ip(false, rng()));
		fst.fake++;
		break;
	case 12:			/* a request from a random sender */
		len = arp_frame(f, dst, 1, sha, flood_ip(true, r >> 32),
		    (const uint8_t[6]){ 0 }, flood_ip(true, rng()));
		fst.forged_req++;
		break;
	case 13:			/* a request claiming the scanner's IP */
		len = arp_frame(f, dst, 1, sha, fl.know_scanner ? fl.scanner_ip :
		    flood_ip(false, r >> 48), (const uint8_t[6]){ 0 },
		    flood_ip(false, rng()));
		fst.forged_req++;
		break;
	case 14: case 15:		/* malformed, five ways in turn */
		len = arp_frame(f, dst, 2, sha, flood_ip(false, r >> 48), tha,
		    flood_ip(false, rng()));
		switch ((fst.malformed++) % 5) {
		case 0: len = 20; break;		/* not even the fixed part */
		case 1: len = 30; break;		/* cut inside the sender IP */
		case 2: f[18] = 8; break;		/* hlen 8 */
		case 3: f[19] = 16; break;		/* plen 16 */
		default: f[21] = (uint8_t)(3 + (r >> 8) % 250); break; /* op 3..252 */
		}
		break;
	}
	queue_tx(f, len, 1);
}

/*
 * One received frame. aux_vlan is the tag the kernel stripped into the skb
 * (PACKET_AUXDATA), NO_VLAN when none; tags still inline are walked here.
 * The innermost tag decides which hosts may answer.
 */
static void
handle_frame(const uint8_t *b, size_t len, int aux_vlan, uint64_t now,
    uint64_t arrival_ns)
{
	size_t off = 12;
	int vlan = aux_vlan;
	uint16_t type;
	const uint8_t *arp;
	uint32_t tpa, spa;

	if (len < 14)
		return;
	type = (uint16_t)(b[12] << 8 | b[13]);
	for (int t = 0; t < 2 && (type == 0x8100 || type == 0x88a8); t++) {
		if (len < off + 6)
			return;
		vlan = (b[off + 2] & 0x0f) << 8 | b[off + 3];
		off += 4;
		type = (uint16_t)(b[off] << 8 | b[off + 1]);
	}
	if (type != 0x0806 || len < off + 2 + 28)
		return;
	arp = b + off + 2;
	if (arp[0] != 0 || arp[1] != 1 || arp[2] != 0x08 || arp[3] != 0x00 ||
	    arp[4] != 6 || arp[5] != 4 || arp[6] != 0 || arp[7] != 1)
		return;
	st.requests++;
	if (capacity > 0 && over_capacity(arrival_ns)) {
		st.over_capacity++;
		return;
	}
	/* VID 0 only carries a priority: the frame is untagged for us. */
	if (vlan == 0)
		vlan = NO_VLAN;
	memcpy(&tpa, arp + 24, 4);
	memcpy(&spa, arp + 14, 4);
	if (fl.on && vlan == NO_VLAN)
		flood_request(arp, spa, now);
	tpa = ntohl(tpa);
	for (uint32_t i = buckets[hash_ip(tpa) & bucket_mask]; i != UINT32_MAX;
	    i = hosts[i].next) {
		const struct host *h = &hosts[i];
		struct pending p;

		if (h->ip != tpa || h->vlan != vlan)
			continue;
		if ((h->probes == PROBES_ONLY && spa != 0) ||
		    (h->probes == PROBES_IGNORED && spa == 0))
			continue;
		if (st.answered++ == 0)
			st.first_req_ns = now;
		if (verbose)
			log_reply(h, arp, vlan);
		p.len = build_reply(h, arp, p.frame);
		p.copies = h->copies;
		if (h->delay_ms == 0) {
			queue_tx(p.frame, p.len, p.copies);
		} else {
			p.due_ns = now + (uint64_t)h->delay_ms * 1000000u;
			heap_push(&p);
		}
	}
}

static bool flood_src_set;

static int
iface_mac(const char *ifname, uint8_t mac[6])
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(sock, SIOCGIFHWADDR, &ifr) < 0) {
		fprintf(stderr, "responder: MAC of %s: %s\n", ifname, strerror(errno));
		return -1;
	}
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return 0;
}

static int
open_socket(const char *ifname)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct packet_mreq mr = { .mr_type = PACKET_MR_PROMISC };
	int one = 1, rcvbuf = 16 << 20;
	unsigned idx = if_nametoindex(ifname);

	if (idx == 0) {
		fprintf(stderr, "responder: no interface %s: %s\n", ifname,
		    strerror(errno));
		return -1;
	}
	sock = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (sock < 0) {
		fprintf(stderr, "responder: socket(AF_PACKET): %s (run as root "
		    "or with CAP_NET_RAW)\n", strerror(errno));
		return -1;
	}
	if (setsockopt(sock, SOL_PACKET, PACKET_AUXDATA, &one, sizeof(one)) < 0) {
		fprintf(stderr, "responder: PACKET_AUXDATA: %s\n", strerror(errno));
		return -1;
	}
	/* --capacity meters by arrival time, CLOCK_REALTIME like the rest of
	 * the kernel's stamps: only differences are used. */
	if (capacity > 0 && setsockopt(sock, SOL_SOCKET, SO_TIMESTAMPNS, &one,
	    sizeof(one)) < 0) {
		fprintf(stderr, "responder: SO_TIMESTAMPNS: %s\n", strerror(errno));
		return -1;
	}
	/* Saves a copy of every reply coming back to us; the pkttype test in
	 * the loop covers kernels without it (< 4.20). */
	(void)setsockopt(sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
	    sizeof(one));
	/* Bursts of 100k requests must not overflow the default 200 KB. */
	if (setsockopt(sock, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
	    sizeof(rcvbuf)) < 0)
		(void)setsockopt(sock, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = (int)idx;
	if (bind(sock, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		fprintf(stderr, "responder: bind %s: %s\n", ifname, strerror(errno));
		return -1;
	}
	if (fl.on && !flood_src_set && iface_mac(ifname, fl.src) < 0)
		return -1;
	/* Requests unicast to a played MAC must reach us too. */
	mr.mr_ifindex = (int)idx;
	if (setsockopt(sock, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
	    sizeof(mr)) < 0) {
		fprintf(stderr, "responder: promiscuous %s: %s\n", ifname,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static int
write_ready(const char *path)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fputs("ready\n", f) == EOF || fclose(f) == EOF) {
		fprintf(stderr, "responder: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static uint8_t rx[BATCH][RXBUF];
static union {
	struct cmsghdr	h;
	char		buf[CMSG_SPACE(sizeof(struct tpacket_auxdata)) +
			    CMSG_SPACE(sizeof(struct timespec))];
} rx_ctl[BATCH];
static struct sockaddr_ll rx_from[BATCH];
static struct iovec rx_iov[BATCH];
static struct mmsghdr rx_msgs[BATCH];

/* Read and handle what is queued, up to RX_ROUNDS batches; -1 on an error. */
static int
receive(void)
{
	for (int round = 0; round < RX_ROUNDS; round++) {
		uint64_t now;
		int n;

		for (unsigned i = 0; i < BATCH; i++)
			rx_msgs[i].msg_hdr = (struct msghdr){
				.msg_name = &rx_from[i],
				.msg_namelen = sizeof(rx_from[i]),
				.msg_iov = &rx_iov[i], .msg_iovlen = 1,
				.msg_control = rx_ctl[i].buf,
				.msg_controllen = sizeof(rx_ctl[i].buf) };
		n = recvmmsg(sock, rx_msgs, BATCH, MSG_DONTWAIT, NULL);
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				break;
			fprintf(stderr, "responder: recv: %s\n", strerror(errno));
			return -1;
		}
		now = now_ns();
		for (int i = 0; i < n; i++) {
			struct msghdr *m = &rx_msgs[i].msg_hdr;
			size_t len = rx_msgs[i].msg_len;
			int vlan = NO_VLAN;
			uint64_t arrival = now;

			st.frames++;
			if (rx_from[i].sll_pkttype == PACKET_OUTGOING)
				continue;
			if (len > RXBUF)
				len = RXBUF;	/* truncated: MSG_TRUNC */
			for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL;
			    c = CMSG_NXTHDR(m, c)) {
				struct tpacket_auxdata aux;

				if (c->cmsg_level != SOL_PACKET ||
				    c->cmsg_type != PACKET_AUXDATA ||
				    c->cmsg_len < CMSG_LEN(sizeof(aux)))
					continue;
				memcpy(&aux, CMSG_DATA(c), sizeof(aux));
				if (aux.tp_status & TP_STATUS_VLAN_VALID)
					vlan = aux.tp_vlan_tci & 0x0fff;
			}
			for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c != NULL;
			    c = CMSG_NXTHDR(m, c)) {
				struct timespec kts;

				if (c->cmsg_level != SOL_SOCKET ||
				    c->cmsg_type != SCM_TIMESTAMPNS ||
				    c->cmsg_len < CMSG_LEN(sizeof(kts)))
					continue;
				memcpy(&kts, CMSG_DATA(c), sizeof(kts));
				arrival = (uint64_t)kts.tv_sec * 1000000000u +
				    (uint64_t)kts.tv_nsec;
			}
			handle_frame(rx[i], len, vlan, now, arrival);
		}
		flush_tx();
		if (n < BATCH)
			break;
	}
	return 0;
}

static struct timespec
ns_to_ts(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000u),
	    .tv_nsec = (long)(ns % 1000000000u) };
}

static void
print_flood(void)
{
	double s = (double)(fst.end_ns - fst.start_ns) / 1e9;

	fprintf(stderr, "responder: flood: %" PRIu64 " frames in %.3f s (%.0f "
	    "frames/s): %" PRIu64 " answers to %" PRIu64 " requests, %" PRIu64
	    " forged replies, %" PRIu64 " fake answers, %" PRIu64 " forged "
	    "requests, %" PRIu64 " malformed; %" PRIu64 " refused by the kernel\n",
	    fst.sent, s, s > 0 ? (double)fst.sent / s : 0.0, fst.answers,
	    fst.requests, fst.replies, fst.fake, fst.forged_req, fst.malformed,
	    fst.refused);
}

/*
 * The flood: batches of forged frames as fast as the kernel takes them (or
 * paced to fl.rate), with a zero-timeout ppoll between batches that lets
 * SIGTERM in and says when requests are waiting to be answered.
 */
static int
flood(void)
{
	struct pollfd pfd = { .fd = sock, .events = POLLIN };
	sigset_t wait_mask;
	uint64_t end, now;
	unsigned k = 0;

	sigemptyset(&wait_mask);
	rng_state = fl.seed;
	if (!fl.wait) {
		fst.start_ns = now_ns();
		flooding = true;
	}
	while (!stop && !flooding) {		/* --flood-wait */
		if (ppoll(&pfd, 1, NULL, &wait_mask) < 0 && errno != EINTR) {
			fprintf(stderr, "responder: poll: %s\n", strerror(errno));
			return -1;
		}
		if (!stop && receive() < 0)
			return -1;
	}
	if (!flooding)
		return 0;			/* stopped before it began */
	end = fst.start_ns + fl.duration_ns;
	while (!stop && (now = now_ns()) < end) {
		struct timespec ts = { 0 };
		unsigned batch = BATCH;
		int r;

		if (fl.rate > 0) {
			uint64_t due = (now - fst.start_ns) * fl.rate / 1000000000u;
			uint64_t done = fst.sent + fst.refused;

			if (due < done + BATCH) {
				/* Wait for a whole batch's worth of time, or a request. */
				ts = ns_to_ts((done + BATCH - due) * 1000000000u / fl.rate);
				batch = 0;
			}
		}
		r = ppoll(&pfd, 1, &ts, &wait_mask);
		if (r < 0 && errno != EINTR) {
			fprintf(stderr, "responder: poll: %s\n", strerror(errno));
			return -1;
		}
		if (r > 0 && (pfd.revents & POLLIN) && receive() < 0)
			return -1;
		if (heap_len > 0)
			release_due(now_ns());
		for (unsigned i = 0; i < batch; i++)
			flood_frame(k++);
		flush_tx();
	}
	fst.end_ns = now_ns();
	flooding = false;
	print_flood();
	return 0;
}

static int
run(void)
{
	sigset_t wait_mask;

	sigemptyset(&wait_mask);
	for (unsigned i = 0; i < BATCH; i++) {
		rx_iov[i] = (struct iovec){ rx[i], RXBUF };
		tx_iov[i] = (struct iovec){ tx_frames[i], 0 };
		tx_msgs[i].msg_hdr = (struct msghdr){ .msg_iov = &tx_iov[i],
		    .msg_iovlen = 1 };
	}
	if (fl.on && flood() < 0)
		return -1;
	while (!stop) {
		uint64_t now = now_ns();
		struct timespec ts, *tsp = NULL;
		struct pollfd pfd = { .fd = sock, .events = POLLIN };
		int r;

		release_due(now);
		if (heap_len > 0) {
			ts = ns_to_ts(heap[0].due_ns - now);
			tsp = &ts;
		}
		/* Signals are blocked everywhere but here, so a SIGTERM can't
		 * slip in between the stop test and the wait. */
		r = ppoll(&pfd, 1, tsp, &wait_mask);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "responder: poll: %s\n", strerror(errno));
			return -1;
		}
		if (r == 0 || !(pfd.revents & POLLIN))
			continue;
		if (receive() < 0)
			return -1;
	}
	return 0;
}

static void
print_stats(const char *ifname)
{
	struct tpacket_stats ks = { 0 };
	socklen_t kl = sizeof(ks);
	double span = 0;

	(void)getsockopt(sock, SOL_PACKET, PACKET_STATISTICS, &ks, &kl);
	if (st.answered > 0 && st.last_reply_ns > st.first_req_ns)
		span = (double)(st.last_reply_ns - st.first_req_ns) / 1e9;
	fprintf(stderr, "responder: %s: %" PRIu64 " requests seen, %" PRIu64
	    " replies sent (%" PRIu64 " requests answered, %u hosts; "
	    "%" PRIu64 " send errors, %" PRIu64 " queue drops, %u kernel drops, "
	    "%u pending, %" PRIu64 " over capacity); %.3f s first answer to "
	    "last reply, %.0f replies/s\n",
	    ifname, st.requests, st.replies, st.answered, nhosts,
	    st.send_errors, st.queue_full, ks.tp_drops, heap_len,
	    st.over_capacity, span,
	    span > 0 ? (double)st.replies / span : 0.0);
}

/* "198.18.0.0/24" */
static int
parse_cidr(const char *s, uint32_t *net, uint32_t *mask)
{
	const char *slash = strchr(s, '/');
	unsigned long len;

	if (slash == NULL || parse_ip(s, (size_t)(slash - s), net) < 0 ||
	    parse_uint(slash + 1, strlen(slash + 1), 8, 32, &len) < 0)
		return -1;
	*mask = len == 32 ? UINT32_MAX : ~(UINT32_MAX >> len);
	*net &= *mask;
	return 0;
}

/* One --flood* option at argv[*i], its value (if it takes one) in val. */
static int
parse_flood_opt(const char *opt, const char *val, int *i)
{
	unsigned long v;
	char *end;

	if (strcmp(opt, "--flood-wait") == 0) {
		fl.wait = true;
		return 0;
	}
	if (val == NULL)
		return -1;
	(*i)++;
	if (strcmp(opt, "--flood") == 0) {
		double sec;

		errno = 0;
		sec = strtod(val, &end);
		if (errno != 0 || end == val || *end != '\0' || !(sec > 0) ||
		    sec > 3600)
			return -1;
		fl.duration_ns = (uint64_t)(sec * 1e9);
		fl.on = true;
	} else if (strcmp(opt, "--flood-net") == 0) {
		if (parse_cidr(val, &fl.net, &fl.mask) < 0)
			return -1;
		fl.wide_mask = fl.mask < 0xffff0000u ? fl.mask : 0xffff0000u;
		fl.wide_net = fl.net & fl.wide_mask;
	} else if (strcmp(opt, "--flood-rate") == 0) {
		if (parse_uint(val, strlen(val), 1, 100000000, &v) < 0)
			return -1;
		fl.rate = v;
	} else if (strcmp(opt, "--flood-copies") == 0) {
		if (parse_uint(val, strlen(val), 1, MAX_COPIES, &v) < 0)
			return -1;
		fl.copies = (unsigned)v;
	} else if (strcmp(opt, "--flood-src") == 0) {
		if (parse_mac(val, strlen(val), fl.src) < 0)
			return -1;
		flood_src_set = true;
	} else if (strcmp(opt, "--flood-to") == 0) {
		if (parse_mac(val, strlen(val), fl.to) < 0)
			return -1;
		fl.to_set = true;
	} else if (strcmp(opt, "--flood-seed") == 0) {
		if (parse_uint(val, strlen(val), 0, UINT32_MAX, &v) < 0)
			return -1;
		fl.seed = v;
	} else {
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *ifname = NULL, *ready = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	sigset_t block;
	int i, rc;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-i") == 0 && i + 1 < argc) {
			ifname = argv[++i];
		} else if (strcmp(argv[i], "--ready") == 0 && i + 1 < argc) {
			ready = argv[++i];
		} else if (strcmp(argv[i], "--capacity") == 0 && i + 1 < argc) {
			unsigned long v;

			if (parse_uint(argv[i + 1], strlen(argv[i + 1]), 1,
			    100000000, &v) < 0) {
				usage(stderr);
				return 2;
			}
			capacity = (double)v;
			i++;
		} else if (strcmp(argv[i], "-v") == 0) {
			verbose = true;
		} else if (strncmp(argv[i], "--flood", 7) == 0) {
			const char *opt = argv[i];

			if (parse_flood_opt(opt, i + 1 < argc ? argv[i + 1] : NULL,
			    &i) < 0) {
				fprintf(stderr, "responder: bad %s (try -h)\n", opt);
				return 2;
			}
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (ifname == NULL || (i == argc && !fl.on) ||
	    (fl.on && fl.mask == 0 && fl.net == 0)) {
		usage(stderr);
		return 2;
	}
	for (; i < argc; i++) {
		if (parse_spec(argv[i]) < 0) {
			fprintf(stderr, "responder: bad HOSTSPEC '%s' (try -h)\n",
			    argv[i]);
			return 2;
		}
	}
	if (build_index() < 0) {
		fprintf(stderr, "responder: out of memory\n");
		return 1;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	if (open_socket(ifname) < 0 || (ready != NULL && write_ready(ready) < 0)) {
		if (sock >= 0)
			close(sock);
		return 1;
	}
	rc = run();
	print_stats(ifname);
	close(sock);
	free(hosts);
	free(buckets);
	free(heap);
	return rc < 0 ? 1 : 0;
}
