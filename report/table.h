/* table: ARP frames -> (VLAN, IP, MAC) bindings with their request rounds. */
#ifndef ARPSWEEP_TABLE_H
#define ARPSWEEP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../capture/decode.h"

#define HOST_PORTS 4	/* ports kept per binding: a twin pair plus moves */

/*
 * One binding: an IP claimed by a MAC on a VLAN. Owned by the table; the
 * pointer from table_host() stays valid until the next table_add().
 */
struct host {
	uint32_t	ip;		/* host byte order */
	uint8_t		mac[6];		/* ARP sender hardware address */
	uint16_t	vlan;		/* VLAN_NONE when untagged */
	uint16_t	outer_vlan;	/* QinQ outer tag or VLAN_NONE */
	uint8_t		src[6];		/* Ethernet source of its first frame */
	uint32_t	replies;	/* ARP replies with these sender fields */
	uint32_t	announcements;	/* requests/gratuitous frames it sent */
	uint32_t	probes;		/* requests for this IP (set by table_finish) */
	uint32_t	rounds;		/* request rounds it answered */
	uint32_t	multi_rounds;	/* rounds it answered more than once */
	uint32_t	unmatched;	/* replies that answered no request seen */
	uint16_t	nmis;		/* internal: its mismatches stored */
	int64_t		first_ns, last_ns;
	/* Bridge ports its frames entered on (ifindex, first seen first):
	 * at most HOST_PORTS, more_ports when others came too. */
	int32_t		ports[HOST_PORTS];
	uint16_t	port_frames[HOST_PORTS];	/* frames per port (a
					   twin's copies, told apart), stopping
					   at UINT16_MAX: 8 bytes a binding */
	uint8_t		nports;
	bool		more_ports;
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

/*
 * What one frame meant, for the live sweep's feedback loop. A reply is
 * matched when it answers a request seen: reply.spa = request.tpa and
 * reply.tha = request.sha. Whether that request was ours is the caller's
 * to check (f->tha, f->tpa): the table trusts no requester more than another.
 */
struct table_event {
	bool		reply;		/* op was reply */
	bool		matched;	/* it answered a request seen earlier */
	bool		suspect;	/* matched, and its IP has >1 MAC now or
					   this binding answered the round before */
	bool		repeat;		/* matched, and this binding answered
					   this round before (the twin pattern) */
	bool		first;		/* matched, the round's first answer
					   under its sender's own MAC */
	int64_t		rtt_ns;		/* matched: reply - the round's request; -1 */
};

/*
 * Bounds on what the table stores, so a flood of forged frames costs
 * counters, not memory. A binding is "answered" when the frame that first
 * shows it is a matched reply, "unsolicited" otherwise (an unmatched reply,
 * a request or an announcement). Answered bindings are always stored, at
 * most macs_per_ip per IP; unsolicited ones while fewer than the binding
 * cap are stored: max_bindings when set, else
 * TABLE_BINDING_ALLOWANCE + 2 x the main requester's request rounds stored
 * so far. The busiest requester so far
 * (counting only requests under its own MAC as Ethernet source: live, the
 * scanner) stores rounds up to max_rounds; all others together up to
 * TABLE_OTHER_ROUNDS, the same live and in a replay, so forged requests can
 * neither crowd out our rounds nor make a recording replay differently. Frame
 * mismatches at the binding cap. What is not stored is counted
 * (struct table_stats).
 */
#define TABLE_BINDING_ALLOWANCE	1024
#define TABLE_MACS_PER_IP	16
#define TABLE_REPLAY_ROUNDS	(1u << 20)
#define TABLE_ROUND_ALLOWANCE	1024	/* live: rounds beyond the targets */
#define TABLE_OTHER_ROUNDS	4096	/* every other requester's, together */

struct table_limits {
	uint64_t	max_bindings;	/* 0: the allowance + 2 x rounds */
	uint64_t	max_rounds;	/* 0: TABLE_REPLAY_ROUNDS */
	unsigned	macs_per_ip;	/* 0: TABLE_MACS_PER_IP */
};

/* The top Ethernet sources of unsolicited frames (flood evidence). */
#define TABLE_SOURCES	32

struct table_source {
	uint8_t		mac[6];		/* Ethernet source (ARP sha if none) */
	uint64_t	frames;		/* replies that answered no request */
	uint64_t	bindings;	/* unsolicited new bindings, stored or not */
};

struct table_stats {
	uint64_t	max_bindings;	/* the binding cap at the end */
	uint64_t	max_rounds;
	unsigned	macs_per_ip;
	uint64_t	unsolicited;	/* unsolicited bindings stored */
	uint64_t	unsolicited_frames; /* every reply that answered no request */
	uint64_t	unsolicited_bindings; /* every unsolicited new binding seen */
	uint64_t	dropped_bindings;	/* frames whose new binding was not
						   stored: the binding cap */
	uint64_t	dropped_ip_macs;	/* ...: macs_per_ip reached */
	uint64_t	excess_answers;	/* of those, matched replies: answers
					   beyond macs_per_ip MACs for one IP */
	uint64_t	dropped_rounds;	/* requests whose new round was not stored */
	uint64_t	dropped_mismatches; /* frames whose new mismatch was not */
	/*
	 * "Ours", derived from the frames alone so a replay of a live
	 * recording says the same: the requester MAC that sent the most
	 * requests, with the sender IP of its first request. Set by
	 * table_finish().
	 */
	bool		has_ours;
	uint8_t		our_mac[6];
	uint32_t	our_ip;
	uint64_t	our_requests;
	uint64_t	answers;	/* replies answering our requests */
	uint64_t	unasked;	/* replies to us (tha, tpa ours) that
					   answered no request of ours */
	uint64_t	not_ours;	/* replies whose tha/tpa are not ours */
	uint64_t	claims_our_ip;	/* requests from another MAC claiming
					   our sender IP */
};

struct table;

/* Returns NULL only when out of memory. table_new() has the replay limits. */
struct table *table_new(void);
struct table *table_new_limited(const struct table_limits *l);
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

/* Counters; the "ours" fields only after table_finish(). */
const struct table_stats *table_stats(const struct table *t);

/* The tracked sources of unsolicited frames, most first after
 * table_finish(); at most TABLE_SOURCES. Counts are exact for a source
 * tracked from its first frame, upper bounds for one that replaced
 * another (the space-saving rule). */
size_t table_nsources(const struct table *t);
const struct table_source *table_source(const struct table *t, size_t i);

#define TABLE_NONE ((size_t)-1)

/* Index of the binding after table_finish(), or TABLE_NONE. O(log n). */
size_t table_find(struct table *t, uint16_t outer_vlan, uint16_t vlan,
    uint32_t ip, const uint8_t mac[6]);

/* Requests seen for (vlan, ip) that were not gratuitous; after
 * table_finish(). */
uint32_t table_probes(const struct table *t, uint16_t outer_vlan, uint16_t vlan,
    uint32_t ip);

#endif
