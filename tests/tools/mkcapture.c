/* mkcapture: writes a large synthetic ARP sweep capture (same bytes on every run) for the replay benchmark. */
/* libpcap's headers need the BSD u_char/u_int types, hidden by plain -std=c11. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

/*
 * The traffic of a scanner at 198.18.0.1 sweeping 198.18.0.0/16 over and
 * over: one broadcast request per host address, in ascending order, 20 us apart;
 * one in HOST_EVERY addresses answers 10 us later. Some hosts make
 * duplicates: a second MAC answering for the same IP (an IP conflict) or the
 * same reply twice (a repeated reply). Passes are 1 s apart, each a new
 * request round, until the frame count is reached. Timestamps start at
 * 2026-01-01T00:00:00Z so the file never depends on the clock.
 */
#define T0_SEC		1767225600LL
#define REQ_GAP_US	20
#define REPLY_US	10
#define DUP_US		15
#define PASS_GAP_US	1000000LL
#define HOST_EVERY	16
#define HOST_PHASE	5
#define CONFLICT_EVERY	97		/* every 97th host: two MACs */
#define REPEAT_EVERY	89		/* every 89th host: the reply twice */
#define NET		0xc6120000u	/* 198.18.0.0/16 */
#define SCANNER_IP	(NET | 1u)
#define REQ_LEN		42
#define REPLY_LEN	60		/* padded to the Ethernet minimum */
#define MAX_FRAMES	100000000ull

static const uint8_t scanner_mac[6] = { 0x52, 0x54, 0x00, 0x00, 0x00, 0x01 };

struct writer {
	pcap_dumper_t	*d;
	uint64_t	left;		/* frames still to write */
	int64_t		t_us;		/* time of the current request */
};

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* A host's MAC from its offset in the /16; `alt` gives the conflicting one. */
static void
host_mac(uint32_t off, bool alt, uint8_t mac[6])
{
	mac[0] = alt ? 0x02 : 0x52;
	mac[1] = 0x54;
	mac[2] = 0x00;
	mac[3] = alt ? 0xbb : 0xaa;
	mac[4] = (uint8_t)(off >> 8);
	mac[5] = (uint8_t)off;
}

static void
build_arp(uint8_t *f, size_t len, const uint8_t *dst, const uint8_t *src,
    uint16_t op, uint32_t spa, const uint8_t *tha, uint32_t tpa)
{
	memset(f, 0, len);
	memcpy(f, dst, 6);
	memcpy(f + 6, src, 6);
	put_be16(f + 12, 0x0806);
	put_be16(f + 14, 1);
	put_be16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	put_be16(f + 20, op);
	memcpy(f + 22, src, 6);
	put_be32(f + 28, spa);
	memcpy(f + 32, tha, 6);
	put_be32(f + 38, tpa);
}

/* False once the frame budget is spent. */
static bool
emit(struct writer *w, const uint8_t *f, size_t len, int64_t t_us)
{
	struct pcap_pkthdr h;

	if (w->left == 0)
		return false;
	h.ts.tv_sec = (time_t)(T0_SEC + t_us / 1000000);
	h.ts.tv_usec = (suseconds_t)(t_us % 1000000);
	h.caplen = (bpf_u_int32)len;
	h.len = (bpf_u_int32)len;
	pcap_dump((u_char *)w->d, &h, f);
	w->left--;
	return true;
}

static bool
emit_reply(struct writer *w, uint32_t off, bool alt, int64_t t_us)
{
	uint8_t f[REPLY_LEN], mac[6];

	host_mac(off, alt, mac);
	build_arp(f, sizeof(f), scanner_mac, mac, 2, NET | off, scanner_mac,
	    SCANNER_IP);
	return emit(w, f, sizeof(f), t_us);
}

/* One request for NET|off and whatever answers it. */
static bool
emit_target(struct writer *w, uint32_t off)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	uint8_t f[REQ_LEN];
	uint32_t host;
	int64_t t = w->t_us;

	build_arp(f, sizeof(f), bcast, scanner_mac, 1, SCANNER_IP, zero,
	    NET | off);
	w->t_us += REQ_GAP_US;
	if (!emit(w, f, sizeof(f), t))
		return false;
	if (off % HOST_EVERY != HOST_PHASE)
		return true;
	host = off / HOST_EVERY;
	if (!emit_reply(w, off, false, t + REPLY_US))
		return false;
	if (host % CONFLICT_EVERY == 0)
		return emit_reply(w, off, true, t + DUP_US);
	if (host % REPEAT_EVERY == 1)
		return emit_reply(w, off, false, t + DUP_US);
	return true;
}

/*
 * -F: an ARP flood through a /24 sweep, for the memory bound. The scanner
 * asks 198.18.0.1-254 once, 1 ms apart; .10-.29 answer 0.2 ms later. Over
 * 8 s, FRAMES forged replies from one Ethernet source (02:00:00:00:f1:0d),
 * each with a new random sender MAC: even ones "answer" us for a random
 * /24 address (matched once the scanner asked it), odd ones announce a
 * random 198.18.0.0/16 address to a random MAC. xorshift, fixed seed.
 */
#define FLOOD_NET	0xc6120000u
#define FLOOD_US	8000000LL

static uint64_t
xorshift(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void
flood(struct writer *w, uint64_t n)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero[6];
	static const uint8_t src[6] = { 0x02, 0x00, 0x00, 0x00, 0xf1, 0x0d };
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	uint8_t f[REPLY_LEN], mac[6], tha[6];
	unsigned next = 1;

	w->left = UINT64_MAX;		/* n forged frames plus the sweep's */
	for (uint64_t i = 0; i < n; i++) {
		int64_t t = (int64_t)(i * (uint64_t)FLOOD_US / n);
		/* The sweep's own frames, in time order with the flood. */
		while (next <= 254 && (int64_t)(next - 1) * 1000 <= t) {
			build_arp(f, REQ_LEN, bcast, scanner_mac, 1, SCANNER_IP,
			    zero, FLOOD_NET | next);
			emit(w, f, REQ_LEN, (int64_t)(next - 1) * 1000);
			if (next >= 10 && next <= 29) {
				host_mac(next, false, mac);
				build_arp(f, sizeof(f), scanner_mac, mac, 2,
				    FLOOD_NET | next, scanner_mac, SCANNER_IP);
				emit(w, f, sizeof(f),
				    (int64_t)(next - 1) * 1000 + 200);
			}
			next++;
		}
		uint64_t r = xorshift(&rng);
		memcpy(mac, src, 2);
		memcpy(mac + 2, &r, 4);
		mac[0] = 0x02;
		if (i % 2 == 0) {
			build_arp(f, sizeof(f), scanner_mac, mac, 2,
			    FLOOD_NET | (uint32_t)(1 + (r >> 32) % 254),
			    scanner_mac, SCANNER_IP);
		} else {
			memcpy(tha, mac, 6);
			tha[5] ^= 0x55;
			build_arp(f, sizeof(f), tha, mac, 2,
			    FLOOD_NET | (uint32_t)((r >> 32) & 0xffff), tha,
			    FLOOD_NET | (uint32_t)((r >> 48) & 0xffff));
		}
		memcpy(f + 6, src, 6);		/* one Ethernet source */
		emit(w, f, sizeof(f), t);
	}
}

int
main(int argc, char **argv)
{
	struct writer w = { .left = 1000000 };
	const char *path = NULL;
	bool flood_mode = false;
	pcap_t *p;
	char *end;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-n") == 0 && i + 1 < argc) {
			errno = 0;
			w.left = strtoull(argv[++i], &end, 10);
			if (errno != 0 || *end != '\0' || argv[i][0] == '-' ||
			    w.left == 0 || w.left > MAX_FRAMES) {
				fprintf(stderr, "mkcapture: -n wants 1..%llu\n",
				    MAX_FRAMES);
				return 2;
			}
		} else if (strcmp(argv[i], "-F") == 0) {
			flood_mode = true;
		} else if (path == NULL && argv[i][0] != '-') {
			path = argv[i];
		} else {
			path = NULL;
			break;
		}
	}
	if (path == NULL) {
		fprintf(stderr, "usage: mkcapture [-F] [-n FRAMES] FILE\n"
		    "  writes FRAMES (default 1000000) frames of repeated ARP "
		    "sweeps of 198.18.0.0/16\n"
		    "  -F: FRAMES forged replies from one source over 8 s, "
		    "through one /24 sweep\n");
		return 2;
	}
	p = pcap_open_dead(DLT_EN10MB, 65535);
	if (p == NULL) {
		fprintf(stderr, "mkcapture: pcap_open_dead failed\n");
		return 1;
	}
	w.d = pcap_dump_open(p, path);
	if (w.d == NULL) {
		fprintf(stderr, "mkcapture: %s: %s\n", path, pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	if (flood_mode)
		flood(&w, w.left);
	for (; !flood_mode;) {
		bool more = true;

		for (uint32_t off = 1; off < 0xffff && more; off++) {
			if (off == (SCANNER_IP & 0xffff))
				continue;
			more = emit_target(&w, off);
		}
		if (!more)
			break;
		w.t_us += PASS_GAP_US;
	}
	if (pcap_dump_flush(w.d) == -1) {
		fprintf(stderr, "mkcapture: %s: write failed\n", path);
		pcap_dump_close(w.d);
		pcap_close(p);
		return 1;
	}
	pcap_dump_close(w.d);
	pcap_close(p);
	return 0;
}
