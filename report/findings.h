/* findings: the duplicate MAC/IP situations a finished table shows. */
#ifndef ARPSWEEP_FINDINGS_H
#define ARPSWEEP_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "table.h"

enum finding_kind {
	FIND_IP_CONFLICT = 0,
	FIND_TWIN,
	FIND_REPEATED_REPLY,
	FIND_SHARED_MAC,
	FIND_FRAME_MISMATCH,
	FIND_SPOOFING,
	FIND_ARP_FLOOD,
	FIND_NKINDS
};
#define FINDING_BIT(k)	(1u << (k))

/* Lists in a message stop at FINDING_LIST items, then "and N more"; the
 * message is sized so that no sentence is ever cut. */
#define FINDING_LIST	8
#define FINDING_SOURCES	4	/* arp-flood: top sources named */

/*
 * arp-flood: at least FLOOD_MIN_BINDINGS unsolicited bindings, or
 * FLOOD_MIN_FRAMES unmatched replies, at least half of them from the
 * FLOOD_FEW busiest Ethernet sources; or any binding not stored.
 */
#define FLOOD_FEW		4
#define FLOOD_MIN_BINDINGS	256
#define FLOOD_MIN_FRAMES	4096

struct finding {
	enum finding_kind kind;
	uint32_t	ip;		/* the IP in question (0 for shared-mac) */
	uint8_t		mac[6];		/* the MAC in question (ip-conflict: none) */
	uint8_t		frame_mac[6];	/* frame-mismatch only */
	uint16_t	vlan, outer_vlan;
	size_t		*hosts;		/* table_host() indices involved */
	size_t		nhosts;
	/* evidence: the counts that decided it */
	uint32_t	replies, probes, rounds, multi_rounds, frames;
	/* spoofing: hosts[0] is the attacker's binding for the victim IP (ip),
	 * hosts[1..] the rightful owners' */
	bool		relay;		/* frames under a foreign Ethernet source */
	bool		proxy_arp;	/* proxy ARP could explain it */
	uint32_t	own_ip;		/* an IP only the attacker claims */
	uint32_t	victims;	/* IPs of others it claims */
	/* arp-flood */
	uint64_t	flood_frames, flood_bindings, excess, dropped;
	struct table_source sources[FINDING_SOURCES];
	size_t		nsources;
	char		message[768];	/* one plain sentence; the longest
					   (arp-flood, 4 sources, 20-digit
					   counts) is ~700 */
};

struct findings {
	struct finding	*v;
	size_t		n;
	size_t		by_kind[FIND_NKINDS];
};

/* Stable names used in every output format: "ip-conflict", "twin", ... */
const char *finding_kind_name(enum finding_kind k);

/*
 * Classify the finished table (table_finish() already called). Sets
 * FINDING_BIT flags on the hosts involved. Returns -1 when out of memory.
 */
int findings_compute(struct table *t, struct findings *out);
void findings_free(struct findings *fs);

#endif
