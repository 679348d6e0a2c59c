/* facts: what is known about each host beyond the wire, one side record per host. */
#ifndef ARPSWEEP_FACTS_H
#define ARPSWEEP_FACTS_H

#include <stddef.h>

#include "../capture/ports.h"
#include "inventory.h"
#include "table.h"
#include "vendor.h"

/*
 * The facts of one host (table_host() index after table_finish()). Every
 * pointer is owned by its source (the vendor registry, the inventory) and
 * valid while that lives. Runs are in the inventory's insertion order.
 */
struct host_facts {
	const char			*vendor;	/* never NULL */
	const struct vm_iface *const	*vms;		/* by the host's MAC */
	size_t				nvms;
	const struct dhcp_binding *const *bindings;	/* by the host's MAC */
	size_t				nbindings;
	const struct dhcp_lease *const	*leases;	/* by the host's MAC */
	size_t				nleases;
	/* Bridge ports its frames entered on (names owned by the capture's
	 * ports table), first seen first; more_ports: others too. port_vms:
	 * the domain interface whose target device is that port, or NULL. */
	const char			*ports[HOST_PORTS];
	const struct vm_iface		*port_vms[HOST_PORTS];
	uint32_t			port_frames[HOST_PORTS];
	size_t				nports;
	bool				more_ports;
};

/* The sources facts are looked up in; any may be NULL. */
struct facts_sources {
	const struct vendor_db	*vendors;
	const struct inventory	*inv;	/* finished */
	const struct ports	*ports;	/* the capture's, when available */
};

/*
 * One side record per host, filled by every source through one lookup
 * shape (source, host, facts). NULL when out of memory. free() it.
 */
struct host_facts *facts_build(struct table *t, const struct facts_sources *s);

/* "name" when the domain has one interface, else "name/ALIAS" (alias, or
 * netN by position); buf of at least 2 * INV_MAX_STR + 8 bytes. */
#define FACTS_LABEL_SIZE (2 * INV_MAX_STR + 8)
const char *facts_vm_label(const struct inventory *inv,
    const struct vm_iface *v, char *buf, size_t len);

/* The domain interface whose target device is the port `name`, or NULL
 * (only a running domain has one). */
const struct vm_iface *facts_port_vm(const struct inventory *inv,
    const char *name);

/* The name DHCP knows the host by: its binding's, else its lease's; NULL. */
const char *facts_name(const struct host_facts *hf);

#endif
