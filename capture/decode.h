/* decode: one captured frame (bytes + link type) -> one ARP observation. */
#ifndef ARPSWEEP_DECODE_H
#define ARPSWEEP_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link types we accept; values are libpcap DLT numbers (kept here so decode
 * stays a pure function with no libpcap dependency). */
#define LINK_EN10MB	1
#define LINK_LINUX_SLL	113
#define LINK_LINUX_SLL2	276

#define VLAN_NONE	0xffff		/* frame carried no 802.1Q/802.1ad tag */
#define IFINDEX_NONE	(-1)		/* link type carries no interface index */

enum decode_status {
	DECODE_ARP = 0,		/* a usable IPv4-over-Ethernet ARP request or reply
				   (hardware type 1, or 6 for IEEE 802) */
	DECODE_OTHER,		/* not ARP at all (IP, AARP, ...): not our business */
	DECODE_IGNORED,		/* claims to be ARP, but wrong htype/ptype/hlen/plen/op */
	DECODE_MALFORMED,	/* too short for what it claims to be */
};

enum arp_framing {
	FRAMING_ETHERNET = 0,	/* Ethernet II, ethertype 0x0806 */
	FRAMING_LLC_SNAP,	/* 802.3 length + 802.2 LLC/SNAP, type 0x0806 */
	FRAMING_SLL,		/* Linux cooked v1 */
	FRAMING_SLL2,		/* Linux cooked v2 */
};

#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2

/* Linux packet types as carried by SLL/SLL2 (sll_pkttype). */
#define PKTTYPE_UNKNOWN	0xff
#define PKTTYPE_OUTGOING 4

/*
 * Everything one ARP frame tells us. Addresses are in host byte order so they
 * sort and index naturally. New per-frame facts (ingress bridge port, ...)
 * are added here and flow through the pipeline untouched.
 */
struct arp_frame {
	int64_t		ts_ns;		/* capture time, ns since the epoch */
	uint8_t		frame_src[6];	/* link-layer source (Ethernet or SLL addr) */
	uint8_t		frame_dst[6];	/* Ethernet destination; zero for SLL */
	bool		has_frame_src;	/* SLL with halen != 6 has none */
	bool		has_frame_dst;
	uint8_t		sha[6];		/* ARP sender hardware address */
	uint8_t		tha[6];		/* ARP target hardware address */
	uint32_t	spa;		/* ARP sender protocol address */
	uint32_t	tpa;		/* ARP target protocol address */
	uint16_t	op;		/* ARP_OP_REQUEST or ARP_OP_REPLY */
	uint16_t	vlan;		/* innermost VLAN id, or VLAN_NONE */
	uint16_t	outer_vlan;	/* outer tag of a QinQ pair, or VLAN_NONE */
	uint8_t		ntags;		/* 802.1Q/802.1ad tags seen (0..2) */
	uint8_t		framing;	/* enum arp_framing */
	uint8_t		pkttype;	/* SLL packet type, or PKTTYPE_UNKNOWN */
	int32_t		ifindex;	/* SLL2 interface index, or IFINDEX_NONE */
};

/*
 * Decode one frame of link type `link` whose captured bytes are
 * pkt[0..caplen). Reads nothing at or past pkt + caplen. Fills *f only when
 * DECODE_ARP is returned (ts_ns is left to the caller). Pure: no I/O, no
 * allocation, no global state; safe from any thread.
 */
enum decode_status arp_decode(int link, const uint8_t *pkt, size_t caplen,
    struct arp_frame *f);

/* True if `link` is a link type arp_decode() understands. */
bool decode_link_supported(int link);

#endif
