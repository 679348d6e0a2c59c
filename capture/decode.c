/* decode: bounds-checked parsing of Ethernet / Linux cooked frames into ARP observations. */
#include <string.h>

#include "decode.h"

#define ETH_HDR_LEN	14
#define SLL_HDR_LEN	16
#define SLL2_HDR_LEN	20
#define VLAN_TAG_LEN	4
#define MAX_TAGS	2
#define ARP_FIXED_LEN	8	/* htype, ptype, hlen, plen, op */
#define ARP_IPV4_LEN	28	/* fixed part + 2 * (6 + 4) */
#define ETHERTYPE_ARP	0x0806
#define ARP_HTYPE_ETHERNET 1
#define ARP_HTYPE_IEEE802 6
#define ETHERTYPE_IPV4	0x0800
#define ETHER_MAX_LEN_FIELD 1500	/* <= this is an 802.3 length, not a type */
#define LLC_SNAP_LEN	8	/* DSAP, SSAP, control, OUI[3], type[2] */

static const uint8_t llc_snap_arp[LLC_SNAP_LEN] = {
	0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x08, 0x06
};

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static bool
is_tpid(uint16_t type)
{
	return type == 0x8100 || type == 0x88a8 || type == 0x9100;
}

/*
 * Walk up to MAX_TAGS VLAN tags. On entry *type is a type field's value and
 * *off its offset (the field itself is not re-read, only what follows it);
 * on return they describe the type field after the last tag. The outermost tag comes
 * first on the wire, so with two tags the first one read is the outer one.
 */
static enum decode_status
walk_tags(const uint8_t *pkt, size_t caplen, size_t *off, uint16_t *type,
    struct arp_frame *f)
{
	uint16_t vids[MAX_TAGS];
	uint8_t n = 0;

	while (is_tpid(*type)) {
		/* A third tag is legal on the wire, but no ARP we care about
		 * travels that deep; calling it OTHER keeps VLAN fields exact. */
		if (n == MAX_TAGS)
			return DECODE_OTHER;
		/* Need the TCI and the next type field. */
		if (caplen - *off < 2 + VLAN_TAG_LEN)
			return DECODE_MALFORMED;
		vids[n++] = rd16(pkt + *off + 2) & 0x0fff;
		*off += VLAN_TAG_LEN;
		*type = rd16(pkt + *off);
	}
	f->ntags = n;
	f->vlan = n > 0 ? vids[n - 1] : VLAN_NONE;
	f->outer_vlan = n == 2 ? vids[0] : VLAN_NONE;
	return DECODE_ARP;
}

/*
 * An 802.3 payload is ARP only behind LLC/SNAP with OUI 0 and type 0x0806.
 * A capture cut inside a header that still matches so far might have been
 * ARP, so it is malformed; a mismatch in the bytes we have proves it is not.
 */
static enum decode_status
check_llc_snap(const uint8_t *pkt, size_t caplen, size_t off)
{
	size_t avail = caplen - off;
	size_t n = avail < LLC_SNAP_LEN ? avail : LLC_SNAP_LEN;

	if (memcmp(pkt + off, llc_snap_arp, n) != 0)
		return DECODE_OTHER;
	return n < LLC_SNAP_LEN ? DECODE_MALFORMED : DECODE_ARP;
}

/*
 * Hardware type 1 (Ethernet) or 6 (IEEE 802, which RFC 1042 prescribes
 * behind LLC/SNAP): both carry 6-byte MACs, and Linux answers and learns
 * from either in either framing, so a host using 6 is as real as any.
 */
static bool
is_ethernet_htype(uint16_t htype)
{
	return htype == ARP_HTYPE_ETHERNET || htype == ARP_HTYPE_IEEE802;
}

/* Parse the ARP body at pkt[off..caplen). */
static enum decode_status
decode_arp_body(const uint8_t *pkt, size_t caplen, size_t off,
    struct arp_frame *f)
{
	const uint8_t *a = pkt + off;
	size_t avail = caplen - off;
	uint16_t op;

	if (avail < ARP_FIXED_LEN)
		return DECODE_MALFORMED;
	op = rd16(a + 6);
	/* Judge what the frame claims before its length: a frame announcing
	 * 14-byte addresses is foreign, not short. */
	if (!is_ethernet_htype(rd16(a)) || rd16(a + 2) != ETHERTYPE_IPV4 ||
	    a[4] != 6 || a[5] != 4 ||
	    (op != ARP_OP_REQUEST && op != ARP_OP_REPLY))
		return DECODE_IGNORED;
	if (avail < ARP_IPV4_LEN)
		return DECODE_MALFORMED;
	f->op = op;
	memcpy(f->sha, a + 8, 6);
	f->spa = rd32(a + 14);
	memcpy(f->tha, a + 18, 6);
	f->tpa = rd32(a + 24);
	return DECODE_ARP;
}

static enum decode_status
decode_en10mb(const uint8_t *pkt, size_t caplen, struct arp_frame *f)
{
	size_t off = 12;
	uint16_t type;
	enum decode_status st;

	if (caplen < ETH_HDR_LEN)
		return DECODE_MALFORMED;
	memcpy(f->frame_dst, pkt, 6);
	memcpy(f->frame_src, pkt + 6, 6);
	f->has_frame_dst = true;
	f->has_frame_src = true;
	type = rd16(pkt + off);
	st = walk_tags(pkt, caplen, &off, &type, f);
	if (st != DECODE_ARP)
		return st;
	off += 2;
	if (type <= ETHER_MAX_LEN_FIELD) {
		st = check_llc_snap(pkt, caplen, off);
		if (st != DECODE_ARP)
			return st;
		f->framing = FRAMING_LLC_SNAP;
		off += LLC_SNAP_LEN;
	} else if (type == ETHERTYPE_ARP) {
		f->framing = FRAMING_ETHERNET;
	} else {
		return DECODE_OTHER;
	}
	return decode_arp_body(pkt, caplen, off, f);
}

/*
 * SLL and SLL2 share everything after their header: optional VLAN tags that
 * libpcap re-inserted (TCI, then the real protocol), then the payload.
 */
static enum decode_status
decode_cooked_payload(const uint8_t *pkt, size_t caplen, uint16_t proto,
    size_t hdr_len, struct arp_frame *f)
{
	/* walk_tags() expects the type field just before each TCI; put a
	 * virtual one at hdr_len - 2. It reads only from hdr_len on. */
	size_t off = hdr_len - 2;
	enum decode_status st;

	st = walk_tags(pkt, caplen, &off, &proto, f);
	if (st != DECODE_ARP)
		return st;
	/* Protocol values <= 1500 are cooked-mode pseudo types (LLC, 802.3
	 * raw, ...), never the ARP we decode. */
	if (proto != ETHERTYPE_ARP)
		return DECODE_OTHER;
	return decode_arp_body(pkt, caplen, off + 2, f);
}

static void
cooked_addr(const uint8_t *addr, unsigned halen, struct arp_frame *f)
{
	/* Only a 6-byte address is an Ethernet MAC we can compare with sha. */
	if (halen == 6) {
		memcpy(f->frame_src, addr, 6);
		f->has_frame_src = true;
	}
}

static enum decode_status
decode_sll(const uint8_t *pkt, size_t caplen, struct arp_frame *f)
{
	uint16_t pkttype;

	if (caplen < SLL_HDR_LEN)
		return DECODE_MALFORMED;
	pkttype = rd16(pkt);
	f->pkttype = pkttype < PKTTYPE_UNKNOWN ? (uint8_t)pkttype :
	    PKTTYPE_UNKNOWN;
	cooked_addr(pkt + 6, rd16(pkt + 4), f);
	f->framing = FRAMING_SLL;
	return decode_cooked_payload(pkt, caplen, rd16(pkt + 14), SLL_HDR_LEN,
	    f);
}

static enum decode_status
decode_sll2(const uint8_t *pkt, size_t caplen, struct arp_frame *f)
{
	if (caplen < SLL2_HDR_LEN)
		return DECODE_MALFORMED;
	f->ifindex = (int32_t)rd32(pkt + 4);
	f->pkttype = pkt[10];
	cooked_addr(pkt + 12, pkt[11], f);
	f->framing = FRAMING_SLL2;
	return decode_cooked_payload(pkt, caplen, rd16(pkt), SLL2_HDR_LEN, f);
}

enum decode_status
arp_decode(int link, const uint8_t *pkt, size_t caplen, struct arp_frame *f)
{
	struct arp_frame tmp;
	enum decode_status st;

	/* Build into a scratch frame so *f is untouched unless we succeed. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.ts_ns = f->ts_ns;
	tmp.vlan = VLAN_NONE;
	tmp.outer_vlan = VLAN_NONE;
	tmp.pkttype = PKTTYPE_UNKNOWN;
	tmp.ifindex = IFINDEX_NONE;
	if (pkt == NULL)
		return DECODE_MALFORMED;
	switch (link) {
	case LINK_EN10MB:
		st = decode_en10mb(pkt, caplen, &tmp);
		break;
	case LINK_LINUX_SLL:
		st = decode_sll(pkt, caplen, &tmp);
		break;
	case LINK_LINUX_SLL2:
		st = decode_sll2(pkt, caplen, &tmp);
		break;
	default:
		return DECODE_OTHER;
	}
	if (st == DECODE_ARP)
		*f = tmp;
	return st;
}

bool
decode_link_supported(int link)
{
	return link == LINK_EN10MB || link == LINK_LINUX_SLL ||
	    link == LINK_LINUX_SLL2;
}
