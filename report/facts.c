/* facts: fill each host's side record from every source of facts. */
#include "facts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * Every source has this shape: adding a fact (bridge ports next) is its
 * function here and its fields in the printers, not the table.
 */
typedef void fact_source(const struct facts_sources *s, const struct host *h,
    struct host_facts *out);

static void
vendor_source(const struct facts_sources *s, const struct host *h,
    struct host_facts *out)
{
	out->vendor = vendor_lookup(s->vendors, h->mac);
}

static void
vm_source(const struct facts_sources *s, const struct host *h,
    struct host_facts *out)
{
	if (s->inv != NULL)
		out->nvms = inventory_vms_by_mac(s->inv, h->mac, &out->vms);
}

static void
binding_source(const struct facts_sources *s, const struct host *h,
    struct host_facts *out)
{
	if (s->inv != NULL)
		out->nbindings = inventory_bindings_by_mac(s->inv, h->mac,
		    &out->bindings);
}

static void
lease_source(const struct facts_sources *s, const struct host *h,
    struct host_facts *out)
{
	if (s->inv != NULL)
		out->nleases = inventory_leases_by_mac(s->inv, h->mac,
		    &out->leases);
}

/* The port's domain: the interface whose target device it is (only a
 * running domain has one). Linear: a host has a few hundred at most. */
const struct vm_iface *
facts_port_vm(const struct inventory *inv, const char *port)
{
	size_t n = inventory_nvms(inv);

	for (size_t i = 0; i < n; i++) {
		const struct vm_iface *v = inventory_vm(inv, i);
		if (v->target != NULL && strcmp(v->target, port) == 0)
			return v;
	}
	return NULL;
}

static void
port_source(const struct facts_sources *s, const struct host *h,
    struct host_facts *out)
{
	if (s->ports == NULL || !s->ports->available)
		return;
	for (unsigned k = 0; k < h->nports; k++) {
		const struct port *p = ports_find(s->ports, h->ports[k]);
		if (p == NULL || p->name[0] == '\0')
			continue;	/* the capture attributes only named ones */
		out->port_frames[out->nports] = h->port_frames[k];
		out->port_vms[out->nports] = s->inv != NULL ?
		    facts_port_vm(s->inv, p->name) : NULL;
		out->ports[out->nports++] = p->name;
	}
	out->more_ports = h->more_ports;
}

static fact_source *const sources[] = {
	vendor_source, vm_source, binding_source, lease_source, port_source,
};

struct host_facts *
facts_build(struct table *t, const struct facts_sources *s)
{
	size_t n = table_nhosts(t);
	struct host_facts *hf = calloc(n ? n : 1, sizeof(*hf));

	if (hf == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < sizeof(sources) / sizeof(sources[0]); k++)
			sources[k](s, table_host(t, i), &hf[i]);
	return hf;
}

/* A domain's interfaces are consecutive records: one document at a time. */
static bool
same_domain(const struct vm_iface *a, const struct vm_iface *b)
{
	return a->domain != NULL && b->domain != NULL &&
	    strcmp(a->domain, b->domain) == 0;
}

const char *
facts_vm_label(const struct inventory *inv, const struct vm_iface *v,
    char *buf, size_t len)
{
	size_t n = inventory_nvms(inv), i = (size_t)(v - inventory_vm(inv, 0));
	bool several = (i > 0 && same_domain(inventory_vm(inv, i - 1), v)) ||
	    (i + 1 < n && same_domain(inventory_vm(inv, i + 1), v));
	const char *d = v->domain != NULL ? v->domain : "?";

	if (!several)
		snprintf(buf, len, "%s", d);
	else if (v->alias != NULL)
		snprintf(buf, len, "%s/%s", d, v->alias);
	else
		snprintf(buf, len, "%s/net%u", d, (unsigned)v->index);
	return buf;
}

const char *
facts_name(const struct host_facts *hf)
{
	for (size_t i = 0; i < hf->nbindings; i++)
		if (hf->bindings[i]->name != NULL)
			return hf->bindings[i]->name;
	for (size_t i = 0; i < hf->nleases; i++)
		if (hf->leases[i]->hostname != NULL)
			return hf->leases[i]->hostname;
	return NULL;
}
