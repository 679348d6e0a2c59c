/* domxml: libvirt domain and network XML (virsh dumpxml, /etc/libvirt) -> inventory. */
#ifndef ARPSWEEP_DOMXML_H
#define ARPSWEEP_DOMXML_H

#include <stddef.h>

#include "inventory.h"

/* One document larger than this is not libvirt's. */
#define DOMXML_MAX_SIZE	(16u << 20)

/* Which root elements a caller takes. */
#define DOMXML_DOMAIN	1u	/* <domain>, and <domstatus> (libvirt's status files) */
#define DOMXML_NETWORK	2u	/* <network>: its bridge and <dhcp><host> bindings */

/*
 * Parse one document from memory, with no network access, no DTD and no
 * entity expansion (a <!DOCTYPE> is refused). A <domain> adds one record
 * per <interface> with a MAC (every type); a live one (it has an id)
 * counts as VM_VIEW_LIVE, a definition as VM_VIEW_CONFIG. state, when not
 * VM_STATE_DEFINED, is what the caller knows (libvirt's API) and wins over
 * what the XML implies. origin names the document in records and
 * messages. All or nothing: on error inv is unchanged and errbuf holds one
 * line "ORIGIN:LINE: what is wrong". Returns the number of records added.
 */
int domxml_parse(struct inventory *inv, const char *buf, size_t len,
    const char *origin, unsigned accept, unsigned state, char *errbuf,
    size_t errlen);

/*
 * Read fd, opened by the caller (before a privilege drop, say) and still
 * the caller's: a file of one document, or a directory whose *.xml files
 * are read in name order (not recursively). name is how messages call it.
 * All or nothing, as domxml_parse().
 */
int domxml_load(struct inventory *inv, int fd, const char *name,
    unsigned accept, char *errbuf, size_t errlen);

/* Open path and domxml_load() it. */
int domxml_load_path(struct inventory *inv, const char *path, unsigned accept,
    char *errbuf, size_t errlen);

#endif
