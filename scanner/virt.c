/* virt: libvirt's C API, read-only, each document through report/domxml. */
#include "virt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../report/domxml.h"

#if HAVE_LIBVIRT
#include <libvirt/libvirt.h>
#include <libvirt/virterror.h>
#include <libxml/xmlerror.h>

bool
virt_available(void)
{
	return true;
}

/* libvirt prints every error to stderr unless told otherwise. */
static void
quiet(void *data, virErrorPtr e)
{
	(void)data, (void)e;
}

static int
lv_fail(const char *uri, const char *what, const char *hint, char *errbuf,
    size_t errlen)
{
	const char *m = virGetLastErrorMessage();
	char q[200], u[128];

	inventory_quote(q, sizeof(q), m, strcspn(m, "\n"));
	inventory_quote(u, sizeof(u), uri, strlen(uri));
	snprintf(errbuf, errlen, "libvirt %s: %s: %s%s", u, what, q, hint);
	return -1;
}

/* libxml2, inside libvirt, prints its own warnings unless told otherwise. */
static void
quiet_xml(void *data, const char *fmt, ...)
{
	(void)data, (void)fmt;
}

static unsigned
map_state(int st)
{
	switch (st) {
	case VIR_DOMAIN_RUNNING: return VM_STATE_RUNNING;
	case VIR_DOMAIN_BLOCKED: return VM_STATE_IDLE;
	case VIR_DOMAIN_PAUSED: return VM_STATE_PAUSED;
	case VIR_DOMAIN_SHUTDOWN: return VM_STATE_SHUTDOWN;
	case VIR_DOMAIN_SHUTOFF: return VM_STATE_SHUTOFF;
	case VIR_DOMAIN_CRASHED: return VM_STATE_CRASHED;
	case VIR_DOMAIN_PMSUSPENDED: return VM_STATE_PMSUSPENDED;
	default: return VM_STATE_ACTIVE;
	}
}

/* One description of a domain; a domain gone since the listing is skipped. */
static int
domain_xml(struct inventory *inv, virDomainPtr d, unsigned flags,
    unsigned state, const char *uri, char *errbuf, size_t errlen)
{
	char *xml = virDomainGetXMLDesc(d, flags);
	int rc;

	if (xml == NULL) {
		if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
			return 0;
		return lv_fail(uri, "reading a domain's XML", "", errbuf,
		    errlen);
	}
	rc = domxml_parse(inv, xml, strlen(xml), uri, DOMXML_DOMAIN, state,
	    errbuf, errlen);
	free(xml);
	return rc < 0 ? -1 : 0;
}

static int
cmp_domains(const void *a, const void *b)
{
	const char *x = virDomainGetName(*(virDomainPtr const *)a);
	const char *y = virDomainGetName(*(virDomainPtr const *)b);

	return strcmp(x ? x : "", y ? y : "");
}

static int
read_domains(struct inventory *inv, virConnectPtr c, const char *uri,
    char *errbuf, size_t errlen)
{
	virDomainPtr *doms = NULL;
	int n = virConnectListAllDomains(c, &doms,
	    VIR_CONNECT_LIST_DOMAINS_ACTIVE | VIR_CONNECT_LIST_DOMAINS_INACTIVE);
	int rc = 0;

	if (n < 0)
		return lv_fail(uri, "listing domains", "", errbuf, errlen);
	/* libvirt lists in no particular order; reports want a stable one. */
	qsort(doms, (size_t)n, sizeof(*doms), cmp_domains);
	for (int i = 0; i < n; i++) {
		int st = VIR_DOMAIN_NOSTATE, reason;
		unsigned state;

		if (rc == 0) {
			if (virDomainGetState(doms[i], &st, &reason, 0) < 0)
				st = VIR_DOMAIN_NOSTATE;
			state = map_state(st);
			if (virDomainIsActive(doms[i]) == 1) {
				/* The live XML has the tap (vnetN); the
				 * definition is what the next boot uses. */
				if (domain_xml(inv, doms[i], 0, state, uri,
				    errbuf, errlen) == -1 ||
				    (virDomainIsPersistent(doms[i]) == 1 &&
				    domain_xml(inv, doms[i],
				    VIR_DOMAIN_XML_INACTIVE, state, uri, errbuf,
				    errlen) == -1))
					rc = -1;
			} else if (domain_xml(inv, doms[i], 0, state, uri,
			    errbuf, errlen) == -1)
				rc = -1;
		}
		virDomainFree(doms[i]);
	}
	free(doms);
	return rc == 0 ? n : -1;
}

static int
read_leases(struct inventory *inv, virNetworkPtr net, const char *origin)
{
	virNetworkDHCPLeasePtr *leases = NULL;
	int n = virNetworkGetDHCPLeases(net, NULL, &leases, 0);
	int rc = 0;

	if (n < 0)	/* the test driver and some setups have none */
		return 0;
	for (int i = 0; i < n; i++) {
		virNetworkDHCPLeasePtr l = leases[i];
		struct dhcp_lease d;

		memset(&d, 0, sizeof(d));
		if (rc == 0 && l->type == VIR_IP_ADDR_TYPE_IPV4 &&
		    l->mac != NULL && l->ipaddr != NULL &&
		    inventory_parse_mac(l->mac, strlen(l->mac), d.mac) == 0 &&
		    inventory_parse_ip(l->ipaddr, strlen(l->ipaddr), &d.ip) == 0) {
			d.expiry = l->expirytime;
			d.origin = origin;
			if (l->hostname != NULL)
				d.hostname = inventory_strdup(inv, l->hostname,
				    strlen(l->hostname));
			if (l->clientid != NULL)
				d.client_id = inventory_strdup(inv,
				    l->clientid, strlen(l->clientid));
			if ((l->hostname != NULL && d.hostname == NULL) ||
			    (l->clientid != NULL && d.client_id == NULL) ||
			    inventory_add_lease(inv, &d) == -1)
				rc = -1;
		} else if (rc == 0)
			inventory_stats(inv)->leases_skipped++;
		virNetworkDHCPLeaseFree(l);
	}
	free(leases);
	return rc;
}

static int
read_networks(struct inventory *inv, virConnectPtr c, const char *uri,
    const char *origin, char *errbuf, size_t errlen)
{
	virNetworkPtr *nets = NULL;
	int n = virConnectListAllNetworks(c, &nets, 0);
	int rc = 0;

	if (n < 0) {	/* a driver without networks */
		if (virGetLastErrorCode() == VIR_ERR_NO_SUPPORT)
			return 0;
		return lv_fail(uri, "listing networks", "", errbuf, errlen);
	}
	for (int i = 0; i < n; i++) {
		char *xml;

		if (rc == 0) {
			if ((xml = virNetworkGetXMLDesc(nets[i], 0)) == NULL) {
				if (virGetLastErrorCode() != VIR_ERR_NO_NETWORK)
					rc = lv_fail(uri, "reading a network's "
					    "XML", "", errbuf, errlen);
			} else {
				if (domxml_parse(inv, xml, strlen(xml), uri,
				    DOMXML_NETWORK, VM_STATE_DEFINED, errbuf,
				    errlen) < 0)
					rc = -1;
				free(xml);
			}
			if (rc == 0 && read_leases(inv, nets[i], origin) == -1) {
				char u[128];

				inventory_quote(u, sizeof(u), uri, strlen(uri));
				snprintf(errbuf, errlen, "libvirt %s: %s", u,
				    inventory_error(inv));
				rc = -1;
			}
		}
		virNetworkFree(nets[i]);
	}
	free(nets);
	return rc;
}

int
virt_load(struct inventory *inv, const char *uri, char *errbuf, size_t errlen)
{
	struct inventory *scratch;
	virConnectPtr c;
	const char *origin;
	int n = -1;

	virSetErrorFunc(NULL, quiet);
	xmlSetGenericErrorFunc(NULL, quiet_xml);
	if ((c = virConnectOpenReadOnly(uri)) == NULL)
		return lv_fail(uri, "cannot connect read-only", " (the system "
		    "socket needs root or the libvirt group; --vm-xml reads "
		    "saved domain XML instead)", errbuf, errlen);
	if ((scratch = inventory_new()) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		virConnectClose(c);
		return -1;
	}
	if ((origin = inventory_strdup(scratch, uri, strlen(uri))) == NULL)
		snprintf(errbuf, errlen, "%s", inventory_error(scratch));
	else if ((n = read_domains(scratch, c, uri, errbuf, errlen)) >= 0 &&
	    read_networks(scratch, c, uri, origin, errbuf, errlen) == -1)
		n = -1;
	if (n >= 0 && inventory_merge(inv, scratch) == -1) {
		snprintf(errbuf, errlen, "%s", inventory_error(inv));
		n = -1;
	}
	inventory_free(scratch);
	virConnectClose(c);
	return n;
}

#else	/* built with LIBVIRT=no */

bool
virt_available(void)
{
	return false;
}

int
virt_load(struct inventory *inv, const char *uri, char *errbuf, size_t errlen)
{
	char u[128];

	(void)inv;
	inventory_quote(u, sizeof(u), uri, strlen(uri));
	snprintf(errbuf, errlen, "libvirt %s: this arpsweep was built without "
	    "libvirt (LIBVIRT=no or no libvirt-dev); rebuild with libvirt-dev, "
	    "or give saved domain XML with --vm-xml", u);
	return -1;
}

#endif
