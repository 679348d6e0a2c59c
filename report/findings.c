/* findings: classify the duplicate MAC/IP situations of a finished table. */
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../capture/escape.h"
#include "facts.h"
#include "fmt.h"

static const struct finding_desc descs[FIND_NKINDS] = {
	[FIND_IP_CONFLICT] = { "ip-conflict", true,
	    "Find the machine that should not have this IP and change its "
	    "address." },
	[FIND_TWIN] = { "twin", true,
	    "Give one of the machines a new MAC." },
	[FIND_REPEATED_REPLY] = { "repeated-reply", false,
	    "Nothing, unless it persists; then look at that device." },
	[FIND_SHARED_MAC] = { "shared-mac", true,
	    "Check whether it is a router or proxy ARP; if two machines, give "
	    "one a new MAC." },
	[FIND_FRAME_MISMATCH] = { "frame-mismatch", true,
	    "Find the device under the frame's source MAC: a bridge, a relay "
	    "or a forger." },
	[FIND_SPOOFING] = { "spoofing", true,
	    "Find the switch port of the attacker's MAC and shut it." },
	[FIND_ARP_FLOOD] = { "arp-flood", true,
	    "Find the switch ports of the named sources." },
	[FIND_MAC_REUSE] = { "mac-reuse", true,
	    "Give one domain a new MAC before both run." },
	[FIND_BINDING_CONFLICT] = { "binding-conflict", true,
	    "Keep one binding per MAC and one per address." },
	[FIND_BINDING_MISMATCH] = { "binding-mismatch", true,
	    "Fix the binding or the host's address." },
	/* --baseline (baseline.h); gone is routine at night (a VM shut
	 * down), so it alone does not fail an audit. */
	[FIND_NEW_HOST] = { "new-host", true,
	    "Check that the host is expected; if so, take this report as the "
	    "new baseline." },
	[FIND_GONE] = { "gone", false,
	    "Nothing if the machine was stopped on purpose; otherwise check "
	    "it." },
	[FIND_CHANGED_MAC] = { "changed-mac", true,
	    "Find which machine answers now and whether the address moved on "
	    "purpose; if not, suspect spoofing." },
	/* A VM restart renames its tap (vnetN) and a migration moves it:
	 * routine, so not an audit failure; both copies at once is a twin. */
	[FIND_MOVED_PORT] = { "moved-port", false,
	    "Nothing if the VM was restarted or moved; otherwise find what "
	    "now answers on the new port." },
};

const struct finding_desc *
finding_desc(enum finding_kind k)
{
	static const struct finding_desc none = { "?", false, "" };

	return (unsigned)k < FIND_NKINDS ? &descs[k] : &none;
}

const char *
finding_kind_name(enum finding_kind k)
{
	return finding_desc(k)->name;
}

bool
findings_audit_fails(const struct findings *fs)
{
	for (int k = 0; k < FIND_NKINDS; k++)
		if (fs->by_kind[k] > 0 && descs[k].audit)
			return true;
	return false;
}

static struct finding *
new_finding(struct findings *fs, size_t *cap, enum finding_kind kind,
    const struct host *h, size_t nhosts)
{
	if (fs->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct finding *v = realloc(fs->v, ncap * sizeof(*v));
		if (v == NULL)
			return NULL;
		fs->v = v;
		*cap = ncap;
	}
	struct finding *f = &fs->v[fs->n];
	memset(f, 0, sizeof(*f));
	if ((f->hosts = calloc(nhosts ? nhosts : 1, sizeof(size_t))) == NULL)
		return NULL;
	fs->n++;
	f->kind = kind;
	f->ip = h->ip;
	memcpy(f->mac, h->mac, 6);
	f->vlan = h->vlan;
	f->outer_vlan = h->outer_vlan;
	fs->by_kind[kind]++;
	return f;
}

static bool
same_segment(const struct host *a, const struct host *b)
{
	return a->vlan == b->vlan && a->outer_vlan == b->outer_vlan;
}

/* Append to a message; FINDING_LIST bounds every list, so it always fits. */
static void
appendf(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 < len)
		snprintf(buf + n, len - n, "%s", s);
}

/* Item k of a list of n: ", " before all but the first; past FINDING_LIST,
 * one "and N more" and nothing after it. */
static void
append_item(char *buf, size_t len, size_t k, size_t n, const char *item)
{
	char more[40];

	if (k > FINDING_LIST)
		return;
	if (k > 0)
		appendf(buf, len, ", ");
	if (k == FINDING_LIST) {
		snprintf(more, sizeof(more), "and %zu more", n - k);
		appendf(buf, len, more);
		return;
	}
	appendf(buf, len, item);
}

/* A host's place in MAC order, sorted on its own so no context is needed. */
struct by_mac {
	uint8_t		mac[6];
	uint32_t	vk;
	uint32_t	ip;
	size_t		idx;
};

static int
by_mac_cmp(const void *a, const void *b)
{
	const struct by_mac *x = a, *y = b;
	int c = memcmp(x->mac, y->mac, 6);

	if (c != 0)
		return c;
	if (x->vk != y->vk)
		return x->vk < y->vk ? -1 : 1;
	return x->ip < y->ip ? -1 : x->ip > y->ip;
}

/* What the classifiers share about each host (table_host() index). */
struct hinfo {
	bool		forged;		/* first sent by a flood source under
					   another MAC: the flood's, not a host */
	bool		contested;	/* another MAC claims its IP */
	bool		attacker;	/* contested, and its MAC keeps an IP
					   nobody else claims */
	uint32_t	own_ip;		/* attacker: that IP */
	uint32_t	victims;	/* attacker: its MAC's contested IPs */
};

struct ctx {
	struct table	*t;
	const struct inventory *inv;	/* NULL: none */
	struct findings	*fs;
	size_t		cap;
	size_t		n;
	struct hinfo	*hi;
	struct by_mac	*bm;		/* hosts in MAC order, forged ones out */
	size_t		nbm;
	/* arp-flood, decided first so the other kinds leave its forgeries */
	bool		flood, few;
	struct table_source flood_src[FLOOD_FEW];
	size_t		nflood_src;
	uint64_t	flood_mismatches;
	const struct ports *pt;		/* NULL: the capture had no ports */
};

/* "vnet6" or "vnet6+2" for a host's ports (first seen, then the count of
 * the others); "" when it has none. Escaped: a name is an interface's. */
static char *
fmt_port1(char buf[48], const struct ports *pt, const struct host *h)
{
	char ix[24], esc[IF_NAMESIZE * 4 + 1];

	buf[0] = '\0';
	if (pt == NULL || h->nports == 0)
		return buf;
	escape_str(ports_name(pt, h->ports[0], ix), esc, sizeof(esc));
	if (h->nports > 1 || h->more_ports)
		snprintf(buf, 48, "%.30s+%u%s", esc, h->nports - 1u,
		    h->more_ports ? "+" : "");
	else
		snprintf(buf, 48, "%.30s", esc);
	return buf;
}

/* Every port of h, "a and b" / "a, b and c", into buf. */
static void
append_ports(const struct ctx *c, char *buf, size_t len, const struct host *h)
{
	char ix[24], esc[IF_NAMESIZE * 4 + 1], dom[4 * INV_MAX_STR + 1];

	for (unsigned k = 0; k < h->nports; k++) {
		if (k > 0)
			appendf(buf, len, k + 1 == h->nports && !h->more_ports ?
			    " and " : ", ");
		const char *name = ports_name(c->pt, h->ports[k], ix);
		escape_str(name, esc, sizeof(esc));
		appendf(buf, len, esc);
		/* The domain whose target device the port is, when known. */
		size_t n = c->inv != NULL ? inventory_nvms(c->inv) : 0;
		for (size_t i = 0; i < n; i++) {
			const struct vm_iface *v = inventory_vm(c->inv, i);
			if (v->target == NULL || v->domain == NULL ||
			    strcmp(v->target, name) != 0)
				continue;
			char item[48];
			escape_str(v->domain, dom, sizeof(dom));
			/* Bounded, like every item, so the sentence fits. */
			snprintf(item, sizeof(item), " (%.40s)", dom);
			appendf(buf, len, item);
			break;
		}
	}
	if (h->more_ports)
		appendf(buf, len, " and more");
}

static bool
flood_source(const struct ctx *c, const uint8_t mac[6])
{
	for (size_t i = 0; i < c->nflood_src; i++)
		if (memcmp(c->flood_src[i].mac, mac, 6) == 0)
			return true;
	return false;
}

static uint32_t
host_vk(const struct host *h)
{
	return (uint32_t)h->outer_vlan << 16 | h->vlan;
}

/* Contested IPs, then the MACs that claim one while keeping another. */
static void
mark_attackers(struct ctx *c)
{
	for (size_t i = 0; i < c->n;) {
		struct host *h = table_host(c->t, i);
		size_t j = i + 1;
		size_t m = 0;
		while (j < c->n && table_host(c->t, j)->ip == h->ip &&
		    same_segment(table_host(c->t, j), h))
			j++;
		for (size_t k = i; k < j; k++)
			m += !c->hi[k].forged;
		for (size_t k = i; m > 1 && k < j; k++)
			c->hi[k].contested = !c->hi[k].forged;
		i = j;
	}
	for (size_t i = 0; i < c->nbm;) {
		size_t j = i + 1, own = c->nbm;
		uint32_t victims = 0;
		while (j < c->nbm && memcmp(c->bm[j].mac, c->bm[i].mac, 6) == 0 &&
		    c->bm[j].vk == c->bm[i].vk)
			j++;
		for (size_t k = i; k < j; k++) {
			if (c->hi[c->bm[k].idx].contested)
				victims++;
			else if (own == c->nbm)
				own = k;
		}
		for (size_t k = i; victims > 0 && own < c->nbm && k < j; k++) {
			struct hinfo *x = &c->hi[c->bm[k].idx];
			if (!x->contested)
				continue;
			x->attacker = true;
			x->own_ip = c->bm[own].ip;
			x->victims = victims;
		}
		i = j;
	}
}

static int
ip_conflicts(struct ctx *c)
{
	struct table *t = c->t;
	size_t n = c->n;
	char ip[16], mac[18];

	/* Hosts are sorted by (IP, VLAN, MAC): one IP's MACs are adjacent.
	 * A spoofer's claim is its own finding; the rest may still conflict. */
	for (size_t i = 0; i < n;) {
		struct host *h = table_host(t, i);
		size_t j = i + 1, m = 0;
		while (j < n && table_host(t, j)->ip == h->ip &&
		    same_segment(table_host(t, j), h))
			j++;
		for (size_t k = i; k < j; k++)
			m += !c->hi[k].attacker && !c->hi[k].forged;
		if (m > 1) {
			struct finding *f = new_finding(c->fs, &c->cap,
			    FIND_IP_CONFLICT, h, m);
			if (f == NULL)
				return -1;
			memset(f->mac, 0, 6);
			snprintf(f->message, sizeof(f->message),
			    "%s is claimed by %zu MACs (", fmt_ip(ip, h->ip), m);
			for (size_t k = i; k < j; k++) {
				struct host *o = table_host(t, k);
				if (c->hi[k].attacker || c->hi[k].forged)
					continue;
				char item[80], port[48];
				snprintf(item, sizeof(item), "%s%s%s",
				    fmt_mac(mac, o->mac), c->pt != NULL &&
				    o->nports > 0 ? " on " : "",
				    fmt_port1(port, c->pt, o));
				append_item(f->message, sizeof(f->message),
				    f->nhosts, m, item);
				f->hosts[f->nhosts++] = k;
				f->replies += o->replies;
				c->fs->host_flags[k] |= FINDING_BIT(FIND_IP_CONFLICT);
			}
			f->probes = h->probes;
			appendf(f->message, sizeof(f->message), m == 2 ?
			    "): two machines use the same address and one of "
			    "them loses its traffic." : "): several machines "
			    "use the same address and all but one lose their "
			    "traffic.");
		}
		i = j;
	}
	return 0;
}

/* One finding per (attacker MAC, victim IP): the poisoning signature. */
static int
spoofed_ips(struct ctx *c)
{
	struct table *t = c->t;
	char ip[16], own[16], mac[18], rmac[18];

	for (size_t i = 0; i < c->n;) {
		struct host *h = table_host(t, i);
		size_t j = i + 1, rightful = 0;
		while (j < c->n && table_host(t, j)->ip == h->ip &&
		    same_segment(table_host(t, j), h))
			j++;
		for (size_t k = i; k < j; k++)
			rightful += !c->hi[k].attacker && !c->hi[k].forged;
		for (size_t a = i; a < j; a++) {
			const struct hinfo *x = &c->hi[a];
			struct host *ah = table_host(t, a);
			if (!x->attacker)
				continue;
			struct finding *f = new_finding(c->fs, &c->cap,
			    FIND_SPOOFING, ah, 1 + rightful);
			if (f == NULL)
				return -1;
			f->hosts[f->nhosts++] = a;
			f->replies = ah->replies;
			f->probes = ah->probes;
			f->own_ip = x->own_ip;
			f->victims = x->victims;
			f->proxy_arp = x->victims > 1;
			c->fs->host_flags[a] |= FINDING_BIT(FIND_SPOOFING);
			snprintf(f->message, sizeof(f->message),
			    "%s (%s) claims %s in %u repl%s (%u answering no "
			    "request)", fmt_mac(mac, ah->mac),
			    fmt_ip(own, x->own_ip), fmt_ip(ip, ah->ip),
			    ah->replies, ah->replies == 1 ? "y" : "ies",
			    ah->unmatched);
			if (rightful > 0)
				appendf(f->message, sizeof(f->message),
				    ", which ");
			for (size_t k = i; k < j; k++) {
				if (c->hi[k].attacker || c->hi[k].forged)
					continue;
				append_item(f->message, sizeof(f->message),
				    f->nhosts - 1, rightful,
				    fmt_mac(rmac, table_host(t, k)->mac));
				f->hosts[f->nhosts++] = k;
			}
			if (rightful > 0)
				appendf(f->message, sizeof(f->message),
				    rightful == 1 ? " also answers for" :
				    " also answer for");
			appendf(f->message, sizeof(f->message), ", while keeping "
			    "its own address: ARP spoofing, a machine putting "
			    "itself between others and this IP");
			if (f->proxy_arp) {
				char tail[160];
				snprintf(tail, sizeof(tail), "; it claims %u IPs "
				    "that other MACs answer for, so proxy ARP (a "
				    "router answering for others) could explain "
				    "it.", x->victims);
				appendf(f->message, sizeof(f->message), tail);
			} else {
				appendf(f->message, sizeof(f->message), ".");
			}
		}
		i = j;
	}
	return 0;
}

/* More than this many replies per request is a flood or a retransmitting
 * device, not a few machines sharing one MAC and IP. */
#define TWIN_MAX_FACTOR 4

/* "clone-a (running)", the list cut at FINDING_LIST. */
static void
append_vms(const struct ctx *c, char *buf, size_t len,
    const struct vm_iface *const *v, size_t n)
{
	char label[FACTS_LABEL_SIZE], item[FACTS_LABEL_SIZE + 32];

	for (size_t i = 0; i < n; i++) {
		snprintf(item, sizeof(item), "%s (%s)", facts_vm_label(c->inv,
		    v[i], label, sizeof(label)), inventory_state_name(v[i]->state));
		append_item(buf, len, i, n, item);
	}
}

/* The first binding of a run that binds an address, or NULL. */
static const struct dhcp_binding *
first_bound(const struct dhcp_binding *const *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!b[i]->ignore && b[i]->ip != 0)
			return b[i];
	return NULL;
}

/* "dhcpd host clone-a (FILE:LINE)" */
static void
binding_desc(char *buf, size_t len, const struct dhcp_binding *b)
{
	snprintf(buf, len, "%s%s%s (%s:%u)", inventory_kind_name(b->kind),
	    b->name != NULL ? " host " : "", b->name != NULL ? b->name : "",
	    b->origin != NULL ? b->origin : "?", b->line);
}

/* A twin whose MAC several domains are configured with: name them, and
 * say why nothing complained. */
static void
twin_vms(const struct ctx *c, struct finding *f, const char *ip,
    const char *mac)
{
	const struct dhcp_binding *b = first_bound(f->bindings, f->nbindings);
	char item[2 * INV_MAX_STR + 64], bip[16];

	snprintf(f->message, sizeof(f->message), "%s %s answered %u of %u "
	    "requests more than once (%u replies): domains ", ip, mac,
	    f->multi_rounds, f->probes, f->replies);
	append_vms(c, f->message, sizeof(f->message), f->vms, f->nvms);
	appendf(f->message, sizeof(f->message), " share this MAC");
	if (b == NULL) {
		appendf(f->message, sizeof(f->message), " and both answer for "
		    "this IP; give one domain a new MAC.");
		return;
	}
	binding_desc(item, sizeof(item), b);
	appendf(f->message, sizeof(f->message), ", and ");
	appendf(f->message, sizeof(f->message), item);
	snprintf(item, sizeof(item), " binds it to %s. ", fmt_ip(bip, b->ip));
	appendf(f->message, sizeof(f->message), item);
	appendf(f->message, sizeof(f->message), "Nothing complained because "
	    "the DHCP server gives the bound address to every client with that "
	    "MAC, and each twin takes the other's gratuitous ARP for its own; "
	    "give one domain a new MAC.");
}

static int
duplicate_replies(struct ctx *c)
{
	struct table *t = c->t;
	struct findings *fs = c->fs;
	size_t *cap = &c->cap;
	char ip[16], mac[18];

	for (size_t i = 0; i < table_nhosts(t); i++) {
		struct host *h = table_host(t, i);
		/* A spoofer's replies are told in its spoofing finding. */
		if (c->hi[i].forged || c->hi[i].attacker)
			continue;
		bool twin = h->multi_rounds >= 2 && h->replies > h->probes &&
		    h->replies <= TWIN_MAX_FACTOR * (uint64_t)h->probes;
		/* Copies of one answer that entered on two bridge ports came
		 * from two machines, whatever the counts say. */
		bool ported = c->pt != NULL && h->nports >= 2;
		twin = twin || (ported && h->multi_rounds >= 1);
		bool certain = twin && ported;
		bool repeated = !twin && (h->probes > 0 ?
		    h->replies > h->probes : h->replies > 1);
		if (!twin && !repeated)
			continue;
		enum finding_kind kind = twin ? FIND_TWIN : FIND_REPEATED_REPLY;
		struct finding *f = new_finding(fs, cap, kind, h, 1);
		if (f == NULL)
			return -1;
		f->hosts[f->nhosts++] = i;
		f->replies = h->replies;
		f->probes = h->probes;
		f->rounds = h->rounds;
		f->multi_rounds = h->multi_rounds;
		f->certain = certain;
		fs->host_flags[i] |= FINDING_BIT(kind);
		fmt_ip(ip, h->ip);
		fmt_mac(mac, h->mac);
		if (twin && c->inv != NULL && (f->nvms = inventory_vms_by_mac(
		    c->inv, h->mac, &f->vms)) >= 2) {
			f->nbindings = inventory_bindings_by_mac(c->inv, h->mac,
			    &f->bindings);
			twin_vms(c, f, ip, mac);
			if (ported) {
				appendf(f->message, sizeof(f->message), " The "
				    "copies entered on bridge ports ");
				append_ports(c, f->message, sizeof(f->message),
				    h);
				appendf(f->message, sizeof(f->message), ".");
			}
		} else if (twin && ported) {
			snprintf(f->message, sizeof(f->message),
			    "%s %s answered %u of %u requests more than once "
			    "(%u replies), the copies entering on bridge ports ",
			    ip, mac, h->multi_rounds, h->probes, h->replies);
			append_ports(c, f->message, sizeof(f->message), h);
			appendf(f->message, sizeof(f->message), ": certainly "
			    "two machines sharing this MAC and IP, like cloned "
			    "VMs given the same DHCP fixed address; the bridge "
			    "flips the MAC between their ports.");
		} else if (twin && c->pt != NULL && h->nports == 1) {
			char port[48];
			snprintf(f->message, sizeof(f->message),
			    "%s %s answered %u of %u requests more than once "
			    "(%u replies), every copy entering on bridge port "
			    "%s: two machines behind that one port (a nested "
			    "switch or bridge), or one that retransmits.",
			    ip, mac, h->multi_rounds, h->probes, h->replies,
			    fmt_port1(port, c->pt, h));
		} else if (twin)
			snprintf(f->message, sizeof(f->message),
			    "%s %s answered %u of %u requests more than once "
			    "(%u replies): two machines share this MAC and IP, "
			    "like cloned VMs given the same DHCP fixed address; "
			    "the bridge flips the MAC between their ports.",
			    ip, mac, h->multi_rounds, h->probes, h->replies);
		else if (h->probes > 0)
			snprintf(f->message, sizeof(f->message),
			    "%s %s sent %u replies to %u request%s without the "
			    "twin pattern: a retransmitting device or a one-off "
			    "duplicate.", ip, mac, h->replies, h->probes,
			    h->probes == 1 ? "" : "s");
		else
			snprintf(f->message, sizeof(f->message),
			    "%s %s sent %u replies and no request for it was "
			    "seen: a retransmitting device or a one-off "
			    "duplicate.", ip, mac, h->replies);
	}
	return 0;
}

static int
shared_macs(struct ctx *c)
{
	struct table *t = c->t;
	size_t n = c->nbm;
	char ip[16], mac[18];

	for (size_t i = 0; i < n;) {
		struct host *h = table_host(t, c->bm[i].idx);
		size_t j = i + 1;
		bool contested = false, spoofer = false;
		while (j < n && memcmp(c->bm[j].mac, c->bm[i].mac, 6) == 0 &&
		    c->bm[j].vk == c->bm[i].vk)
			j++;
		for (size_t k = i; k < j; k++) {
			contested |= c->hi[c->bm[k].idx].contested;
			spoofer |= c->hi[c->bm[k].idx].attacker;
		}
		/* A spoofer's claims are spoofing findings already. */
		if (j - i > 1 && !spoofer) {
			struct finding *f = new_finding(c->fs, &c->cap,
			    FIND_SHARED_MAC, h, j - i);
			if (f == NULL)
				return -1;
			f->ip = 0;
			snprintf(f->message, sizeof(f->message),
			    "%s claims %zu IPs (", fmt_mac(mac, h->mac), j - i);
			/* Ports: all its bindings' answers on one port, or
			 * the ports they came on differ (two machines). */
			int32_t port0 = IFINDEX_NONE;
			bool one_port = c->pt != NULL, two = false;
			for (size_t k = i; k < j; k++) {
				struct host *o = table_host(t, c->bm[k].idx);
				if (o->nports != 1 || o->more_ports)
					one_port = false;
				for (unsigned q = 0; q < o->nports; q++) {
					if (port0 == IFINDEX_NONE)
						port0 = o->ports[q];
					else if (o->ports[q] != port0)
						two = true;
				}
			}
			two = two && c->pt != NULL;
			one_port = one_port && !two && port0 != IFINDEX_NONE;
			f->verdict = two ? "two-machines" : one_port ?
			    "one-host" : NULL;
			for (size_t k = i; k < j; k++) {
				struct host *o = table_host(t, c->bm[k].idx);
				char item[80], port[48];
				snprintf(item, sizeof(item), "%s%s%s",
				    fmt_ip(ip, o->ip), two ? " on " : "",
				    two ? fmt_port1(port, c->pt, o) : "");
				append_item(f->message, sizeof(f->message),
				    k - i, j - i, item);
				f->hosts[f->nhosts++] = c->bm[k].idx;
				f->replies += o->replies;
				c->fs->host_flags[c->bm[k].idx] |= FINDING_BIT(FIND_SHARED_MAC);
			}
			if (two || one_port) {
				char port[48];
				snprintf(port, sizeof(port), "%s", "");
				if (one_port)
					fmt_port1(port, c->pt,
					    table_host(t, c->bm[i].idx));
				appendf(f->message, sizeof(f->message), two ?
				    "): answers entered on different bridge "
				    "ports, so two machines (or more) share this "
				    "MAC, like a cloned VM; the bridge flips the "
				    "MAC between their ports." : "): every answer "
				    "entered on bridge port ");
				if (one_port) {
					appendf(f->message, sizeof(f->message),
					    port);
					appendf(f->message, sizeof(f->message),
					    contested ? ", so one host answering "
					    "for several IPs (other MACs claim some "
					    "of them too: proxy ARP?)." :
					    ", so one host with several addresses.");
				}
			} else
			appendf(f->message, sizeof(f->message), contested ?
			    "): likely proxy ARP, since other MACs claim some of "
			    "these IPs too." : j - i > 2 ?
			    "): likely a router or proxy ARP answering for "
			    "others, or a host with many addresses." :
			    "): likely one host with two addresses; if they are "
			    "two machines (a cloned VM), the bridge flips the MAC "
			    "between their ports.");
		}
		i = j;
	}
	return 0;
}

/* First host in MAC order with this MAC on this segment, or n. */
static size_t
find_mac(const struct ctx *c, const uint8_t mac[6], uint32_t vk)
{
	size_t lo = 0, hi = c->nbm;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = memcmp(c->bm[mid].mac, mac, 6);
		if (d < 0 || (d == 0 && c->bm[mid].vk < vk))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->nbm && memcmp(c->bm[lo].mac, mac, 6) == 0 &&
	    c->bm[lo].vk == vk)
		return lo;
	return c->nbm;
}

static int
frame_mismatches(struct ctx *c)
{
	struct table *t = c->t;
	char ip[16], own[16], mac[18], fmac[18];

	for (size_t i = 0; i < table_nmismatches(t); i++) {
		const struct mismatch *m = table_mismatch(t, i);
		if (flood_source(c, m->frame_mac)) {
			c->flood_mismatches += m->count;
			continue;
		}
		struct host key = { .ip = m->ip, .vlan = m->vlan,
		    .outer_vlan = m->outer_vlan };
		memcpy(key.mac, m->mac, 6);
		/* Under the MAC of another binding on the segment: relayed. */
		size_t e = find_mac(c, m->frame_mac, host_vk(&key));
		const struct host *eh = e < c->nbm ?
		    table_host(t, c->bm[e].idx) : NULL;
		struct finding *f = new_finding(c->fs, &c->cap, eh != NULL ?
		    FIND_SPOOFING : FIND_FRAME_MISMATCH, &key, 2);
		if (f == NULL)
			return -1;
		memcpy(f->frame_mac, m->frame_mac, 6);
		f->frames = m->count;
		if (eh != NULL) {
			f->relay = f->proxy_arp = true;
			memcpy(f->mac, eh->mac, 6);
			f->own_ip = eh->ip;
			f->hosts[f->nhosts++] = c->bm[e].idx;
			c->fs->host_flags[c->bm[e].idx] |=
			    FINDING_BIT(FIND_SPOOFING);
		}
		size_t k = table_find(t, m->outer_vlan, m->vlan, m->ip, m->mac);
		if (k != TABLE_NONE) {
			/* A relayed owner is the victim: not flagged. */
			if (eh == NULL)
				c->fs->host_flags[k] |=
				    FINDING_BIT(FIND_FRAME_MISMATCH);
			f->hosts[f->nhosts++] = k;
		}
		if (eh != NULL)
			snprintf(f->message, sizeof(f->message),
			    "%s (%s) sent %u frame%s claiming %s is at %s under "
			    "its own Ethernet source: ARP spoofing by a machine "
			    "relaying another's ARP; a bridge or proxy that "
			    "rewrites sources could explain it.",
			    fmt_mac(fmac, m->frame_mac), fmt_ip(own, eh->ip),
			    m->count, m->count == 1 ? "" : "s",
			    fmt_ip(ip, m->ip), fmt_mac(mac, m->mac));
		else
			snprintf(f->message, sizeof(f->message),
			    "%s %s came in %u frame%s whose Ethernet source is "
			    "%s: a proxy, a bridge that rewrites sources, or a "
			    "forged announcement.", fmt_ip(ip, m->ip),
			    fmt_mac(mac, m->mac), m->count, m->count == 1 ? "" :
			    "s", fmt_mac(fmac, m->frame_mac));
	}
	return 0;
}

/*
 * Many unsolicited bindings or replies from few Ethernet sources; the
 * busiest FLOOD_FEW sources with a quarter of the minimum each are the
 * flood's, and a binding one of them sent under another MAC is forged.
 */
static void
detect_flood(struct ctx *c)
{
	const struct table_stats *st = table_stats(c->t);
	uint64_t top_b = 0, top_f = 0;
	size_t ns = table_nsources(c->t);

	for (size_t i = 0; i < ns && i < FLOOD_FEW; i++) {
		top_b += table_source(c->t, i)->bindings;
		top_f += table_source(c->t, i)->frames;
	}
	c->few = (top_b >= FLOOD_MIN_BINDINGS &&
	    2 * top_b >= st->unsolicited_bindings) ||
	    (top_f >= FLOOD_MIN_FRAMES && 2 * top_f >= st->unsolicited_frames);
	c->flood = c->few || st->dropped_bindings + st->dropped_ip_macs > 0;
	for (size_t i = 0; c->few && i < ns && i < FLOOD_FEW; i++) {
		const struct table_source *s = table_source(c->t, i);
		if (4 * s->bindings >= FLOOD_MIN_BINDINGS ||
		    4 * s->frames >= FLOOD_MIN_FRAMES)
			c->flood_src[c->nflood_src++] = *s;
	}
	for (size_t i = 0; i < c->n; i++) {
		struct host *h = table_host(c->t, i);
		if (memcmp(h->src, h->mac, 6) != 0 && flood_source(c, h->src)) {
			c->hi[i].forged = true;
			c->fs->host_flags[i] |= FINDING_BIT(FIND_ARP_FLOOD);
		}
	}
}

static int
arp_flood(struct ctx *c)
{
	const struct table_stats *st = table_stats(c->t);
	uint64_t dropped = st->dropped_bindings + st->dropped_ip_macs;
	size_t ns = table_nsources(c->t);
	char mac[18], item[128];

	if (!c->flood)
		return 0;
	struct host none;
	memset(&none, 0, sizeof(none));
	none.vlan = none.outer_vlan = VLAN_NONE;
	struct finding *f = new_finding(c->fs, &c->cap, FIND_ARP_FLOOD,
	    &none, 1);
	if (f == NULL)
		return -1;
	f->flood_frames = st->unsolicited_frames;
	f->flood_bindings = st->unsolicited_bindings;
	f->dropped = dropped;
	f->excess = st->excess_answers;
	f->frames = (uint32_t)(c->flood_mismatches > UINT32_MAX ? UINT32_MAX :
	    c->flood_mismatches);
	/* The flood's sources; without a few, the busiest ones. */
	if (c->nflood_src > 0) {
		for (size_t i = 0; i < c->nflood_src; i++)
			f->sources[f->nsources++] = c->flood_src[i];
	} else {
		for (size_t i = 0; i < ns && f->nsources < FINDING_SOURCES; i++)
			f->sources[f->nsources++] = *table_source(c->t, i);
	}
	if (f->nsources > 0)
		memcpy(f->mac, f->sources[0].mac, 6);
	size_t forged = 0;
	for (size_t i = 0; i < c->n; i++)
		forged += c->hi[i].forged;
	snprintf(f->message, sizeof(f->message), "%llu replies answered no "
	    "request, %llu bindings appeared unasked and %llu answers came for "
	    "IPs that already had %u MACs",
	    (unsigned long long)st->unsolicited_frames,
	    (unsigned long long)st->unsolicited_bindings,
	    (unsigned long long)st->excess_answers, st->macs_per_ip);
	appendf(f->message, sizeof(f->message), c->nflood_src > 0 ?
	    ", most from " : "; busiest Ethernet sources: ");
	for (size_t i = 0; i < f->nsources; i++) {
		snprintf(item, sizeof(item), "%s (%llu replies, %llu bindings)",
		    fmt_mac(mac, f->sources[i].mac),
		    (unsigned long long)f->sources[i].frames,
		    (unsigned long long)f->sources[i].bindings);
		append_item(f->message, sizeof(f->message), i, f->nsources,
		    item);
	}
	appendf(f->message, sizeof(f->message), ": an ARP flood");
	if (forged > 0) {
		snprintf(item, sizeof(item), "; the %zu bindings it sent under "
		    "other MACs are flagged arp-flood and judged no further",
		    forged);
		appendf(f->message, sizeof(f->message), item);
	}
	if (dropped > 0) {
		snprintf(item, sizeof(item), "; %llu more were not stored",
		    (unsigned long long)dropped);
		appendf(f->message, sizeof(f->message), item);
	}
	appendf(f->message, sizeof(f->message), ". Answers to our own "
	    "requests were kept.");
	return 0;
}

/* A finding about configuration: no host row needs to exist for it. */
static struct finding *
config_finding(struct ctx *c, enum finding_kind kind, uint32_t ip,
    const uint8_t mac[6])
{
	struct host key = { .ip = ip, .vlan = VLAN_NONE,
	    .outer_vlan = VLAN_NONE };

	if (mac != NULL)
		memcpy(key.mac, mac, 6);
	return new_finding(c->fs, &c->cap, kind, &key, 1);
}

/* Several domain interfaces configured with one MAC, whatever they run. */
static int
mac_reuse(struct ctx *c)
{
	char mac[18];
	size_t n = inventory_nvms(c->inv);

	for (size_t i = 0; i < n; i++) {
		const struct vm_iface *v = inventory_vm(c->inv, i);
		const struct vm_iface *const *run;
		size_t k = inventory_vms_by_mac(c->inv, v->mac, &run);
		if (k < 2 || run[0] != v)
			continue;
		struct finding *f = config_finding(c, FIND_MAC_REUSE, 0, v->mac);
		if (f == NULL)
			return -1;
		f->vms = run;
		f->nvms = k;
		size_t running = 0;
		for (size_t j = 0; j < k; j++)
			running += run[j]->state == VM_STATE_RUNNING ||
			    run[j]->state == VM_STATE_ACTIVE;
		snprintf(f->message, sizeof(f->message), "%s is configured on "
		    "%zu domain interfaces: ", fmt_mac(mac, v->mac), k);
		append_vms(c, f->message, sizeof(f->message), run, k);
		appendf(f->message, sizeof(f->message), running >= 2 ?
		    "; they run together as twins: give one domain a new MAC." :
		    "; when they run together they are twins: give one domain a "
		    "new MAC before both run.");
	}
	/* Its hosts carry the flag, for the table's FLAGS column. */
	for (size_t i = 0; i < c->n; i++) {
		const struct vm_iface *const *run;
		if (inventory_vms_by_mac(c->inv, table_host(c->t, i)->mac,
		    &run) >= 2)
			c->fs->host_flags[i] |= FINDING_BIT(FIND_MAC_REUSE);
	}
	return 0;
}

/* Whether a run holds two addresses (by MAC) or two MACs (by IP) from
 * different declarations. */
static bool
run_conflicts(const struct dhcp_binding *const *b, size_t n, bool by_ip)
{
	const struct dhcp_binding *a = NULL;

	for (size_t i = 0; i < n; i++) {
		if (b[i]->ignore || b[i]->ip == 0)
			continue;
		if (a == NULL)
			a = b[i];
		else if (by_ip ? memcmp(a->mac, b[i]->mac, 6) != 0 :
		    a->ip != b[i]->ip && a->group != b[i]->group)
			return true;
	}
	return false;
}

static void
append_bindings(char *buf, size_t len, const struct dhcp_binding *const *b,
    size_t n, bool by_ip)
{
	char desc[2 * INV_MAX_STR + 64], item[sizeof(desc) + 24], key[18];
	size_t k = 0, m = 0;

	for (size_t i = 0; i < n; i++)
		m += !b[i]->ignore && b[i]->ip != 0;
	for (size_t i = 0; i < n; i++) {
		if (b[i]->ignore || b[i]->ip == 0)
			continue;
		binding_desc(desc, sizeof(desc), b[i]);
		snprintf(item, sizeof(item), "%s by %s", by_ip ?
		    fmt_mac(key, b[i]->mac) : fmt_ip(key, b[i]->ip), desc);
		append_item(buf, len, k++, m, item);
	}
}

/* One MAC bound to two addresses, or one address to two MACs. */
static int
binding_conflicts(struct ctx *c)
{
	char key[18];
	size_t n = inventory_nbindings(c->inv);

	for (int by_ip = 0; by_ip < 2; by_ip++) {
		for (size_t i = 0; i < n; i++) {
			const struct dhcp_binding *b = inventory_binding(c->inv, i);
			const struct dhcp_binding *const *run;
			size_t k;
			if (b->ignore || b->ip == 0)
				continue;
			k = by_ip ? inventory_bindings_by_ip(c->inv, b->ip, &run) :
			    inventory_bindings_by_mac(c->inv, b->mac, &run);
			if (first_bound(run, k) != b || !run_conflicts(run, k,
			    by_ip))
				continue;
			struct finding *f = config_finding(c,
			    FIND_BINDING_CONFLICT, by_ip ? b->ip : 0,
			    by_ip ? NULL : b->mac);
			if (f == NULL)
				return -1;
			f->bindings = run;
			f->nbindings = k;
			snprintf(f->message, sizeof(f->message), by_ip ?
			    "%s is bound to several MACs: " :
			    "%s is bound to several addresses: ", by_ip ?
			    fmt_ip(key, b->ip) : fmt_mac(key, b->mac));
			append_bindings(f->message, sizeof(f->message), run, k,
			    by_ip);
			appendf(f->message, sizeof(f->message), by_ip ?
			    "; the second client to ask gets no lease or a "
			    "duplicate address: keep one binding per address." :
			    "; the server answers with one of them: keep one "
			    "binding per MAC.");
		}
	}
	return 0;
}

/* The wire against the bindings: a bound MAC answering from another IP,
 * a bound IP answered by another MAC. */
static int
binding_mismatches(struct ctx *c)
{
	char ip[16], ip2[16], mac[18], mac2[18], desc[2 * INV_MAX_STR + 64];
	char item[sizeof(desc) + 64];

	for (size_t i = 0; i < c->n; i++) {
		const struct host *h = table_host(c->t, i);
		const struct dhcp_binding *const *bm, *const *run;
		const struct dhcp_binding *b = NULL;
		bool mine = false;
		size_t nm, nrun;
		if (c->hi[i].forged || c->hi[i].attacker || h->replies == 0)
			continue;
		nm = inventory_bindings_by_mac(c->inv, h->mac, &bm);
		for (size_t k = 0; k < nm; k++)
			mine |= !bm[k]->ignore && bm[k]->ip == h->ip;
		if (mine)
			continue;
		run = bm;
		nrun = nm;
		if ((b = first_bound(bm, nm)) == NULL) {
			nrun = inventory_bindings_by_ip(c->inv, h->ip, &run);
			b = first_bound(run, nrun);
		}
		if (b == NULL)
			continue;
		struct finding *f = new_finding(c->fs, &c->cap,
		    FIND_BINDING_MISMATCH, h, 1);
		if (f == NULL)
			return -1;
		f->hosts[f->nhosts++] = i;
		f->bindings = run;
		f->nbindings = nrun;
		f->bound_ip = b->ip;
		f->replies = h->replies;
		c->fs->host_flags[i] |= FINDING_BIT(FIND_BINDING_MISMATCH);
		binding_desc(desc, sizeof(desc), b);
		if (memcmp(b->mac, h->mac, 6) == 0)
			snprintf(item, sizeof(item), "%s answered from %s, but %s "
			    "binds it to %s", fmt_mac(mac, h->mac),
			    fmt_ip(ip, h->ip), desc, fmt_ip(ip2, b->ip));
		else
			snprintf(item, sizeof(item), "%s answered for %s, but %s "
			    "binds that address to %s", fmt_mac(mac, h->mac),
			    fmt_ip(ip, h->ip), desc, fmt_mac(mac2, b->mac));
		snprintf(f->message, sizeof(f->message), "%s: a static address "
		    "beside DHCP, or a stale binding; fix one of them.", item);
	}
	return 0;
}

int
findings_compute(const struct findings_input *in, struct findings *out)
{
	struct table *t = in->table;
	struct ctx c = { .t = t, .inv = in->inv, .fs = out,
	    .n = table_nhosts(t), .pt = in->ports != NULL &&
	    in->ports->available ? in->ports : NULL };
	int rc = -1;

	memset(out, 0, sizeof(*out));
	c.hi = calloc(c.n ? c.n : 1, sizeof(*c.hi));
	c.bm = malloc((c.n ? c.n : 1) * sizeof(*c.bm));
	out->host_flags = calloc(c.n ? c.n : 1, sizeof(*out->host_flags));
	out->nhosts = c.n;
	out->inv = in->inv;
	if (c.hi != NULL && c.bm != NULL && out->host_flags != NULL) {
		detect_flood(&c);
		for (size_t i = 0; i < c.n; i++) {
			const struct host *h = table_host(t, i);
			if (c.hi[i].forged)
				continue;
			struct by_mac *b = &c.bm[c.nbm++];
			memcpy(b->mac, h->mac, 6);
			b->vk = host_vk(h);
			b->ip = h->ip;
			b->idx = i;
		}
		qsort(c.bm, c.nbm, sizeof(*c.bm), by_mac_cmp);
		mark_attackers(&c);
		if (ip_conflicts(&c) == 0 && duplicate_replies(&c) == 0 &&
		    shared_macs(&c) == 0 && frame_mismatches(&c) == 0 &&
		    spoofed_ips(&c) == 0 && arp_flood(&c) == 0 &&
		    (c.inv == NULL || (mac_reuse(&c) == 0 &&
		    binding_conflicts(&c) == 0 && binding_mismatches(&c) == 0)))
			rc = 0;
	}
	free(c.hi);
	free(c.bm);
	if (rc == -1)
		findings_free(out);
	return rc;
}

void
findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].hosts);
	free(fs->v);
	free(fs->host_flags);
	memset(fs, 0, sizeof(*fs));
}

/* The port's name, escaped, and " (VM)" when the inventory has its VM. */
static void
fdb_port(const struct findings *fs, const struct ports *pt, int32_t ifindex,
    char *out, size_t len)
{
	char ix[24], esc[IF_NAMESIZE * 4 + 1], label[FACTS_LABEL_SIZE];
	char lesc[96];		/* a long VM name is cut: it is one sentence */
	const char *name = ports_name(pt, ifindex, ix);
	const struct vm_iface *v = fs->inv != NULL ? facts_port_vm(fs->inv,
	    name) : NULL;

	escape_str(name, esc, sizeof(esc));
	if (v == NULL) {
		snprintf(out, len, "%s", esc);
		return;
	}
	escape_str(facts_vm_label(fs->inv, v, label, sizeof(label)), lesc,
	    sizeof(lesc));
	snprintf(out, len, "%s (%s)", esc, lesc);
}

void
findings_note_fdb(struct findings *fs, struct table *t, const struct ports *pt,
    int32_t (*port_of)(const uint8_t mac[6], void *arg), void *arg)
{
	char port[IF_NAMESIZE * 4 + 96 + 8];

	if (pt == NULL || !pt->available)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		struct finding *f = &fs->v[i];
		if ((f->kind != FIND_TWIN && f->kind != FIND_SHARED_MAC) ||
		    f->nhosts == 0)
			continue;
		int32_t now = port_of(f->mac, arg);
		if (now == IFINDEX_NONE) {
			appendf(f->message, sizeof(f->message), " The bridge "
			    "has no forwarding entry for this MAC now.");
			continue;
		}
		fdb_port(fs, pt, now, port, sizeof(port));
		appendf(f->message, sizeof(f->message), " The bridge forwards "
		    "it to ");
		appendf(f->message, sizeof(f->message), port);
		appendf(f->message, sizeof(f->message), " now");
		/* The ports it came from that are not the one it goes to:
		 * "the VM on" where the inventory names the port's VM. */
		bool any = false;
		for (size_t k = 0; k < f->nhosts; k++) {
			const struct host *h = table_host(t, f->hosts[k]);
			for (unsigned q = 0; q < h->nports; q++) {
				if (h->ports[q] == now)
					continue;
				char ix[24];
				bool vm = fs->inv != NULL && facts_port_vm(fs->inv,
				    ports_name(pt, h->ports[q], ix)) != NULL;
				fdb_port(fs, pt, h->ports[q], port, sizeof(port));
				appendf(f->message, sizeof(f->message), any ?
				    ", " : vm ? ": the VM on " : ": the machine on ");
				appendf(f->message, sizeof(f->message), port);
				any = true;
			}
		}
		appendf(f->message, sizeof(f->message), any ?
		    " loses its traffic." : ".");
	}
}
