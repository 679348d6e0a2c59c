/* genpcaps: writes the synthetic ARP captures in pcaps/ (same bytes on every run). */
/* libpcap's headers need the BSD u_char/u_int types, hidden by plain -std=c11. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pcap/pcap.h>

/*
 * Every file starts at 2026-01-01T00:00:00Z so captures never depend on the
 * clock; times inside a case are microseconds from that instant.
 */
#define T0_SEC		1767225600LL
#define MS		1000LL		/* one millisecond in microseconds */
#define SNAPLEN		65535
#define MAX_FRAME	128

#define NET(x)		(0xc6120000u | (uint32_t)(x))	/* 198.18.0.x */
#define IP4(a, b, c, d)	((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
			 (uint32_t)(c) << 8 | (uint32_t)(d))

#define ETHERTYPE_IPV4	0x0800
#define ETHERTYPE_ARP	0x0806
#define ETHERTYPE_AARP	0x80f3
#define TPID_8021Q	0x8100
#define TPID_8021AD	0x88a8
#define SLL2_IFINDEX	7

/* Linux packet types as written in SLL/SLL2 headers. */
#define PKT_HOST	0
#define PKT_BROADCAST	1
#define PKT_OUTGOING	4

static const uint8_t scanner_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };
static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
static const uint8_t zero_mac[6];
static const uint8_t oui_apple[3] = { 0x08, 0x00, 0x07 };
#define SCANNER_IP	NET(1)

enum format { FMT_PCAP, FMT_PCAPNG };

/* One frame waiting to be written; cases add frames in any order. */
struct event {
	int64_t		t_us;
	size_t		seq;		/* insertion order breaks time ties */
	size_t		caplen, wirelen;
	uint8_t		data[MAX_FRAME];
};

struct cap {
	int		link;		/* DLT_* */
	struct event	*ev;
	size_t		n, cap;
};

/* Link-layer shape of one frame; a zeroed struct means plain Ethernet II. */
struct l2 {
	uint16_t	outer;		/* 802.1ad S-VID, 0 = no outer tag */
	uint16_t	vlan;		/* 802.1Q C-VID, 0 = untagged */
	bool		snap;		/* 802.3 length + LLC/SNAP */
	const uint8_t	*oui;		/* SNAP OUI, NULL = 00-00-00 */
	size_t		pad_to;		/* pad with 55 aa ... to this length */
	const uint8_t	*eth_src;	/* Ethernet source, NULL = ARP sha */
	size_t		cut;		/* frame itself is this short */
	size_t		snap_cut;	/* capture keeps only this many bytes */
};

struct arp {
	uint16_t	htype, ptype;
	uint8_t		hlen, plen;
	uint16_t	op;
	const uint8_t	*sha, *tha;
	uint32_t	spa, tpa;
};

/* A simulated host: answers every request for ip after delay_us. */
struct responder {
	uint32_t	ip;
	uint8_t		mac_last;	/* MAC is 52:54:00:00:00:mac_last */
	const uint8_t	*eth_src;	/* NULL = its MAC */
	int64_t		delay_us;
};

static const struct l2 plain;

static void
die(const char *what)
{
	fprintf(stderr, "genpcaps: %s\n", what);
	exit(1);
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/*
 * 52:54:00:00:00:XX with XX spelling the decimal last octet (.20 -> :20) so
 * a MAC reads like its IP in tcpdump output; octets >= 100 use plain hex.
 */
static void
host_mac(uint32_t ip, uint8_t mac[6])
{
	unsigned o = ip & 0xff;

	memcpy(mac, scanner_mac, 6);
	mac[5] = o < 100 ? (uint8_t)((o / 10) << 4 | o % 10) : (uint8_t)o;
}

static void
mac_last(uint8_t last, uint8_t mac[6])
{
	memcpy(mac, scanner_mac, 6);
	mac[5] = last;
}

static void
cap_init(struct cap *c, int link)
{
	memset(c, 0, sizeof(*c));
	c->link = link;
}

static void
cap_add(struct cap *c, int64_t t_us, const uint8_t *buf, size_t caplen,
    size_t wirelen)
{
	struct event *e;

	if (caplen > MAX_FRAME || wirelen < caplen)
		die("internal error: frame too long or wire length too short");
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 64;
		struct event *nv = realloc(c->ev, ncap * sizeof(*nv));

		if (nv == NULL)
			die("out of memory");
		c->ev = nv;
		c->cap = ncap;
	}
	e = &c->ev[c->n];
	memset(e, 0, sizeof(*e));
	e->t_us = t_us;
	e->seq = c->n;
	e->caplen = caplen;
	e->wirelen = wirelen;
	memcpy(e->data, buf, caplen);
	c->n++;
}

/*
 * Write an Ethernet-shaped frame in the capture's link type. Cooked links
 * keep only the source address, so the packet type is derived the way the
 * Linux capturing host would see it.
 */
static void
frame(struct cap *c, int64_t t_us, const uint8_t *dst, const uint8_t *src,
    uint16_t type, const uint8_t *payload, size_t plen, const struct l2 *o)
{
	uint8_t buf[MAX_FRAME];
	size_t n = 0, full, caplen;
	int pkttype;

	if (o == NULL)
		o = &plain;
	if (plen > MAX_FRAME - 40)
		die("internal error: payload too long");
	pkttype = memcmp(src, scanner_mac, 6) == 0 ? PKT_OUTGOING :
	    memcmp(dst, bcast, 6) == 0 ? PKT_BROADCAST : PKT_HOST;
	if (c->link == DLT_LINUX_SLL) {
		put16(buf, (uint16_t)pkttype);
		put16(buf + 2, 1);		/* ARPHRD_ETHER */
		put16(buf + 4, 6);
		memset(buf + 6, 0, 8);
		memcpy(buf + 6, src, 6);
		put16(buf + 14, type);
		n = 16;
	} else if (c->link == DLT_LINUX_SLL2) {
		put16(buf, type);
		put16(buf + 2, 0);
		put32(buf + 4, SLL2_IFINDEX);
		put16(buf + 8, 1);		/* ARPHRD_ETHER */
		buf[10] = (uint8_t)pkttype;
		buf[11] = 6;
		memset(buf + 12, 0, 8);
		memcpy(buf + 12, src, 6);
		n = 20;
	} else {
		memcpy(buf, dst, 6);
		memcpy(buf + 6, src, 6);
		n = 12;
		if (o->outer) {
			put16(buf + n, TPID_8021AD);
			put16(buf + n + 2, o->outer);
			n += 4;
		}
		if (o->vlan) {
			put16(buf + n, TPID_8021Q);
			put16(buf + n + 2, o->vlan);
			n += 4;
		}
		if (o->snap) {
			/* 802.3 length counts the LLC/SNAP header too. */
			put16(buf + n, (uint16_t)(8 + plen));
			buf[n + 2] = 0xaa;
			buf[n + 3] = 0xaa;
			buf[n + 4] = 0x03;
			memcpy(buf + n + 5, o->oui ? o->oui : zero_mac, 3);
			put16(buf + n + 8, type);
			n += 10;
		} else {
			put16(buf + n, type);
			n += 2;
		}
	}
	memcpy(buf + n, payload, plen);
	n += plen;
	/* Real NICs pad short frames, not always with zeros: a decoder must
	 * never take the trailer for part of the ARP body. */
	if (o->pad_to > MAX_FRAME)
		die("internal error: padding too long");
	for (size_t i = 0; n < o->pad_to; i++)
		buf[n++] = i % 2 ? 0xaa : 0x55;
	full = o->cut && o->cut < n ? o->cut : n;
	caplen = o->snap_cut && o->snap_cut < full ? o->snap_cut : full;
	cap_add(c, t_us, buf, caplen, full);
}

/* Serialize an ARP body; address fields are hlen/plen bytes long. */
static size_t
arp_body(uint8_t *p, const struct arp *a)
{
	size_t n = 8;
	const uint8_t *hw[2] = { a->sha, a->tha };
	uint32_t pr[2] = { a->spa, a->tpa };

	put16(p, a->htype);
	put16(p + 2, a->ptype);
	p[4] = a->hlen;
	p[5] = a->plen;
	put16(p + 6, a->op);
	for (int i = 0; i < 2; i++) {
		memset(p + n, 0, a->hlen);
		memcpy(p + n, hw[i], a->hlen < 6 ? a->hlen : 6);
		n += a->hlen;
		memset(p + n, 0, a->plen);
		if (a->plen >= 4)
			put32(p + n, pr[i]);
		n += a->plen;
	}
	return n;
}

static void
send_arp(struct cap *c, int64_t t_us, const uint8_t *dst, const struct arp *a,
    const struct l2 *o)
{
	uint8_t body[64];
	size_t n = arp_body(body, a);

	frame(c, t_us, dst, o && o->eth_src ? o->eth_src : a->sha,
	    ETHERTYPE_ARP, body, n, o);
}

static struct arp
arp_ipv4(uint16_t op, const uint8_t *sha, uint32_t spa, const uint8_t *tha,
    uint32_t tpa)
{
	struct arp a = {
		.htype = 1, .ptype = ETHERTYPE_IPV4, .hlen = 6, .plen = 4,
		.op = op, .sha = sha, .spa = spa, .tha = tha, .tpa = tpa,
	};

	return a;
}

/* The scanner's broadcast who-has for ip. */
static void
request(struct cap *c, int64_t t_us, uint32_t ip, const struct l2 *o)
{
	struct arp a = arp_ipv4(1, scanner_mac, SCANNER_IP, zero_mac, ip);

	send_arp(c, t_us, bcast, &a, o);
}

/* ip is-at mac, unicast back to the scanner. */
static void
reply(struct cap *c, int64_t t_us, uint32_t ip, const uint8_t *mac,
    const struct l2 *o)
{
	struct arp a = arp_ipv4(2, mac, ip, scanner_mac, SCANNER_IP);

	send_arp(c, t_us, scanner_mac, &a, o);
}

static void
host_reply(struct cap *c, int64_t t_us, uint32_t ip, const struct l2 *o)
{
	uint8_t mac[6];

	host_mac(ip, mac);
	reply(c, t_us, ip, mac, o);
}

/*
 * One pass: a request per IP, 1 ms apart from t_us, each answered by every
 * responder for that IP. Marks answered[last octet] and records when each IP
 * was asked. Returns the time of the last request.
 */
static int64_t
pass(struct cap *c, int64_t t_us, const uint32_t *ips, size_t n,
    const struct responder *r, size_t nr, bool *answered, int64_t *sent_at)
{
	int64_t t = t_us;

	for (size_t i = 0; i < n; i++) {
		t = t_us + (int64_t)i * MS;
		request(c, t, ips[i], NULL);
		if (sent_at)
			sent_at[ips[i] & 0xff] = t;
		for (size_t j = 0; j < nr; j++) {
			uint8_t mac[6];
			struct l2 o = { .eth_src = r[j].eth_src };

			if (r[j].ip != ips[i])
				continue;
			mac_last(r[j].mac_last, mac);
			reply(c, t + r[j].delay_us, ips[i], mac, &o);
			if (answered)
				answered[ips[i] & 0xff] = true;
		}
	}
	return t;
}

/* IPs first..last of 198.18.0.0/24 into ips[]; returns the count. */
static size_t
range(uint32_t *ips, unsigned first, unsigned last)
{
	size_t n = 0;

	for (unsigned x = first; x <= last; x++)
		ips[n++] = NET(x);
	return n;
}

/* Confirmation: `rounds` passes over the suspects, 200 ms apart after t_us. */
static int64_t
confirm(struct cap *c, int64_t t_us, const uint32_t *ips, size_t n,
    unsigned rounds, const struct responder *r, size_t nr)
{
	int64_t t = t_us;

	for (unsigned k = 1; k <= rounds; k++)
		t = pass(c, t_us + (int64_t)k * 200 * MS, ips, n, r, nr, NULL,
		    NULL);
	return t;
}

/* ---- the cases ---- */

static void
case_plain(struct cap *c)
{
	request(c, 0, NET(10), NULL);
	host_reply(c, 200, NET(10), NULL);
}

static void
case_padded(struct cap *c)
{
	request(c, 0, NET(10), NULL);
	host_reply(c, 200, NET(10), &(struct l2){ .pad_to = 60 });
}

static void
case_vlan(struct cap *c)
{
	struct l2 o = { .vlan = 100 };
	uint32_t ip = IP4(198, 18, 100, 10);

	request(c, 0, ip, &o);
	host_reply(c, 200, ip, &o);
}

static void
case_qinq(struct cap *c)
{
	struct l2 o = { .outer = 200, .vlan = 2001 };
	uint32_t ip = IP4(198, 18, 200, 10);

	request(c, 0, ip, &o);
	host_reply(c, 200, ip, &o);
}

static void
case_llc_snap(struct cap *c)
{
	struct l2 o = { .snap = true };

	request(c, 0, NET(10), &o);
	host_reply(c, 200, NET(10), &o);
}

/*
 * Hardware type 6 (IEEE 802): .10 answers in LLC/SNAP framing as RFC 1042
 * has it, .11 in Ethernet II (Linux accepts both types in both framings).
 */
static void
case_ieee802(struct cap *c)
{
	struct l2 snap = { .snap = true };
	uint8_t mac[6];
	struct arp a;

	request(c, 0, NET(10), NULL);
	host_mac(NET(10), mac);
	a = arp_ipv4(2, mac, NET(10), scanner_mac, SCANNER_IP);
	a.htype = 6;
	send_arp(c, 200, scanner_mac, &a, &snap);
	request(c, 1 * MS, NET(11), NULL);
	host_mac(NET(11), mac);
	a = arp_ipv4(2, mac, NET(11), scanner_mac, SCANNER_IP);
	a.htype = 6;
	send_arp(c, 1 * MS + 200, scanner_mac, &a, NULL);
}

/* An IPv4/UDP datagram from .10 to the scanner: traffic a capture without
 * a filter sees, which the decoder must count as other. */
static void
udp_frame(struct cap *c, int64_t t_us)
{
	static const char msg[] = "arpsweep";
	uint8_t p[20 + 8 + sizeof(msg) - 1], mac[6];
	size_t ulen = 8 + sizeof(msg) - 1;
	uint32_t sum = 0;

	memset(p, 0, sizeof(p));
	p[0] = 0x45;
	put16(p + 2, (uint16_t)sizeof(p));
	put16(p + 4, 1);			/* id */
	p[8] = 64;				/* ttl */
	p[9] = 17;				/* UDP */
	put32(p + 12, NET(10));
	put32(p + 16, SCANNER_IP);
	for (size_t i = 0; i < 20; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(p + 10, (uint16_t)~sum);
	put16(p + 20, 40000);
	put16(p + 22, 9);			/* discard */
	put16(p + 24, (uint16_t)ulen);
	memcpy(p + 28, msg, sizeof(msg) - 1);
	/* UDP checksum over the pseudo-header and the datagram. */
	sum = (NET(10) >> 16) + (NET(10) & 0xffff) + (SCANNER_IP >> 16) +
	    (SCANNER_IP & 0xffff) + 17 + (uint32_t)ulen;
	for (size_t i = 20; i < sizeof(p); i += 2)
		sum += (uint32_t)p[i] << 8 |
		    (i + 1 < sizeof(p) ? p[i + 1] : 0);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	/* 0 means "no checksum" in UDP over IPv4, so send its twin. */
	put16(p + 26, (uint16_t)~sum != 0 ? (uint16_t)~sum : 0xffff);
	host_mac(NET(10), mac);
	frame(c, t_us, scanner_mac, mac, ETHERTYPE_IPV4, p, sizeof(p), NULL);
}

/* AppleTalk ARP in SNAP (OUI 08-00-07): ARP-shaped but not ours. */
static void
aarp_frame(struct cap *c, int64_t t_us)
{
	static const uint8_t at_bcast[6] = { 0x09, 0x00, 0x07, 0xff, 0xff, 0xff };
	uint8_t mac[6], body[28];
	struct arp a;

	host_mac(NET(12), mac);
	/* AppleTalk addresses: pad, net (2 bytes), node; plen 4 fits put32. */
	a = (struct arp){
		.htype = 1, .ptype = 0x809b, .hlen = 6, .plen = 4, .op = 1,
		.sha = mac, .spa = 0x00ff0112, .tha = zero_mac,
		.tpa = 0x00ff0181,
	};
	arp_body(body, &a);
	frame(c, t_us, at_bcast, mac, ETHERTYPE_AARP, body, sizeof(body),
	    &(struct l2){ .snap = true, .oui = oui_apple });
}

static void
case_bogus(struct cap *c)
{
	uint8_t mac[6];
	struct arp a;

	request(c, 0, NET(10), NULL);
	host_reply(c, 200, NET(10), NULL);
	/* malformed: too short for what they claim */
	request(c, 1 * MS, NET(11), &(struct l2){ .cut = 10 });
	request(c, 2 * MS, NET(11), &(struct l2){ .cut = 14 });
	request(c, 3 * MS, NET(11), &(struct l2){ .cut = 14 + 20 });
	host_reply(c, 4 * MS, NET(13),
	    &(struct l2){ .pad_to = 60, .snap_cut = 40 });
	/* ignored: ARP, but not IPv4 over Ethernet (htype 15: Frame Relay) */
	host_mac(NET(14), mac);
	a = arp_ipv4(1, mac, NET(14), zero_mac, SCANNER_IP);
	a.htype = 15;
	send_arp(c, 5 * MS, bcast, &a, NULL);
	a = arp_ipv4(1, mac, NET(14), zero_mac, SCANNER_IP);
	a.ptype = 0x1000;
	send_arp(c, 6 * MS, bcast, &a, NULL);
	a = arp_ipv4(1, mac, NET(14), zero_mac, SCANNER_IP);
	a.hlen = 14;
	send_arp(c, 7 * MS, bcast, &a, NULL);
	a = arp_ipv4(3, mac, NET(14), mac, NET(14));
	send_arp(c, 8 * MS, bcast, &a, NULL);
	/* other: not ARP */
	udp_frame(c, 9 * MS);
	aarp_frame(c, 10 * MS);
}

static const struct responder twin_hosts[] = {
	{ NET(10), 0x10, NULL, 200 },
	{ NET(11), 0x11, NULL, 200 },
	{ NET(20), 0x20, NULL, 200 },
	{ NET(20), 0x20, NULL, 350 },
};

static void
case_twin(struct cap *c)
{
	uint32_t ips[32], sus = NET(20);
	size_t n = range(ips, 10, 29);
	size_t nr = sizeof(twin_hosts) / sizeof(twin_hosts[0]);
	int64_t t = pass(c, 0, ips, n, twin_hosts, nr, NULL, NULL);

	confirm(c, t, &sus, 1, 3, twin_hosts, nr);
}

static const struct responder conflict_hosts[] = {
	{ NET(30), 0x30, NULL, 200 },
	{ NET(30), 0x31, NULL, 350 },
};

static void
case_ip_conflict(struct cap *c)
{
	uint32_t ips[32], sus = NET(30);
	size_t n = range(ips, 10, 39);
	size_t nr = sizeof(conflict_hosts) / sizeof(conflict_hosts[0]);
	int64_t t = pass(c, 0, ips, n, conflict_hosts, nr, NULL, NULL);

	confirm(c, t, &sus, 1, 3, conflict_hosts, nr);
}

static void
case_shared_mac(struct cap *c)
{
	static const struct responder r[] = {
		{ NET(40), 0x40, NULL, 200 },
		{ NET(41), 0x40, NULL, 200 },
	};
	uint32_t ips[64];
	size_t n = range(ips, 10, 49);

	pass(c, 0, ips, n, r, 2, NULL, NULL);
}

static const uint8_t mismatch_src[6] = { 0x52, 0x54, 0x00, 0x00, 0x05, 0x50 };

static void
case_frame_mismatch(struct cap *c)
{
	request(c, 0, NET(50), NULL);
	host_reply(c, 200, NET(50), &(struct l2){ .eth_src = mismatch_src });
}

static void
case_slow_host(struct cap *c)
{
	request(c, 0, NET(60), NULL);
	request(c, 100 * MS, NET(60), NULL);
	host_reply(c, 150 * MS, NET(60), NULL);
	host_reply(c, 250 * MS, NET(60), NULL);
}

static void
case_double_reply(struct cap *c)
{
	request(c, 0, NET(80), NULL);
	host_reply(c, 200, NET(80), NULL);
	host_reply(c, 500, NET(80), NULL);
}

static void
case_unsolicited(struct cap *c)
{
	host_reply(c, 0, NET(90), NULL);
	host_reply(c, 50 * MS, NET(91), NULL);
	host_reply(c, 100 * MS, NET(90), NULL);
	host_reply(c, 200 * MS, NET(90), NULL);
}

static void
case_gratuitous(struct cap *c)
{
	uint8_t m95[6], m96[6];
	struct arp a;

	host_mac(NET(95), m95);
	host_mac(NET(96), m96);
	a = arp_ipv4(1, m95, NET(95), zero_mac, NET(95));
	send_arp(c, 0, bcast, &a, NULL);
	/* RFC 5227 probe: "who has .96?" asked without an address */
	a = arp_ipv4(1, m96, 0, zero_mac, NET(96));
	send_arp(c, 1 * MS, bcast, &a, NULL);
}

static const struct responder lab_hosts[] = {
	{ NET(10), 0x10, NULL, 200 },
	{ NET(11), 0x11, NULL, 200 },
	{ NET(12), 0x12, NULL, 200 },
	{ NET(13), 0x13, NULL, 200 },
	{ NET(14), 0x14, NULL, 200 },
	{ NET(15), 0x15, NULL, 200 },
	{ NET(20), 0x20, NULL, 200 },
	{ NET(20), 0x20, NULL, 350 },
	{ NET(30), 0x30, NULL, 200 },
	{ NET(30), 0x31, NULL, 350 },
	{ NET(40), 0x40, NULL, 200 },
	{ NET(41), 0x40, NULL, 200 },
	{ NET(50), 0x50, mismatch_src, 200 },
	/* .60 answers 150 ms late (the extra 0.5 ms keeps its replies off
	 * the 1 ms request grid so no two frames share a timestamp) */
	{ NET(60), 0x60, NULL, 150 * MS + 500 },
};

static void
case_lab_sweep(struct cap *c)
{
	uint32_t ips[256], retry[256], sus[2] = { NET(20), NET(30) };
	bool answered[256] = { false };
	int64_t sent_at[256] = { 0 }, t;
	size_t n = range(ips, 1, 254), nr = 0;
	size_t nl = sizeof(lab_hosts) / sizeof(lab_hosts[0]);

	/* The pass: .60 is slow and misses it (its late answer is below). */
	t = pass(c, 0, ips, n, lab_hosts, nl - 1, answered, NULL);
	for (size_t i = 0; i < n; i++)
		if (!answered[ips[i] & 0xff])
			retry[nr++] = ips[i];
	t = pass(c, t + 100 * MS, retry, nr, lab_hosts, nl, answered, sent_at);
	/* The answer to .60's first request lands after its retry, as in
	 * slow-host.pcap; the retry's own answer follows 150 ms after it. */
	host_reply(c, sent_at[60] + 50 * MS + 500, NET(60), NULL);
	confirm(c, t, sus, 2, 3, lab_hosts, nl);
}

/*
 * ARP poisoning: .66 (…:66) answers our request for its own address and
 * also for the gateway .254, whose own MAC (…:fe) answers too; meanwhile
 * .66 tells .10 unsolicited that .254 is at …:66.
 */
static const struct responder spoof_hosts[] = {
	{ NET(10), 0x10, NULL, 200 },
	{ NET(11), 0x11, NULL, 200 },
	{ NET(66), 0x66, NULL, 200 },
	{ NET(254), 0xfe, NULL, 200 },
	{ NET(254), 0x66, NULL, 350 },
};

static void
case_spoof_gateway(struct cap *c)
{
	uint32_t ips[256];
	size_t n = range(ips, 2, 254);
	uint8_t m66[6], m10[6];
	struct arp a;

	mac_last(0x66, m66);
	mac_last(0x10, m10);
	pass(c, 0, ips, n, spoof_hosts, sizeof(spoof_hosts) /
	    sizeof(spoof_hosts[0]), NULL, NULL);
	for (int k = 0; k < 3; k++) {
		a = arp_ipv4(2, m66, NET(254), m10, NET(10));
		send_arp(c, 100 * MS + k * 1000 * MS + 500, m10, &a, NULL);
	}
}

/*
 * A machine in the middle relaying: .66 (…:66) answers for itself, and the
 * answer for .11 (sha …:11) reaches us under .66's Ethernet source.
 */
static const uint8_t relay_src[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x66 };
static const struct responder relay_hosts[] = {
	{ NET(10), 0x10, NULL, 200 },
	{ NET(11), 0x11, relay_src, 200 },
	{ NET(66), 0x66, NULL, 200 },
};

static void
case_spoof_relay(struct cap *c)
{
	uint32_t ips[3] = { NET(10), NET(11), NET(66) };

	pass(c, 0, ips, 3, relay_hosts, 3, NULL, NULL);
}

/*
 * A flood beside real answers: a pass over .1-.30 answered by .10-.15;
 * meanwhile one Ethernet source (02:00:00:00:f1:0d) sends 300 unsolicited
 * replies, each from a new random MAC for a random 198.18.0.0/16 address to
 * a random MAC, and 24 forged "answers" to us for .10 from new MACs.
 */
static const uint8_t flood_src[6] = { 0x02, 0x00, 0x00, 0x00, 0xf1, 0x0d };

static uint32_t
lcg(uint32_t *x)
{
	*x = *x * 1103515245u + 12345u;
	return *x >> 8;
}

static void
case_flood_beside(struct cap *c)
{
	uint32_t ips[256], x = 8;
	size_t n = range(ips, 1, 30);
	struct responder hosts[6];
	struct l2 o = { .eth_src = flood_src };
	uint8_t sha[6], tha[6];
	struct arp a;

	for (unsigned i = 0; i < 6; i++)
		hosts[i] = (struct responder){ NET(10 + i),
		    (uint8_t)(0x10 + i), NULL, 200 };
	pass(c, 0, ips, n, hosts, 6, NULL, NULL);
	for (unsigned i = 0; i < 324; i++) {
		uint32_t r = lcg(&x);
		sha[0] = 0x02;
		sha[1] = 0x00;
		sha[2] = 0x01;
		sha[3] = (uint8_t)(i >> 8);
		sha[4] = (uint8_t)i;
		sha[5] = (uint8_t)r;
		memcpy(tha, sha, 6);
		tha[2] = 0x02;
		if (i < 24)
			a = arp_ipv4(2, sha, NET(10), scanner_mac, SCANNER_IP);
		else
			a = arp_ipv4(2, sha, 0xc6120000u | (r & 0xffff), tha,
			    0xc6120000u | (lcg(&x) & 0xffff));
		send_arp(c, 9 * MS + 300 + i * 50, i < 24 ? scanner_mac : tha,
		    &a, &o);
	}
}

/*
 * A big port: an uplink with 1000 real hosts behind it, 198.18.4.1 to
 * 198.18.7.232, each with its own MAC (52:54:00:00:HH:LL from the address)
 * and frames under its own source. Each announces itself once
 * (gratuitous), then answers our request for it. Not a flood.
 */
static void
case_big_port(struct cap *c)
{
	uint8_t mac[6];
	struct arp a;

	for (unsigned i = 0; i < 1000; i++) {
		uint32_t ip = IP4(198, 18, 4, 0) + 1 + i;
		mac_last(0, mac);
		mac[4] = (uint8_t)(ip >> 8);
		mac[5] = (uint8_t)ip;
		a = arp_ipv4(1, mac, ip, zero_mac, ip);
		send_arp(c, (int64_t)i * 100, bcast, &a, NULL);
		request(c, 200 * MS + (int64_t)i * 200, ip, NULL);
		reply(c, 200 * MS + (int64_t)i * 200 + 100, ip, mac, NULL);
	}
}

struct gencase {
	const char	*file;
	int		link;
	enum format	fmt;
	void		(*fn)(struct cap *);
};

static const struct gencase cases[] = {
	{ "plain-reply.pcap", DLT_EN10MB, FMT_PCAP, case_plain },
	{ "padded-reply.pcap", DLT_EN10MB, FMT_PCAP, case_padded },
	{ "vlan.pcap", DLT_EN10MB, FMT_PCAP, case_vlan },
	{ "qinq.pcap", DLT_EN10MB, FMT_PCAP, case_qinq },
	{ "llc-snap.pcap", DLT_EN10MB, FMT_PCAP, case_llc_snap },
	{ "ieee802.pcap", DLT_EN10MB, FMT_PCAP, case_ieee802 },
	{ "sll.pcap", DLT_LINUX_SLL, FMT_PCAP, case_plain },
	{ "sll2.pcap", DLT_LINUX_SLL2, FMT_PCAP, case_plain },
	{ "plain-reply.pcapng", DLT_EN10MB, FMT_PCAPNG, case_plain },
	{ "bogus.pcap", DLT_EN10MB, FMT_PCAP, case_bogus },
	{ "twin.pcap", DLT_EN10MB, FMT_PCAP, case_twin },
	{ "ip-conflict.pcap", DLT_EN10MB, FMT_PCAP, case_ip_conflict },
	{ "shared-mac.pcap", DLT_EN10MB, FMT_PCAP, case_shared_mac },
	{ "frame-mismatch.pcap", DLT_EN10MB, FMT_PCAP, case_frame_mismatch },
	{ "slow-host.pcap", DLT_EN10MB, FMT_PCAP, case_slow_host },
	{ "double-reply.pcap", DLT_EN10MB, FMT_PCAP, case_double_reply },
	{ "unsolicited.pcap", DLT_EN10MB, FMT_PCAP, case_unsolicited },
	{ "gratuitous.pcap", DLT_EN10MB, FMT_PCAP, case_gratuitous },
	{ "lab-sweep.pcap", DLT_EN10MB, FMT_PCAP, case_lab_sweep },
	{ "spoof-gateway.pcap", DLT_EN10MB, FMT_PCAP, case_spoof_gateway },
	{ "spoof-relay.pcap", DLT_EN10MB, FMT_PCAP, case_spoof_relay },
	{ "flood-beside.pcap", DLT_EN10MB, FMT_PCAP, case_flood_beside },
	{ "big-port.pcap", DLT_EN10MB, FMT_PCAP, case_big_port },
};

/* ---- writers ---- */

static int
event_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t_us != y->t_us)
		return x->t_us < y->t_us ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
write_pcap(const struct cap *c, const char *path)
{
	pcap_t *p;
	pcap_dumper_t *d;

	p = pcap_open_dead_with_tstamp_precision(c->link, SNAPLEN,
	    PCAP_TSTAMP_PRECISION_MICRO);
	if (p == NULL) {
		fprintf(stderr, "genpcaps: %s: libpcap refused link type %d\n",
		    path, c->link);
		return -1;
	}
	d = pcap_dump_open(p, path);
	if (d == NULL) {
		fprintf(stderr, "genpcaps: %s\n", pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct event *e = &c->ev[i];
		struct pcap_pkthdr h;

		memset(&h, 0, sizeof(h));
		h.ts.tv_sec = (time_t)(T0_SEC + e->t_us / 1000000);
		h.ts.tv_usec = (suseconds_t)(e->t_us % 1000000);
		h.caplen = (bpf_u_int32)e->caplen;
		h.len = (bpf_u_int32)e->wirelen;
		pcap_dump((u_char *)d, &h, e->data);
	}
	if (pcap_dump_flush(d) != 0) {
		fprintf(stderr, "genpcaps: cannot write %s: %s\n", path,
		    strerror(errno));
		pcap_dump_close(d);
		pcap_close(p);
		return -1;
	}
	pcap_dump_close(d);
	pcap_close(p);
	return 0;
}

/* pcapng is written little-endian whatever the host is, so the bytes match. */
static void
le16(FILE *f, uint16_t v)
{
	fputc(v & 0xff, f);
	fputc(v >> 8, f);
}

static void
le32(FILE *f, uint32_t v)
{
	le16(f, (uint16_t)v);
	le16(f, (uint16_t)(v >> 16));
}

static int
write_pcapng(const struct cap *c, const char *path)
{
	static const char app[] = "arpsweep genpcaps";
	size_t applen = sizeof(app) - 1, apppad = (applen + 3) & ~(size_t)3;
	uint32_t shblen = (uint32_t)(28 + 4 + apppad + 4);
	bool bad;
	FILE *f = fopen(path, "wb");

	if (f == NULL) {
		fprintf(stderr, "genpcaps: cannot create %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	/* Section Header Block, with shb_userappl so the origin is visible. */
	le32(f, 0x0a0d0d0a);
	le32(f, shblen);
	le32(f, 0x1a2b3c4d);
	le16(f, 1);
	le16(f, 0);
	le32(f, 0xffffffff);		/* section length unknown (-1) */
	le32(f, 0xffffffff);
	le16(f, 4);			/* shb_userappl */
	le16(f, (uint16_t)applen);
	fwrite(app, 1, applen, f);
	for (size_t i = applen; i < apppad; i++)
		fputc(0, f);
	le16(f, 0);			/* opt_endofopt */
	le16(f, 0);
	le32(f, shblen);
	/* Interface Description Block: microsecond stamps are the default. */
	le32(f, 1);
	le32(f, 20);
	le16(f, (uint16_t)c->link);
	le16(f, 0);
	le32(f, SNAPLEN);
	le32(f, 20);
	for (size_t i = 0; i < c->n; i++) {
		const struct event *e = &c->ev[i];
		uint64_t ts = (uint64_t)T0_SEC * 1000000u + (uint64_t)e->t_us;
		size_t pad = (e->caplen + 3) & ~(size_t)3;
		uint32_t blen = (uint32_t)(32 + pad);

		le32(f, 6);		/* Enhanced Packet Block */
		le32(f, blen);
		le32(f, 0);		/* interface 0 */
		le32(f, (uint32_t)(ts >> 32));
		le32(f, (uint32_t)ts);
		le32(f, (uint32_t)e->caplen);
		le32(f, (uint32_t)e->wirelen);
		fwrite(e->data, 1, e->caplen, f);
		for (size_t j = e->caplen; j < pad; j++)
			fputc(0, f);
		le32(f, blen);
	}
	bad = ferror(f) != 0;
	if (fclose(f) != 0)
		bad = true;
	if (bad) {
		fprintf(stderr, "genpcaps: cannot write %s: %s\n", path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	const char *dir;

	if (argc != 2) {
		fprintf(stderr, "usage: genpcaps DIR\n");
		return 2;
	}
	dir = argv[1];
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "genpcaps: cannot create %s: %s\n", dir,
		    strerror(errno));
		return 1;
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct gencase *g = &cases[i];
		char path[4096];
		struct cap c;
		int r;

		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    g->file) >= sizeof(path))
			die("directory name too long");
		cap_init(&c, g->link);
		g->fn(&c);
		if (c.n > 0)
			qsort(c.ev, c.n, sizeof(c.ev[0]), event_cmp);
		r = g->fmt == FMT_PCAPNG ? write_pcapng(&c, path) :
		    write_pcap(&c, path);
		free(c.ev);
		/* The writers said what failed; later files would fail alike. */
		if (r != 0)
			return 1;
	}
	return 0;
}
