/* findings: classify the duplicate MAC/IP situations of a finished table. */
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

static const char *const kind_names[FIND_NKINDS] = {
	[FIND_IP_CONFLICT] = "ip-conflict",
	[FIND_TWIN] = "twin",
	[FIND_REPEATED_REPLY] = "repeated-reply",
	[FIND_SHARED_MAC] = "shared-mac",
	[FIND_FRAME_MISMATCH] = "frame-mismatch",
};

const char *
finding_kind_name(enum finding_kind k)
{
	return (unsigned)k < FIND_NKINDS ? kind_names[k] : "?";
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

/* Append ", a.b.c.d" style lists to a message without overflowing it. */
static void
appendf(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n + 1 < len)
		snprintf(buf + n, len - n, "%s", s);
}

static int
ip_conflicts(struct table *t, struct findings *fs, size_t *cap)
{
	size_t n = table_nhosts(t);
	char ip[16], mac[18];

	/* Hosts are sorted by (IP, VLAN, MAC): one IP's MACs are adjacent. */
	for (size_t i = 0; i < n;) {
		struct host *h = table_host(t, i);
		size_t j = i + 1;
		while (j < n && table_host(t, j)->ip == h->ip &&
		    same_segment(table_host(t, j), h))
			j++;
		if (j - i > 1) {
			struct finding *f = new_finding(fs, cap,
			    FIND_IP_CONFLICT, h, j - i);
			if (f == NULL)
				return -1;
			memset(f->mac, 0, 6);
			snprintf(f->message, sizeof(f->message),
			    "%s is claimed by %zu MACs (", fmt_ip(ip, h->ip),
			    j - i);
			for (size_t k = i; k < j; k++) {
				struct host *o = table_host(t, k);
				f->hosts[f->nhosts++] = k;
				f->replies += o->replies;
				o->flags |= FINDING_BIT(FIND_IP_CONFLICT);
				if (k > i)
					appendf(f->message, sizeof(f->message), ", ");
				appendf(f->message, sizeof(f->message),
				    fmt_mac(mac, o->mac));
			}
			f->probes = h->probes;
			appendf(f->message, sizeof(f->message), j - i == 2 ?
			    "): two machines use the same address and one of "
			    "them loses its traffic." : "): several machines "
			    "use the same address and all but one lose their "
			    "traffic.");
		}
		i = j;
	}
	return 0;
}

static int
duplicate_replies(struct table *t, struct findings *fs, size_t *cap)
{
	char ip[16], mac[18];

	for (size_t i = 0; i < table_nhosts(t); i++) {
		struct host *h = table_host(t, i);
		bool twin = h->multi_rounds >= 2 && h->replies > h->probes;
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
		h->flags |= FINDING_BIT(kind);
		fmt_ip(ip, h->ip);
		fmt_mac(mac, h->mac);
		if (twin)
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

static int
shared_macs(struct table *t, struct findings *fs, size_t *cap)
{
	size_t n = table_nhosts(t);
	struct by_mac *idx = malloc((n ? n : 1) * sizeof(*idx));
	char ip[16], mac[18];

	if (idx == NULL)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct host *h = table_host(t, i);
		memcpy(idx[i].mac, h->mac, 6);
		idx[i].vk = (uint32_t)h->outer_vlan << 16 | h->vlan;
		idx[i].ip = h->ip;
		idx[i].idx = i;
	}
	qsort(idx, n, sizeof(*idx), by_mac_cmp);
	for (size_t i = 0; i < n;) {
		struct host *h = table_host(t, idx[i].idx);
		size_t j = i + 1;
		while (j < n && memcmp(idx[j].mac, idx[i].mac, 6) == 0 &&
		    idx[j].vk == idx[i].vk)
			j++;
		if (j - i > 1) {
			struct finding *f = new_finding(fs, cap, FIND_SHARED_MAC,
			    h, j - i);
			if (f == NULL) {
				free(idx);
				return -1;
			}
			f->ip = 0;
			bool contested = false;
			snprintf(f->message, sizeof(f->message),
			    "%s claims %zu IPs (", fmt_mac(mac, h->mac), j - i);
			for (size_t k = i; k < j; k++) {
				struct host *o = table_host(t, idx[k].idx);
				f->hosts[f->nhosts++] = idx[k].idx;
				f->replies += o->replies;
				o->flags |= FINDING_BIT(FIND_SHARED_MAC);
				if (o->flags & FINDING_BIT(FIND_IP_CONFLICT))
					contested = true;
				if (k > i)
					appendf(f->message, sizeof(f->message), ", ");
				appendf(f->message, sizeof(f->message),
				    fmt_ip(ip, o->ip));
			}
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
	free(idx);
	return 0;
}

static int
frame_mismatches(struct table *t, struct findings *fs, size_t *cap)
{
	char ip[16], mac[18], fmac[18];

	for (size_t i = 0; i < table_nmismatches(t); i++) {
		const struct mismatch *m = table_mismatch(t, i);
		struct host key = { .ip = m->ip, .vlan = m->vlan,
		    .outer_vlan = m->outer_vlan };
		memcpy(key.mac, m->mac, 6);
		struct finding *f = new_finding(fs, cap, FIND_FRAME_MISMATCH,
		    &key, 1);
		if (f == NULL)
			return -1;
		memcpy(f->frame_mac, m->frame_mac, 6);
		f->frames = m->count;
		size_t k = table_find(t, m->outer_vlan, m->vlan, m->ip, m->mac);
		if (k != TABLE_NONE) {
			table_host(t, k)->flags |= FINDING_BIT(FIND_FRAME_MISMATCH);
			f->hosts[f->nhosts++] = k;
		}
		snprintf(f->message, sizeof(f->message),
		    "%s %s came in %u frame%s whose Ethernet source is %s: a "
		    "proxy, a bridge that rewrites sources, or a forged "
		    "announcement.", fmt_ip(ip, m->ip), fmt_mac(mac, m->mac),
		    m->count, m->count == 1 ? "" : "s", fmt_mac(fmac, m->frame_mac));
	}
	return 0;
}

int
findings_compute(struct table *t, struct findings *out)
{
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (ip_conflicts(t, out, &cap) == -1 ||
	    duplicate_replies(t, out, &cap) == -1 ||
	    shared_macs(t, out, &cap) == -1 ||
	    frame_mismatches(t, out, &cap) == -1) {
		findings_free(out);
		return -1;
	}
	return 0;
}

void
findings_free(struct findings *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->v[i].hosts);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}
