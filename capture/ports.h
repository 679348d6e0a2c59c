/* ports: the bridge ports frames entered on (ifindex -> name), live or from a recording. */
#ifndef ARPSWEEP_PORTS_H
#define ARPSWEEP_PORTS_H

#include <stdbool.h>
#include <stdint.h>

#include <net/if.h>

/* A bridge has at most a few hundred ports in practice; one more port
 * than this is attributed to no port (counted), not stored. */
#define PORTS_MAX	256

struct port {
	int32_t		ifindex;
	char		name[IF_NAMESIZE];
	bool		bridge;		/* the bridge itself: frames it sent */
};

/*
 * Written by one thread (the receiver, or the replay reader), read after
 * it is done. available: the capture carried ports (a bridge swept through
 * the `any` device, or a pcapng recording of one).
 */
struct ports {
	bool		available;
	unsigned	n;
	uint64_t	overflow;	/* frames of ports beyond PORTS_MAX */
	struct port	p[PORTS_MAX];
};

/* The entry of ifindex, or NULL. */
const struct port *ports_find(const struct ports *pt, int32_t ifindex);

/* Add (or rename) ifindex; NULL when the table is full. The name is cut
 * at IF_NAMESIZE - 1 bytes and kept as given (escape it to print). */
const struct port *ports_add(struct ports *pt, int32_t ifindex,
    const char *name, bool bridge);

/* The name of ifindex for reports: its name, or "ifN" when unnamed. */
const char *ports_name(const struct ports *pt, int32_t ifindex, char buf[24]);

#endif
