/*
 * fuzz_decode: arp_decode() on one frame of every link type it supports.
 * Input: one byte choosing the link type (0 Ethernet, 1 SLL, 2 SLL2, 3 a
 * type it does not support; modulo 4), then the captured bytes.
 */
#include <string.h>

#include "../../capture/decode.h"
#include "fuzz.h"

static const int links[4] = { LINK_EN10MB, LINK_LINUX_SLL, LINK_LINUX_SLL2, 0 };

/* Field by field: struct assignment need not copy padding. */
static int
same_frame(const struct arp_frame *a, const struct arp_frame *b)
{
	return a->ts_ns == b->ts_ns &&
	    memcmp(a->frame_src, b->frame_src, 6) == 0 &&
	    memcmp(a->frame_dst, b->frame_dst, 6) == 0 &&
	    a->has_frame_src == b->has_frame_src &&
	    a->has_frame_dst == b->has_frame_dst &&
	    memcmp(a->sha, b->sha, 6) == 0 && memcmp(a->tha, b->tha, 6) == 0 &&
	    a->spa == b->spa && a->tpa == b->tpa && a->op == b->op &&
	    a->vlan == b->vlan && a->outer_vlan == b->outer_vlan &&
	    a->ntags == b->ntags && a->framing == b->framing &&
	    a->pkttype == b->pkttype && a->ifindex == b->ifindex;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arp_frame f, before;
	enum decode_status st;
	int link;

	if (size < 1)
		return 0;
	link = links[data[0] % 4];
	memset(&f, 0xa5, sizeof(f));
	memcpy(&before, &f, sizeof(f));
	st = arp_decode(link, data + 1, size - 1, &f);
	FUZZ_ASSERT(st == DECODE_ARP || st == DECODE_OTHER ||
	    st == DECODE_IGNORED || st == DECODE_MALFORMED);
	if (st != DECODE_ARP) {
		/* The contract: *f untouched unless the frame was ARP. */
		FUZZ_ASSERT(memcmp(&f, &before, sizeof(f)) == 0);
		return 0;
	}
	FUZZ_ASSERT(decode_link_supported(link));
	FUZZ_ASSERT(f.op == ARP_OP_REQUEST || f.op == ARP_OP_REPLY);
	FUZZ_ASSERT(f.ntags <= 2);
	FUZZ_ASSERT(f.vlan == VLAN_NONE || f.vlan <= 0x0fff);
	FUZZ_ASSERT(f.outer_vlan == VLAN_NONE || f.outer_vlan <= 0x0fff);
	FUZZ_ASSERT((f.ntags == 0) == (f.vlan == VLAN_NONE));
	FUZZ_ASSERT((f.ntags == 2) == (f.outer_vlan != VLAN_NONE));
	FUZZ_ASSERT(f.framing <= FRAMING_SLL2);
	FUZZ_ASSERT(f.ts_ns == before.ts_ns);
	/* Decoding is pure: the same bytes give the same frame. */
	struct arp_frame again;
	memcpy(&again, &before, sizeof(again));
	FUZZ_ASSERT(arp_decode(link, data + 1, size - 1, &again) == st);
	FUZZ_ASSERT(same_frame(&again, &f));
	return 0;
}
