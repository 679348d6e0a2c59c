/* vmreport: --vm NAME: one domain's interfaces, the bridges they hang on, what the sweep found of them. */
#ifndef ARPSWEEP_VMREPORT_H
#define ARPSWEEP_VMREPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "inventory.h"
#include "output.h"
#include "table.h"

#define VM_MAX_IFACES	64	/* interfaces of one domain that are shown */
#define VM_MAX_IPS	16	/* addresses shown per interface */
#define VM_WHY_SIZE	160

/* Is this a state in which the domain's interfaces are attached? */
bool vm_state_running(unsigned state);

/*
 * The bridge v is attached to: its source for type bridge, its libvirt
 * network's bridge (from the inventory) for type network; else NULL, with
 * why (when not NULL, VM_WHY_SIZE bytes) saying what is missing.
 */
const char *vm_iface_bridge(const struct inventory *inv,
    const struct vm_iface *v, char *why);

/* One interface of the domain, and what the sweep found of it. */
struct vm_if_result {
	const struct vm_iface	*v;
	const char		*bridge;	/* NULL: none known */
	char			label[INV_MAX_STR + 1];	/* alias, or netN */
	bool			swept;		/* its segment was swept */
	bool			answered;	/* its MAC answered a request */
	size_t			nips;
	uint32_t		ips[VM_MAX_IPS];	/* ascending */
	bool			more_ips;
	/* Other domains' interfaces with this MAC (mac-reuse): the answers
	 * may be theirs. */
	const struct vm_iface	*others[4];
	size_t			nothers;
};

struct vm_lookup {
	const char		*name;		/* the inventory's copy */
	unsigned		state;		/* the first interface's */
	size_t			n;
	bool			more;		/* past VM_MAX_IFACES */
	struct vm_if_result	ifs[VM_MAX_IFACES];
	const char		*bridge;	/* the first interface's bridge */
	size_t			nbridges;	/* distinct bridges */
	char			why[VM_WHY_SIZE];	/* of that bridge:
					   "bridge of VM test's interface net0" */
	char			nobridge[INV_MAX_STR + 3 + VM_WHY_SIZE];
					/* with no bridge: why
					   not, for its first interface */
};

/*
 * Every interface of domain name in inv (finished; NULL finds nothing).
 * Returns the number found: 0 for an unknown domain.
 */
size_t vm_lookup(const struct inventory *inv, const char *name,
    struct vm_lookup *out);

/*
 * The one line for an unknown domain: what the inventory knows instead
 * and where to look ('virsh list --all').
 */
void vm_unknown(const struct inventory *inv, const char *name, char *buf,
    size_t len);

/*
 * The bridges the running domains of inv are attached to, the one with
 * the most domains first (ties: the inventory's order): up to max, each
 * with why ("bridge of running domains test, web"). Returns how many.
 */
size_t vm_running_bridges(const struct inventory *inv, const char **bridge,
    char (*why)[VM_WHY_SIZE], size_t max);

/*
 * Fill each interface's findings from t (finished). swept: the interface
 * a live sweep ran on (NULL for a replay: every interface counts as
 * looked for); any_segment: it was named with -I, so whatever it leads to
 * counts as every interface's segment. Returns true when every interface
 * answered.
 */
bool vm_match(struct vm_lookup *vm, struct table *t, const char *swept,
    bool any_segment);

/*
 * The VM report: table (one row per interface, then what to do about the
 * silent ones), json (an object, "format": "arpsweep-vm") or csv (one row
 * per interface). rep gives the source line (live or replay, interface,
 * reason, inventory note, tool version, elapsed time). -1 on a write error
 * (errno set).
 */
int vm_print(FILE *out, enum output_format fmt, const struct report *rep,
    const struct vm_lookup *vm);

#endif
