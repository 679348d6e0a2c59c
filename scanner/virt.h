/* virt: read-only libvirt API source: every domain's interfaces, networks, DHCP leases. */
#ifndef ARPSWEEP_VIRT_H
#define ARPSWEEP_VIRT_H

#include <stdbool.h>
#include <stddef.h>

#include "../report/inventory.h"

/* Whether this build has the libvirt source (make LIBVIRT=no leaves it out). */
bool virt_available(void);

/*
 * Connect read-only to uri (qemu:///system, test:///PATH, ...), which
 * needs root or the libvirt group: call it before the privilege drop. Adds
 * every interface of every domain, running or only defined (the live XML
 * and the persistent definition, through domxml), every network (bridge,
 * <dhcp><host> bindings) and its DHCP leases where the driver has them.
 * libvirt's own error printing is turned off (process-wide); failures come
 * back as one line in errbuf. All or nothing. Returns the number of
 * domains read, -1 on error (also when built without libvirt).
 */
int virt_load(struct inventory *inv, const char *uri, char *errbuf,
    size_t errlen);

#endif
