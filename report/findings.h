/* findings: the duplicate MAC/IP situations a finished table shows. */
#ifndef ARPSWEEP_FINDINGS_H
#define ARPSWEEP_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "../capture/ports.h"
#include "inventory.h"
#include "table.h"

enum finding_kind {
	FIND_IP_CONFLICT = 0,
	FIND_TWIN,
	FIND_REPEATED_REPLY,
	FIND_SHARED_MAC,
	FIND_FRAME_MISMATCH,
	FIND_SPOOFING,
	FIND_ARP_FLOOD,
	FIND_MAC_REUSE,		/* configuration: domains defined with one MAC */
	FIND_BINDING_CONFLICT,	/* configuration: DHCP bindings contradict */
	FIND_BINDING_MISMATCH,	/* the wire against a DHCP binding */
	FIND_NEW_HOST,		/* --baseline (baseline.h) */
	FIND_GONE,
	FIND_CHANGED_MAC,
	FIND_MOVED_PORT,	/* --baseline, with ports in both */
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
	/* evidence from the inventory: runs owned by it (stable after
	 * inventory_finish()) */
	const struct vm_iface *const *vms;	/* domains with f->mac */
	size_t		nvms;
	const struct dhcp_binding *const *bindings;	/* by MAC, or by IP for
						   binding-conflict by address */
	size_t		nbindings;
	uint32_t	bound_ip;	/* binding-mismatch: the binding's IP */
	/* What the ports prove: twin, copies from two ports; shared-mac,
	 * "one-host" or "two-machines" (NULL: no port information). */
	bool		certain;
	const char	*verdict;
	/* --baseline: when the binding (new-host: the baseline's latest
	 * binding) was last seen there, "" when unknown; changed-mac, the MAC
	 * that answered then; moved-port, the ports it entered on then. */
	char		baseline_last_seen[32];
	uint8_t		baseline_mac[6];
	char		baseline_ports[HOST_PORTS][IF_NAMESIZE];
	uint8_t		nbaseline_ports;
	char		message[768];	/* one plain sentence; the longest
					   (arp-flood, 4 sources, 20-digit
					   counts) is ~700 */
};

struct findings {
	struct finding	*v;
	size_t		n;
	size_t		by_kind[FIND_NKINDS];
	uint32_t	*host_flags;	/* FINDING_BIT()s per table_host() index */
	size_t		nhosts;
	const struct inventory *inv;	/* findings_input's, for the FDB note */
};

/*
 * One descriptor per kind: adding a kind is its classifier, this entry
 * and, in output.c, its evidence printer.
 */
struct finding_desc {
	const char	*name;		/* stable, in every output format */
	bool		audit;		/* --audit exits 1 on it */
	const char	*next;		/* what to do next, one sentence */
};

const struct finding_desc *finding_desc(enum finding_kind k);

/* Stable names used in every output format: "ip-conflict", "twin", ... */
const char *finding_kind_name(enum finding_kind k);

/* What findings are computed from: the wire and the configuration. */
struct findings_input {
	struct table		*table;	/* finished (table_finish()) */
	const struct inventory	*inv;	/* finished, or NULL */
	/* The bridge ports of the capture, or NULL / not available. With
	 * them a twin whose copies came on two ports is certain (even from
	 * fewer repeats), an ip-conflict names each MAC's port, a shared-mac
	 * says one host (one port) or two machines (two ports). */
	const struct ports	*ports;
};

/*
 * Classify. The table is not written to: the hosts' flags are in
 * out->host_flags. Returns -1 when out of memory.
 */
int findings_compute(const struct findings_input *in, struct findings *out);

/* Whether --audit fails on these findings. */
bool findings_audit_fails(const struct findings *fs);
void findings_free(struct findings *fs);

/*
 * Where the bridge forwards each twin's and shared MAC's frames now
 * (port_of returns the ifindex from its forwarding database, or
 * IFINDEX_NONE): appended to those findings' messages, naming the ports
 * whose machines lose their traffic, and each port's VM where the
 * inventory the findings were computed with knows it (its target device).
 */
void findings_note_fdb(struct findings *fs, struct table *t,
    const struct ports *pt,
    int32_t (*port_of)(const uint8_t mac[6], void *arg), void *arg);

#endif
