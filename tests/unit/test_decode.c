/* Unit tests for capture/decode.c (byte arrays) and capture/capture.c (small pcap files). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "../../capture/capture.h"
#include "../../capture/atomic_out.h"
#include "../../capture/decode.h"

/* Host A asks for B; B answers. Addresses from 198.18.0.0/15. */
#define MAC_A		0x02, 0x00, 0x5e, 0x00, 0x00, 0x0a
#define MAC_B		0x02, 0x00, 0x5e, 0x00, 0x00, 0x0b
#define MAC_BCAST	0xff, 0xff, 0xff, 0xff, 0xff, 0xff
#define MAC_ZERO	0x00, 0x00, 0x00, 0x00, 0x00, 0x00
#define IP_A		0xc6, 0x12, 0x00, 0x0a	/* 198.18.0.10 */
#define IP_B		0xc6, 0x12, 0x01, 0x0b	/* 198.18.1.11 */
#define IP_A_HOST	0xc612000aU
#define IP_B_HOST	0xc612010bU
#define ETHERTYPE_ARP_B	0x08, 0x06
#define ARP_FIXED(op)	0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, (op)
/* 28-byte ARP bodies. */
#define ARP_REQUEST	ARP_FIXED(1), MAC_A, IP_A, MAC_ZERO, IP_B
#define ARP_REPLY	ARP_FIXED(2), MAC_B, IP_B, MAC_A, IP_A
#define SNAP_ARP	0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x06

static const uint8_t eth_request[] = {
	MAC_BCAST, MAC_A, ETHERTYPE_ARP_B, ARP_REQUEST
};

static const uint8_t eth_reply[] = {
	MAC_A, MAC_B, ETHERTYPE_ARP_B, ARP_REPLY
};

/* A real NIC pads to 60 bytes; some pad with garbage. */
static const uint8_t eth_reply_padded[] = {
	MAC_A, MAC_B, ETHERTYPE_ARP_B, ARP_REPLY,
	0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55,
	0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa, 0x55, 0xaa
};

/* PCP 7 + DEI set: the VID must be masked out of the TCI. */
static const uint8_t eth_reply_vlan4095[] = {
	MAC_A, MAC_B, 0x81, 0x00, 0xff, 0xff, ETHERTYPE_ARP_B, ARP_REPLY
};

/* 802.1ad S-tag 200 outside an 802.1Q C-tag 2001. */
static const uint8_t eth_reply_qinq[] = {
	MAC_A, MAC_B, 0x88, 0xa8, 0x00, 0xc8, 0x81, 0x00, 0x07, 0xd1,
	ETHERTYPE_ARP_B, ARP_REPLY
};

static const uint8_t eth_reply_three_tags[] = {
	MAC_A, MAC_B, 0x88, 0xa8, 0x00, 0xc8, 0x81, 0x00, 0x07, 0xd1,
	0x81, 0x00, 0x00, 0x05, ETHERTYPE_ARP_B, ARP_REPLY
};

/* 802.3 length 36 = SNAP header + ARP body. */
static const uint8_t llc_reply[] = {
	MAC_A, MAC_B, 0x00, 0x24, SNAP_ARP, ARP_REPLY
};

static const uint8_t llc_reply_vlan100[] = {
	MAC_A, MAC_B, 0x81, 0x00, 0x00, 0x64, 0x00, 0x24, SNAP_ARP, ARP_REPLY
};

/* Hardware type 6 (IEEE 802): LLC/SNAP as RFC 1042 frames it, and the
 * same body in Ethernet II, which Linux accepts too. */
#define ARP_REPLY_IEEE802 0x00, 0x06, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, \
			MAC_B, IP_B, MAC_A, IP_A
static const uint8_t llc_reply_ieee802[] = {
	MAC_A, MAC_B, 0x00, 0x24, SNAP_ARP, ARP_REPLY_IEEE802
};

static const uint8_t eth_reply_ieee802[] = {
	MAC_A, MAC_B, ETHERTYPE_ARP_B, ARP_REPLY_IEEE802
};

static const uint8_t sll_reply_ieee802[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06, MAC_B, 0x00, 0x00,
	ETHERTYPE_ARP_B, ARP_REPLY_IEEE802
};

/* SLL: pkttype 4 (outgoing), hatype 1, halen 6, addr padded to 8. */
static const uint8_t sll_reply[] = {
	0x00, 0x04, 0x00, 0x01, 0x00, 0x06, MAC_B, 0x00, 0x00,
	ETHERTYPE_ARP_B, ARP_REPLY
};

/* SLL with the tag libpcap re-inserts after the cooked header. */
static const uint8_t sll_reply_vlan100[] = {
	0x00, 0x00, 0x00, 0x01, 0x00, 0x06, MAC_B, 0x00, 0x00,
	0x81, 0x00, 0x00, 0x64, ETHERTYPE_ARP_B, ARP_REPLY
};

/* SLL2: protocol, reserved, ifindex 7, hatype 1, pkttype 1, halen 6. */
static const uint8_t sll2_reply[] = {
	ETHERTYPE_ARP_B, 0x00, 0x00, 0x00, 0x00, 0x00, 0x07,
	0x00, 0x01, 0x01, 0x06, MAC_B, 0x00, 0x00, ARP_REPLY
};

static const uint8_t eth_ipv4[] = {
	MAC_A, MAC_B, 0x08, 0x00,
	0x45, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x01, 0x00, 0x00,
	IP_B, IP_A, 0x08, 0x00, 0xf7, 0xff, 0x00, 0x00, 0x00, 0x00
};

/* AppleTalk AARP in SNAP (OUI 08:00:07, type 0x80f3): looks like ARP. */
static const uint8_t eth_aarp_snap[] = {
	MAC_BCAST, MAC_A, 0x00, 0x24,
	0xaa, 0xaa, 0x03, 0x08, 0x00, 0x07, 0x80, 0xf3,
	0x00, 0x01, 0x80, 0x9b, 0x06, 0x04, 0x00, 0x01,
	MAC_A, 0x00, 0x00, 0x01, 0x01, MAC_ZERO, 0x00, 0x00, 0x01, 0x02
};

static const uint8_t mac_a[6] = { MAC_A };
static const uint8_t mac_b[6] = { MAC_B };
static const uint8_t mac_bcast[6] = { MAC_BCAST };
static const uint8_t mac_zero[6] = { MAC_ZERO };

/* Decode a copy in a heap buffer of exactly len bytes, so ASan catches
 * any read past the capture. */
static enum decode_status
decode_exact(int link, const uint8_t *pkt, size_t len, struct arp_frame *f)
{
	uint8_t *buf = malloc(len > 0 ? len : 1);
	enum decode_status st;

	assert_non_null(buf);
	if (len > 0)
		memcpy(buf, pkt, len);
	st = arp_decode(link, buf, len, f);
	free(buf);
	return st;
}

static void
expect_reply_body(const struct arp_frame *f)
{
	assert_int_equal(f->op, ARP_OP_REPLY);
	assert_memory_equal(f->sha, mac_b, 6);
	assert_memory_equal(f->tha, mac_a, 6);
	assert_int_equal(f->spa, IP_B_HOST);
	assert_int_equal(f->tpa, IP_A_HOST);
}

static void
expect_eth_reply(const struct arp_frame *f)
{
	expect_reply_body(f);
	assert_true(f->has_frame_src);
	assert_true(f->has_frame_dst);
	assert_memory_equal(f->frame_src, mac_b, 6);
	assert_memory_equal(f->frame_dst, mac_a, 6);
	assert_int_equal(f->pkttype, PKTTYPE_UNKNOWN);
	assert_int_equal(f->ifindex, IFINDEX_NONE);
}

static void
test_eth_request(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0xa5, sizeof(f));
	f.ts_ns = 42;
	assert_int_equal(decode_exact(LINK_EN10MB, eth_request,
	    sizeof(eth_request), &f), DECODE_ARP);
	assert_int_equal(f.ts_ns, 42);	/* left to the caller */
	assert_int_equal(f.op, ARP_OP_REQUEST);
	assert_memory_equal(f.sha, mac_a, 6);
	assert_memory_equal(f.tha, mac_zero, 6);
	assert_int_equal(f.spa, IP_A_HOST);
	assert_int_equal(f.tpa, IP_B_HOST);
	assert_true(f.has_frame_src);
	assert_true(f.has_frame_dst);
	assert_memory_equal(f.frame_src, mac_a, 6);
	assert_memory_equal(f.frame_dst, mac_bcast, 6);
	assert_int_equal(f.vlan, VLAN_NONE);
	assert_int_equal(f.outer_vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 0);
	assert_int_equal(f.framing, FRAMING_ETHERNET);
	assert_int_equal(f.pkttype, PKTTYPE_UNKNOWN);
	assert_int_equal(f.ifindex, IFINDEX_NONE);
}

static void
test_eth_reply(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, eth_reply,
	    sizeof(eth_reply), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.vlan, VLAN_NONE);
	assert_int_equal(f.outer_vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 0);
	assert_int_equal(f.framing, FRAMING_ETHERNET);
}

static void
test_eth_padded(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(sizeof(eth_reply_padded), 60);
	assert_int_equal(decode_exact(LINK_EN10MB, eth_reply_padded,
	    sizeof(eth_reply_padded), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.framing, FRAMING_ETHERNET);
}

static void
test_vlan_4095(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, eth_reply_vlan4095,
	    sizeof(eth_reply_vlan4095), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.vlan, 4095);
	assert_int_equal(f.outer_vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 1);
	assert_int_equal(f.framing, FRAMING_ETHERNET);
}

static void
test_qinq(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, eth_reply_qinq,
	    sizeof(eth_reply_qinq), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.vlan, 2001);
	assert_int_equal(f.outer_vlan, 200);
	assert_int_equal(f.ntags, 2);
}

static void
test_three_tags_other(void **state)
{
	struct arp_frame f;

	(void)state;
	assert_int_equal(decode_exact(LINK_EN10MB, eth_reply_three_tags,
	    sizeof(eth_reply_three_tags), &f), DECODE_OTHER);
}

static void
test_llc_snap(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, llc_reply,
	    sizeof(llc_reply), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.framing, FRAMING_LLC_SNAP);
	assert_int_equal(f.vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 0);
}

static void
test_llc_snap_vlan(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, llc_reply_vlan100,
	    sizeof(llc_reply_vlan100), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.framing, FRAMING_LLC_SNAP);
	assert_int_equal(f.vlan, 100);
	assert_int_equal(f.outer_vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 1);
}

static void
test_sll(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0xa5, sizeof(f));
	assert_int_equal(decode_exact(LINK_LINUX_SLL, sll_reply,
	    sizeof(sll_reply), &f), DECODE_ARP);
	expect_reply_body(&f);
	assert_true(f.has_frame_src);
	assert_false(f.has_frame_dst);
	assert_memory_equal(f.frame_src, mac_b, 6);
	assert_memory_equal(f.frame_dst, mac_zero, 6);
	assert_int_equal(f.framing, FRAMING_SLL);
	assert_int_equal(f.pkttype, PKTTYPE_OUTGOING);
	assert_int_equal(f.ifindex, IFINDEX_NONE);
	assert_int_equal(f.vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 0);
}

static void
test_sll_no_mac(void **state)
{
	uint8_t pkt[sizeof(sll_reply)];
	struct arp_frame f;

	(void)state;
	memcpy(pkt, sll_reply, sizeof(pkt));
	pkt[5] = 0;	/* halen 0: no usable link address */
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_LINUX_SLL, pkt, sizeof(pkt), &f),
	    DECODE_ARP);
	assert_false(f.has_frame_src);
	expect_reply_body(&f);
}

static void
test_sll_vlan(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_LINUX_SLL, sll_reply_vlan100,
	    sizeof(sll_reply_vlan100), &f), DECODE_ARP);
	expect_reply_body(&f);
	assert_int_equal(f.framing, FRAMING_SLL);
	assert_int_equal(f.pkttype, 0);
	assert_int_equal(f.vlan, 100);
	assert_int_equal(f.outer_vlan, VLAN_NONE);
	assert_int_equal(f.ntags, 1);
}

static void
test_sll2(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(sizeof(sll2_reply), 48);
	assert_int_equal(decode_exact(LINK_LINUX_SLL2, sll2_reply,
	    sizeof(sll2_reply), &f), DECODE_ARP);
	expect_reply_body(&f);
	assert_true(f.has_frame_src);
	assert_false(f.has_frame_dst);
	assert_memory_equal(f.frame_src, mac_b, 6);
	assert_int_equal(f.framing, FRAMING_SLL2);
	assert_int_equal(f.ifindex, 7);
	assert_int_equal(f.pkttype, 1);
	assert_int_equal(f.vlan, VLAN_NONE);
}

static void
test_ieee802(void **state)
{
	struct arp_frame f;

	(void)state;
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, llc_reply_ieee802,
	    sizeof(llc_reply_ieee802), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.framing, FRAMING_LLC_SNAP);
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_EN10MB, eth_reply_ieee802,
	    sizeof(eth_reply_ieee802), &f), DECODE_ARP);
	expect_eth_reply(&f);
	assert_int_equal(f.framing, FRAMING_ETHERNET);
	memset(&f, 0, sizeof(f));
	assert_int_equal(decode_exact(LINK_LINUX_SLL, sll_reply_ieee802,
	    sizeof(sll_reply_ieee802), &f), DECODE_ARP);
	expect_reply_body(&f);
	assert_int_equal(f.framing, FRAMING_SLL);
}

struct fixture {
	const char	*name;
	int		link;
	const uint8_t	*pkt;
	size_t		len;
};

#define FIX(link, a)	{ #a, (link), (a), sizeof(a) }

static const struct fixture arp_fixtures[] = {
	FIX(LINK_EN10MB, eth_request),
	FIX(LINK_EN10MB, eth_reply),
	FIX(LINK_EN10MB, eth_reply_vlan4095),
	FIX(LINK_EN10MB, eth_reply_qinq),
	FIX(LINK_EN10MB, llc_reply),
	FIX(LINK_EN10MB, llc_reply_vlan100),
	FIX(LINK_LINUX_SLL, sll_reply),
	FIX(LINK_LINUX_SLL, sll_reply_vlan100),
	FIX(LINK_LINUX_SLL2, sll2_reply),
	FIX(LINK_EN10MB, llc_reply_ieee802),
	FIX(LINK_EN10MB, eth_reply_ieee802),
	FIX(LINK_LINUX_SLL, sll_reply_ieee802),
};

/* Every prefix of an ARP frame is malformed, never ARP, never a read past
 * the end, and leaves *f alone. */
static void
test_truncated(void **state)
{
	struct arp_frame f, untouched;
	size_t i, len;

	(void)state;
	memset(&untouched, 0x5a, sizeof(untouched));
	for (i = 0; i < sizeof(arp_fixtures) / sizeof(arp_fixtures[0]); i++) {
		const struct fixture *x = &arp_fixtures[i];

		for (len = 0; len < x->len; len++) {
			f = untouched;
			if (decode_exact(x->link, x->pkt, len, &f) !=
			    DECODE_MALFORMED)
				fail_msg("%s cut to %zu bytes: not malformed",
				    x->name, len);
			assert_memory_equal(&f, &untouched, sizeof(f));
		}
		assert_int_equal(decode_exact(x->link, x->pkt, x->len, &f),
		    DECODE_ARP);
	}
	/* The two minimums the spec names. */
	assert_int_equal(sizeof(eth_reply), 42);
	assert_int_equal(sizeof(sll2_reply), 48);
}

static void
test_null_packet(void **state)
{
	struct arp_frame f;

	(void)state;
	assert_int_equal(arp_decode(LINK_EN10MB, NULL, 0, &f),
	    DECODE_MALFORMED);
}

/* Mutate one byte (or two) of the reply body and expect IGNORED. */
static enum decode_status
decode_mutated(size_t body_off, uint8_t hi, uint8_t lo, size_t len)
{
	uint8_t pkt[sizeof(eth_reply)];
	struct arp_frame f;

	memcpy(pkt, eth_reply, sizeof(pkt));
	pkt[14 + body_off] = hi;
	pkt[14 + body_off + 1] = lo;
	return decode_exact(LINK_EN10MB, pkt, len, &f);
}

static void
test_ignored(void **state)
{
	(void)state;
	/* htypes other than 1 and 6: 0, 7 (ARCNET), 15 (Frame Relay),
	 * 0x0106 (a 6 in the wrong byte) */
	assert_int_equal(decode_mutated(0, 0x00, 0x00, 42), DECODE_IGNORED);
	assert_int_equal(decode_mutated(0, 0x00, 0x07, 42), DECODE_IGNORED);
	assert_int_equal(decode_mutated(0, 0x00, 0x0f, 42), DECODE_IGNORED);
	assert_int_equal(decode_mutated(0, 0x01, 0x06, 42), DECODE_IGNORED);
	assert_int_equal(decode_mutated(0, 0x06, 0x00, 42), DECODE_IGNORED);
	/* htype 6 (IEEE 802, RFC 1042) is ours, still needing all 28 bytes */
	assert_int_equal(decode_mutated(0, 0x00, 0x06, 42), DECODE_ARP);
	assert_int_equal(decode_mutated(0, 0x00, 0x06, 41), DECODE_MALFORMED);
	/* ptype 0x1000 (RFC 893 trailer) */
	assert_int_equal(decode_mutated(2, 0x10, 0x00, 42), DECODE_IGNORED);
	/* hlen 14, plen 4 */
	assert_int_equal(decode_mutated(4, 14, 4, 42), DECODE_IGNORED);
	/* plen 16 */
	assert_int_equal(decode_mutated(4, 6, 16, 42), DECODE_IGNORED);
	/* op 3 (RARP request), op 0 */
	assert_int_equal(decode_mutated(6, 0x00, 0x03, 42), DECODE_IGNORED);
	assert_int_equal(decode_mutated(6, 0x00, 0x00, 42), DECODE_IGNORED);
	/* A frame claiming hlen 14 is foreign even when short. */
	assert_int_equal(decode_mutated(4, 14, 4, 22), DECODE_IGNORED);
	assert_int_equal(decode_mutated(4, 14, 4, 30), DECODE_IGNORED);
	/* Control: the unmutated bytes give ARP. */
	assert_int_equal(decode_mutated(0, 0x00, 0x01, 42), DECODE_ARP);
}

static void
test_other(void **state)
{
	uint8_t pkt[sizeof(eth_aarp_snap)];
	struct arp_frame f;

	(void)state;
	assert_int_equal(decode_exact(LINK_EN10MB, eth_ipv4,
	    sizeof(eth_ipv4), &f), DECODE_OTHER);
	assert_int_equal(decode_exact(LINK_EN10MB, eth_aarp_snap,
	    sizeof(eth_aarp_snap), &f), DECODE_OTHER);
	/* AARP as Ethernet II 0x80f3, cut to 14 bytes (tcpdump's fixture). */
	memcpy(pkt, eth_aarp_snap, sizeof(pkt));
	pkt[12] = 0x80;
	pkt[13] = 0xf3;
	assert_int_equal(decode_exact(LINK_EN10MB, pkt, 14, &f), DECODE_OTHER);
	/* Non-SNAP 802.2 (STP BPDU: DSAP 0x42), even cut short. */
	pkt[12] = 0x00;
	pkt[13] = 0x26;
	pkt[14] = 0x42;
	pkt[15] = 0x42;
	assert_int_equal(decode_exact(LINK_EN10MB, pkt, 16, &f), DECODE_OTHER);
	/* SLL with an LLC pseudo-protocol. */
	memcpy(pkt, sll_reply, sizeof(sll_reply));
	pkt[14] = 0x00;
	pkt[15] = 0x04;
	assert_int_equal(decode_exact(LINK_LINUX_SLL, pkt, sizeof(sll_reply),
	    &f), DECODE_OTHER);
	/* A link type we do not know. */
	assert_int_equal(decode_exact(129, eth_reply, sizeof(eth_reply), &f),
	    DECODE_OTHER);
}

static void
test_link_supported(void **state)
{
	(void)state;
	assert_true(decode_link_supported(LINK_EN10MB));
	assert_true(decode_link_supported(LINK_LINUX_SLL));
	assert_true(decode_link_supported(LINK_LINUX_SLL2));
	assert_false(decode_link_supported(0));
	assert_false(decode_link_supported(129));
	/* The header's numbers must be libpcap's. */
	assert_int_equal(LINK_EN10MB, DLT_EN10MB);
	assert_int_equal(LINK_LINUX_SLL, DLT_LINUX_SLL);
	assert_int_equal(LINK_LINUX_SLL2, DLT_LINUX_SLL2);
}

/* ---- capture.c on real files ---- */

static void
tmp_path(char *buf, size_t size)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	snprintf(buf, size, "%s/test_decode.XXXXXX",
	    dir != NULL && dir[0] != '\0' ? dir : "/tmp");
	fd = mkstemp(buf);
	assert_true(fd >= 0);
	close(fd);
}

static void
dump_frame(pcap_dumper_t *d, long sec, long usec, const uint8_t *pkt,
    uint32_t caplen, uint32_t len)
{
	struct pcap_pkthdr h;

	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = sec;
	h.ts.tv_usec = usec;
	h.caplen = caplen;
	h.len = len;
	pcap_dump((u_char *)d, &h, pkt);
}

/* One reply, one IPv4 frame, one ARP request cut to 30 bytes. */
static void
write_sample(const char *path, int dlt)
{
	pcap_t *dead = pcap_open_dead(dlt, 65535);
	pcap_dumper_t *d;

	assert_non_null(dead);
	d = pcap_dump_open(dead, path);
	assert_non_null(d);
	dump_frame(d, 1700000000, 123456, eth_reply, sizeof(eth_reply),
	    sizeof(eth_reply));
	dump_frame(d, 1700000001, 0, eth_ipv4, sizeof(eth_ipv4),
	    sizeof(eth_ipv4));
	dump_frame(d, 1700000002, 0, eth_request, 30, sizeof(eth_request));
	pcap_dump_close(d);
	pcap_close(dead);
}

struct seen {
	int			calls;
	struct arp_frame	first;
	struct capture		*stop_me;
};

static void
record_cb(const struct arp_frame *f, void *user)
{
	struct seen *s = user;

	if (s->calls++ == 0)
		s->first = *f;
	if (s->stop_me != NULL)
		capture_stop(s->stop_me);
}

static void
expect_sample_stats(const struct capture_stats *st)
{
	assert_int_equal(st->frames, 3);
	assert_int_equal(st->arp, 1);
	assert_int_equal(st->other, 1);
	assert_int_equal(st->ignored, 0);
	assert_int_equal(st->malformed, 1);
	assert_int_equal(st->requests, 0);
	assert_int_equal(st->replies, 1);
	assert_int_equal(st->kernel_drops, 0);
}

static void
test_capture_file(void **state)
{
	char path[256], rec[256], err[CAPTURE_ERRBUF_SIZE] = "";
	struct seen s;
	struct capture *c;

	(void)state;
	tmp_path(path, sizeof(path));
	tmp_path(rec, sizeof(rec));
	write_sample(path, DLT_EN10MB);

	c = capture_open_file(path, err);
	if (c == NULL)
		fail_msg("%s", err);
	assert_int_equal(capture_link(c), LINK_EN10MB);
	struct atomic_out *ao = atomic_out_open(rec, (uid_t)-1, (gid_t)-1, 0,
	    err, sizeof(err));
	assert_non_null(ao);
	assert_int_equal(capture_record(c, ao, err), 0);
	memset(&s, 0, sizeof(s));
	assert_int_equal(capture_loop(c, record_cb, &s, err), 0);
	assert_int_equal(s.calls, 1);
	expect_reply_body(&s.first);
	/* Microsecond file read at nanosecond precision: exact ns. */
	assert_true(s.first.ts_ns == INT64_C(1700000000123456000));
	expect_sample_stats(capture_stats(c));
	assert_int_equal(capture_close(c, err), 0);

	/* The recording holds every frame, skipped ones included. */
	c = capture_open_file(rec, err);
	if (c == NULL)
		fail_msg("%s", err);
	memset(&s, 0, sizeof(s));
	assert_int_equal(capture_loop(c, record_cb, &s, err), 0);
	assert_int_equal(s.calls, 1);
	assert_true(s.first.ts_ns == INT64_C(1700000000123456000));
	expect_sample_stats(capture_stats(c));
	capture_close(c, NULL);
	unlink(path);
	unlink(rec);
}

static void
test_capture_stop(void **state)
{
	char path[256], err[CAPTURE_ERRBUF_SIZE] = "";
	struct seen s;
	struct capture *c;

	(void)state;
	tmp_path(path, sizeof(path));
	write_sample(path, DLT_EN10MB);
	c = capture_open_file(path, err);
	assert_non_null(c);
	memset(&s, 0, sizeof(s));
	s.stop_me = c;
	assert_int_equal(capture_loop(c, record_cb, &s, err), 0);
	assert_int_equal(capture_stats(c)->frames, 1);
	capture_close(c, NULL);
	unlink(path);
}

static void
test_capture_errors(void **state)
{
	char path[256], err[CAPTURE_ERRBUF_SIZE], want[CAPTURE_ERRBUF_SIZE];
	FILE *fp;
	struct capture *c;

	(void)state;
	assert_null(capture_open_file("/nonexistent-arpsweep/x.pcap", err));
	assert_string_equal(err, "cannot read capture "
	    "'/nonexistent-arpsweep/x.pcap': No such file or directory");

	tmp_path(path, sizeof(path));
	fp = fopen(path, "w");
	assert_non_null(fp);
	fputs("192.18.0.1 02:00:5e:00:00:0a\nnot a capture at all\n", fp);
	fclose(fp);
	assert_null(capture_open_file(path, err));
	snprintf(want, sizeof(want), "'%s' is not a pcap or pcapng capture (",
	    path);
	assert_true(strncmp(err, want, strlen(want)) == 0);
	assert_true(err[strlen(err) - 1] == ')');
	assert_null(strchr(err, '\n'));

	/* Same reply bytes, but ARCNET: refused before any decoding. */
	write_sample(path, DLT_ARCNET_LINUX);
	assert_null(capture_open_file(path, err));
	snprintf(want, sizeof(want), "'%s': link type ARCNET_LINUX (129) is "
	    "not supported; arpsweep reads Ethernet and Linux cooked (SLL, "
	    "SLL2) captures", path);
	assert_string_equal(err, want);

	write_sample(path, DLT_EN10MB);
	assert_null(atomic_out_open("/nonexistent-arpsweep/w.pcap", (uid_t)-1,
	    (gid_t)-1, 0, err, sizeof(err)));
	assert_string_equal(err, "its directory: No such file or directory");

	/* A recording dropped by a failed run leaves the previous file (here
	 * empty) as it was. */
	char rec[256];
	struct stat st;
	tmp_path(rec, sizeof(rec));
	c = capture_open_file(path, err);
	assert_non_null(c);
	struct atomic_out *ao = atomic_out_open(rec, (uid_t)-1, (gid_t)-1, 0,
	    err, sizeof(err));
	assert_non_null(ao);
	assert_int_equal(capture_record(c, ao, err), 0);
	assert_int_equal(capture_loop(c, NULL, NULL, err), 0);
	capture_record_abort(c);
	assert_int_equal(capture_close(c, err), 0);
	assert_int_equal(stat(rec, &st), 0);
	assert_int_equal(st.st_size, 0);
	unlink(rec);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_eth_request),
		cmocka_unit_test(test_eth_reply),
		cmocka_unit_test(test_eth_padded),
		cmocka_unit_test(test_vlan_4095),
		cmocka_unit_test(test_qinq),
		cmocka_unit_test(test_three_tags_other),
		cmocka_unit_test(test_llc_snap),
		cmocka_unit_test(test_llc_snap_vlan),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll_no_mac),
		cmocka_unit_test(test_sll_vlan),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_ieee802),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_null_packet),
		cmocka_unit_test(test_ignored),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_link_supported),
		cmocka_unit_test(test_capture_file),
		cmocka_unit_test(test_capture_stop),
		cmocka_unit_test(test_capture_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
