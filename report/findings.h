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
	FIND_NKINDS
};
#define FINDING_BIT(k)	(1u << (k))

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
	char		message[320];	/* one plain sentence */
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
