/* inventory: facts about hosts beyond the wire (VM interfaces, DHCP bindings, leases). */
#ifndef ARPSWEEP_INVENTORY_H
#define ARPSWEEP_INVENTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Everything here comes from files and daemons the operator points us at,
 * some of them writable by guests (lease names) or by other admins: every
 * size is bounded so that a hostile or huge source fails with a message
 * instead of exhausting memory.
 */
#define INV_MAX_ENTRIES		(1u << 18)	/* per kind: VMs, bindings, leases, networks */
#define INV_MAX_STRBYTES	(32u << 20)	/* all strings of one inventory */
#define INV_MAX_STR		255		/* longer strings are truncated */
#define INV_MAX_FILE		(64u << 20)	/* one source file, read whole */

enum vm_if_type {	/* libvirt's <interface type=...> */
	VM_IF_OTHER, VM_IF_NETWORK, VM_IF_BRIDGE, VM_IF_DIRECT, VM_IF_ETHERNET,
	VM_IF_USER, VM_IF_VHOSTUSER, VM_IF_HOSTDEV, VM_IF_VDPA, VM_IF_MCAST,
	VM_IF_UDP, VM_IF_SERVER, VM_IF_CLIENT, VM_IF_NULL, VM_IF_VDS,
	VM_IF_INTERNAL, VM_IF_NTYPES
};

enum vm_state {
	VM_STATE_DEFINED,	/* from a definition only: whether it runs is not known */
	VM_STATE_ACTIVE,	/* live XML (it had an id) with no state attached */
	VM_STATE_RUNNING, VM_STATE_IDLE, VM_STATE_PAUSED, VM_STATE_SHUTDOWN,
	VM_STATE_SHUTOFF, VM_STATE_CRASHED, VM_STATE_PMSUSPENDED,
	VM_STATE_NSTATES
};

/* Which descriptions of a domain an interface was seen in. */
#define VM_VIEW_LIVE	1u	/* the running domain's XML */
#define VM_VIEW_CONFIG	2u	/* its persistent (inactive) definition */

/*
 * One interface of one domain. Strings are NULL when absent and otherwise
 * owned by the inventory that holds the record (see inventory_strdup()).
 */
struct vm_iface {
	uint8_t		mac[6];
	uint8_t		type;		/* enum vm_if_type */
	uint8_t		state;		/* enum vm_state of the domain */
	uint8_t		views;		/* VM_VIEW_* */
	uint16_t	index;		/* its position among the domain's interfaces */
	const char	*domain;	/* domain name */
	const char	*uuid;
	const char	*source;	/* network name, bridge, dev, path, address */
	const char	*target;	/* vnetN: only while it runs */
	const char	*alias;		/* net0 */
	const char	*origin;	/* file or libvirt URI it came from */
	uint32_t	line;
};

/* A libvirt network: what --vm needs to find the bridge to sweep. */
struct vm_network {
	const char	*name;
	const char	*bridge;	/* NULL when it has none (hostdev, macvtap) */
	uint32_t	ip;		/* its first IPv4 <ip address=>, 0 if none */
	uint8_t		prefix;
	const char	*origin;
	uint32_t	line;
};

enum binding_kind {
	BINDING_DHCPD,		/* ISC dhcpd.conf host block */
	BINDING_DNSMASQ,	/* dnsmasq dhcp-host / hostsfile line */
	BINDING_LIBVIRT,	/* libvirt network <dhcp><host> */
	BINDING_KEA,		/* Kea DHCPv4 reservation */
	BINDING_NKINDS
};

/*
 * A DHCP fixed binding, one record per (MAC, address) pair of a
 * declaration: a dnsmasq line with two MACs, or an ISC host with two
 * fixed addresses, gives several records sharing one group, so that a
 * check for conflicts can tell one declaration from two.
 */
struct dhcp_binding {
	uint8_t		mac[6];
	uint8_t		kind;		/* enum binding_kind */
	bool		ignore;		/* dnsmasq "ignore": never answered */
	uint32_t	ip;		/* host order; 0 when none or a name */
	uint32_t	group;		/* unique per declaration in one inventory */
	const char	*name;		/* host block name, hostname; NULL */
	const char	*addr_name;	/* a fixed-address given as a DNS name:
					   recorded, never resolved */
	const char	*origin;
	uint32_t	line;
};

/* A lease a DHCP server handed out. */
struct dhcp_lease {
	uint8_t		mac[6];
	uint32_t	ip;
	int64_t		expiry;		/* Unix time; 0: never expires */
	const char	*hostname;	/* the client's name: guest-controlled */
	const char	*client_id;
	const char	*origin;
	uint32_t	line;
};

/* What sources read but could not index by MAC; reports may show it. */
struct inventory_stats {
	size_t		ifaces_skipped;		/* interfaces without a MAC */
	size_t		bindings_skipped;	/* keyed by client-id, duid, a
						   wildcard or non-Ethernet */
	size_t		leases_skipped;		/* IPv6, non-Ethernet */
};

struct inventory;

/* Returns NULL only when out of memory. */
struct inventory *inventory_new(void);
void inventory_free(struct inventory *inv);

/*
 * Add a record (copied; its strings must come from inventory_strdup() on
 * the same inventory, or be static). Returns -1 when the kind already holds
 * INV_MAX_ENTRIES or out of memory: inventory_error() says which. Not
 * allowed after inventory_finish().
 */
int inventory_add_vm(struct inventory *inv, const struct vm_iface *v);
int inventory_add_network(struct inventory *inv, const struct vm_network *n);
int inventory_add_binding(struct inventory *inv, const struct dhcp_binding *b);
int inventory_add_lease(struct inventory *inv, const struct dhcp_lease *l);

/* A fresh group number for the records of one binding declaration. */
uint32_t inventory_new_group(struct inventory *inv);

/*
 * A copy of s[0..len) owned by inv, safe to print anywhere: invalid UTF-8
 * and control characters (C0, DEL, C1) become '?', and it is cut to
 * INV_MAX_STR bytes at a character boundary. NULL (with inventory_error())
 * past INV_MAX_STRBYTES or out of memory.
 */
const char *inventory_strdup(struct inventory *inv, const char *s, size_t len);

struct inventory_stats *inventory_stats(struct inventory *inv);

/* Why the last add or strdup failed. */
const char *inventory_error(const struct inventory *inv);

/*
 * Move every record and string of src into dst (src is left empty): a
 * source parses into a scratch inventory and merges only on success, so
 * nothing half-read is used. Group numbers stay unique. -1 as the adds.
 */
int inventory_merge(struct inventory *dst, struct inventory *src);

/*
 * Merge the live and persistent views of each domain interface (same
 * domain, same MAC: one record with both VM_VIEW_* bits, live fields
 * first) and build the indices. Call once, after the last add; record
 * indices and pointers are stable after it. -1 when out of memory.
 */
int inventory_finish(struct inventory *inv);

/* Iteration: insertion order (the order of the sources and their lines). */
size_t inventory_nvms(const struct inventory *inv);
const struct vm_iface *inventory_vm(const struct inventory *inv, size_t i);
size_t inventory_nnetworks(const struct inventory *inv);
const struct vm_network *inventory_network(const struct inventory *inv, size_t i);
size_t inventory_nbindings(const struct inventory *inv);
const struct dhcp_binding *inventory_binding(const struct inventory *inv, size_t i);
size_t inventory_nleases(const struct inventory *inv);
const struct dhcp_lease *inventory_lease(const struct inventory *inv, size_t i);

/*
 * Lookups, after inventory_finish(), O(log n), all of one shape that a
 * future fact source (bridge ports) shares: the number of records for the
 * key, and in *first a run of that many pointers to them, in insertion
 * order. Before finish they find nothing.
 */
size_t inventory_vms_by_mac(const struct inventory *inv, const uint8_t mac[6],
    const struct vm_iface *const **first);
size_t inventory_bindings_by_mac(const struct inventory *inv,
    const uint8_t mac[6], const struct dhcp_binding *const **first);
size_t inventory_bindings_by_ip(const struct inventory *inv, uint32_t ip,
    const struct dhcp_binding *const **first);
size_t inventory_leases_by_mac(const struct inventory *inv,
    const uint8_t mac[6], const struct dhcp_lease *const **first);
size_t inventory_leases_by_ip(const struct inventory *inv, uint32_t ip,
    const struct dhcp_lease *const **first);
/* The network named name, or NULL; linear (networks are few). */
const struct vm_network *inventory_network_by_name(const struct inventory *inv,
    const char *name);

const char *inventory_if_type_name(unsigned type);
unsigned inventory_if_type(const char *name);	/* VM_IF_OTHER if unknown */
const char *inventory_state_name(unsigned state);
const char *inventory_kind_name(unsigned kind);

/* ---- helpers the sources share ---- */

/*
 * Read a regular file whole from fd (which the caller opened, perhaps
 * before a privilege drop, and still owns), at most max bytes. *buf is
 * NUL-terminated and the caller frees it. -1 with errbuf naming name.
 */
int inventory_read_fd(int fd, const char *name, size_t max, char **buf,
    size_t *len, char *errbuf, size_t errlen);

/*
 * s[0..len) (stopping at a NUL) for an error message: at most dstlen - 1
 * bytes, anything outside printable ASCII as '?', "..." when cut, so bad
 * input is never echoed raw.
 */
void inventory_quote(char *dst, size_t dstlen, const char *s, size_t len);

/*
 * A MAC: six groups of 1 or 2 hex digits separated by ':' (or all by '-'),
 * or 12 hex digits. -1 for anything else, such as wildcards.
 */
int inventory_parse_mac(const char *s, size_t len, uint8_t mac[6]);

/* A dotted-quad IPv4 address, host order. -1 for anything else. */
int inventory_parse_ip(const char *s, size_t len, uint32_t *ip);

#endif
