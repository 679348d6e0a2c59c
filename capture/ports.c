/* ports: a small ifindex -> name table; linear, since a bridge has few ports. */
#include "ports.h"

#include <stdio.h>
#include <string.h>

const struct port *
ports_find(const struct ports *pt, int32_t ifindex)
{
	for (unsigned i = 0; i < pt->n; i++)
		if (pt->p[i].ifindex == ifindex)
			return &pt->p[i];
	return NULL;
}

const struct port *
ports_add(struct ports *pt, int32_t ifindex, const char *name, bool bridge)
{
	struct port *p = (struct port *)ports_find(pt, ifindex);

	if (p == NULL) {
		if (pt->n >= PORTS_MAX)
			return NULL;
		p = &pt->p[pt->n++];
		p->ifindex = ifindex;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->bridge = bridge;
	return p;
}

const char *
ports_name(const struct ports *pt, int32_t ifindex, char buf[24])
{
	const struct port *p = ports_find(pt, ifindex);

	if (p != NULL && p->name[0] != '\0')
		return p->name;
	snprintf(buf, 24, "if%d", (int)ifindex);
	return buf;
}
