/* table: ARP frames -> (VLAN, IP, MAC) bindings with their request rounds. */
#ifndef ARPSWEEP_TABLE_H
#define ARPSWEEP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture/decode.h"

/*
 * One binding: an IP claimed by a MAC on a VLAN. Owned by the table; the
 * pointer from table_host() stays valid until the next table_add().
 */
struct host {
	uint32_t	ip;		/* host byte order */
	uint8_t		mac[6];		/* ARP sender hardware address */
	uint16_t	vlan;		/* VLAN_NONE when untagged */
	uint16_t	outer_vlan;	/* QinQ outer tag or VLAN_NONE */
	uint32_t	replies;	/* ARP replies with these sender fields */
	uint32_t	announcements;	/* requests/gratuitous frames it sent */
	uint32_t	probes;		/* requests for this IP (set by table_finish) */
	uint32_t	rounds;		/* request rounds it answered */
	uint32_t	multi_rounds;	/* rounds it answered more than once */
	uint32_t	unmatched;	/* replies that answered no request seen */
	int64_t		first_ns, last_ns;
	uint32_t	flags;		/* FINDING_* bits, set by findings */
	uint32_t	ip_idx;		/* internal: its IP's aggregate */
};

/* A frame whose Ethernet source is not its ARP sender MAC. */
struct mismatch {
	uint32_t	ip;		/* ARP sender IP */
	uint8_t		mac[6];		/* ARP sender MAC */
	uint8_t		frame_mac[6];	/* link-layer source */
	uint16_t	vlan, outer_vlan;
	uint32_t	count;
};

/* What one frame meant, for the live sweep's feedback loop. */
struct table_event {
	bool		reply;		/* op was reply */
	bool		matched;	/* it answered a request seen earlier */
	bool		suspect;	/* its IP has >1 MAC now, or this binding
					   answered one round more than once */
	int64_t		rtt_ns;		/* reply - request that opened its round; -1 */
};

struct table;

/* Returns NULL only when out of memory. */
struct table *table_new(void);
void table_free(struct table *t);

/*
 * Feed one decoded ARP frame. Frames must come in capture order. ev may be
 * NULL. Allocates only when a new binding, IP, round key or mismatch appears.
 * Returns -1 when out of memory (the frame is then not counted).
 */
int table_add(struct table *t, const struct arp_frame *f, struct table_event *ev);

/*
 * Start loading what table_add(t, f) will look up first (f's request
 * round), so a reader that knows its next frames early can overlap the
 * cache misses of a table larger than the caches. Changes nothing.
 */
void table_prefetch(const struct table *t, const struct arp_frame *f);

/*
 * Sort the hosts by (IP, VLAN, MAC) and settle per-IP counts (probes). Call
 * once after the last table_add(); table_host() indices are stable after it.
 */
void table_finish(struct table *t);

size_t table_nhosts(const struct table *t);
struct host *table_host(struct table *t, size_t i);
size_t table_nmismatches(const struct table *t);
const struct mismatch *table_mismatch(const struct table *t, size_t i);

#define TABLE_NONE ((size_t)-1)

/* Index of the binding after table_finish(), or TABLE_NONE. O(log n). */
size_t table_find(struct table *t, uint16_t outer_vlan, uint16_t vlan,
    uint32_t ip, const uint8_t mac[6]);

/* Requests seen for (vlan, ip) that were not gratuitous; after
 * table_finish(). */
uint32_t table_probes(const struct table *t, uint16_t outer_vlan, uint16_t vlan,
    uint32_t ip);

#endif
