/* table: bindings, per-IP counts and request rounds, fed one frame at a time. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "hmap.h"

/* Keys are packed byte structs: hmap compares raw bytes. */
struct bind_key {
	uint32_t	vk;		/* outer_vlan << 16 | vlan */
	uint32_t	ip;
	uint8_t		mac[6];
	uint8_t		pad[2];
};

struct ip_key {
	uint32_t	vk;
	uint32_t	ip;
};

/* A round: the latest request for an IP from one requester. */
struct round_key {
	uint32_t	vk;
	uint32_t	ip;
	uint8_t		requester[6];
	uint8_t		pad[2];
};

struct mis_key {
	uint32_t	vk;
	uint32_t	ip;
	uint8_t		mac[6];
	uint8_t		frame_mac[6];
};

struct ip_agg {
	uint32_t	probes;
	uint32_t	nmacs;
};

/*
 * Bindings that answered the current round and how often. Kept on the round,
 * not the host, so replies to two requesters that interleave are still
 * counted per request. Four covers a twin pair plus an IP conflict; a fifth
 * binding in one round is counted as a first answer.
 */
#define ROUND_ANSWERS 4

struct round {
	uint32_t	id;
	uint32_t	requests;	/* summed into the IP's probes at finish */
	uint32_t	vk, ip;
	int64_t		ts_ns;
	uint32_t	ans_host[ROUND_ANSWERS];
	uint16_t	ans_count[ROUND_ANSWERS];
	uint8_t		nans;
};

struct table {
	struct host	*hosts;
	size_t		nhosts, hosts_cap;
	struct ip_agg	*ips;
	size_t		nips, ips_cap;
	struct round	*rounds;
	size_t		nrounds, rounds_cap;
	struct mismatch	*mis;
	size_t		nmis, mis_cap;
	struct hmap	by_bind, by_ip, by_round, by_mis;
	/* The last binding looked up: a sweep's requests all come from one
	 * sender and twins' replies come in pairs, so this skips most lookups. */
	struct bind_key	memo;
	uint32_t	memo_idx;
	uint32_t	round_seq;
	int		finished;
};

/* Grow a record array by doubling; the only allocations on the add path. */
static int
reserve(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 64;
	void *p = realloc(*v, ncap * size);
	if (p == NULL)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

struct table *
table_new(void)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	hmap_init(&t->by_bind, sizeof(struct bind_key));
	hmap_init(&t->by_ip, sizeof(struct ip_key));
	hmap_init(&t->by_round, sizeof(struct round_key));
	hmap_init(&t->by_mis, sizeof(struct mis_key));
	return t;
}

void
table_free(struct table *t)
{
	if (t == NULL)
		return;
	hmap_free(&t->by_bind);
	hmap_free(&t->by_ip);
	hmap_free(&t->by_round);
	hmap_free(&t->by_mis);
	free(t->hosts);
	free(t->ips);
	free(t->rounds);
	free(t->mis);
	free(t);
}

/* VLAN_NONE maps to 0 so untagged bindings sort before tagged ones. */
static uint32_t
vlan_key(uint16_t outer, uint16_t vlan)
{
	return (uint32_t)(uint16_t)(outer + 1) << 16 | (uint16_t)(vlan + 1);
}

/* Index of the (vk, ip) aggregate, created on first use; HMAP_EMPTY when
 * out of memory. */
static uint32_t
ip_agg(struct table *t, uint32_t vk, uint32_t ip)
{
	struct ip_key k = { vk, ip };
	uint32_t *slot = hmap_slot(&t->by_ip, &k);

	if (slot == NULL)
		return HMAP_EMPTY;
	if (*slot == HMAP_EMPTY) {
		if (reserve((void **)&t->ips, &t->ips_cap, t->nips,
		    sizeof(*t->ips)) == -1)
			return HMAP_EMPTY;
		memset(&t->ips[t->nips], 0, sizeof(*t->ips));
		*slot = (uint32_t)t->nips++;
	}
	return *slot;
}

static struct host *
binding(struct table *t, const struct arp_frame *f, uint32_t vk)
{
	struct bind_key k;
	uint32_t idx;

	memset(&k, 0, sizeof(k));
	k.vk = vk;
	k.ip = f->spa;
	memcpy(k.mac, f->sha, 6);
	if (t->nhosts > 0 && memcmp(&k, &t->memo, sizeof(k)) == 0) {
		idx = t->memo_idx;
	} else {
		uint32_t *slot = hmap_slot(&t->by_bind, &k);
		if (slot == NULL)
			return NULL;
		if (*slot == HMAP_EMPTY) {
			uint32_t ai = ip_agg(t, vk, f->spa);
			if (ai == HMAP_EMPTY || reserve((void **)&t->hosts,
			    &t->hosts_cap, t->nhosts, sizeof(*t->hosts)) == -1)
				return NULL;
			struct host *h = &t->hosts[t->nhosts];
			memset(h, 0, sizeof(*h));
			h->ip = f->spa;
			memcpy(h->mac, f->sha, 6);
			h->vlan = f->vlan;
			h->outer_vlan = f->outer_vlan;
			h->first_ns = h->last_ns = f->ts_ns;
			h->ip_idx = ai;
			t->ips[ai].nmacs++;
			*slot = (uint32_t)t->nhosts++;
		}
		idx = *slot;
		t->memo = k;
		t->memo_idx = idx;
	}
	struct host *h = &t->hosts[idx];
	if (f->ts_ns < h->first_ns)
		h->first_ns = f->ts_ns;
	if (f->ts_ns > h->last_ns)
		h->last_ns = f->ts_ns;
	return h;
}

static void
round_key(struct round_key *k, uint32_t vk, uint32_t ip, const uint8_t mac[6])
{
	memset(k, 0, sizeof(*k));
	k->vk = vk;
	k->ip = ip;
	memcpy(k->requester, mac, 6);
}

static int
note_mismatch(struct table *t, const struct arp_frame *f, uint32_t vk)
{
	struct mis_key k;

	memset(&k, 0, sizeof(k));
	k.vk = vk;
	k.ip = f->spa;
	memcpy(k.mac, f->sha, 6);
	memcpy(k.frame_mac, f->frame_src, 6);
	uint32_t *slot = hmap_slot(&t->by_mis, &k);
	if (slot == NULL)
		return -1;
	if (*slot == HMAP_EMPTY) {
		if (reserve((void **)&t->mis, &t->mis_cap, t->nmis,
		    sizeof(*t->mis)) == -1)
			return -1;
		struct mismatch *m = &t->mis[t->nmis];
		memset(m, 0, sizeof(*m));
		m->ip = f->spa;
		memcpy(m->mac, f->sha, 6);
		memcpy(m->frame_mac, f->frame_src, 6);
		m->vlan = f->vlan;
		m->outer_vlan = f->outer_vlan;
		*slot = (uint32_t)t->nmis++;
	}
	t->mis[*slot].count++;
	return 0;
}

static int
add_request(struct table *t, const struct arp_frame *f, uint32_t vk)
{
	/* A gratuitous request (spa == tpa) announces; it asks nobody. */
	if (f->spa != f->tpa) {
		struct round_key k;
		round_key(&k, vk, f->tpa, f->sha);
		uint32_t *slot = hmap_slot(&t->by_round, &k);
		if (slot == NULL)
			return -1;
		if (*slot == HMAP_EMPTY) {
			if (reserve((void **)&t->rounds, &t->rounds_cap,
			    t->nrounds, sizeof(*t->rounds)) == -1)
				return -1;
			struct round *r = &t->rounds[t->nrounds];
			memset(r, 0, sizeof(*r));
			r->vk = vk;
			r->ip = f->tpa;
			*slot = (uint32_t)t->nrounds++;
		}
		struct round *r = &t->rounds[*slot];
		r->id = ++t->round_seq;
		r->ts_ns = f->ts_ns;
		r->requests++;
		r->nans = 0;
	}
	/* An RFC 5227 probe (spa 0.0.0.0) claims no address. */
	if (f->spa != 0) {
		struct host *h = binding(t, f, vk);
		if (h == NULL)
			return -1;
		h->announcements++;
	}
	return 0;
}

static int
add_reply(struct table *t, const struct arp_frame *f, uint32_t vk,
    struct table_event *ev)
{
	struct round_key k;
	struct host *h = binding(t, f, vk);

	if (h == NULL)
		return -1;
	h->replies++;
	ev->suspect = t->ips[h->ip_idx].nmacs > 1;
	round_key(&k, vk, f->spa, f->tha);
	uint32_t ri = hmap_get(&t->by_round, &k);
	if (ri == HMAP_EMPTY) {
		h->unmatched++;
		return 0;
	}
	struct round *r = &t->rounds[ri];
	uint32_t hi = (uint32_t)(h - t->hosts);
	ev->matched = true;
	ev->rtt_ns = f->ts_ns - r->ts_ns;
	for (unsigned i = 0; i < r->nans; i++) {
		if (r->ans_host[i] != hi)
			continue;
		/* Answered this request before: the twin pattern's raw fact. */
		if (r->ans_count[i] < UINT16_MAX && ++r->ans_count[i] == 2)
			h->multi_rounds++;
		ev->suspect = true;
		return 0;
	}
	if (r->nans < ROUND_ANSWERS) {
		r->ans_host[r->nans] = hi;
		r->ans_count[r->nans++] = 1;
	}
	h->rounds++;
	return 0;
}

void
table_prefetch(const struct table *t, const struct arp_frame *f)
{
	uint32_t vk = vlan_key(f->outer_vlan, f->vlan);
	struct round_key k;

	if (f->op == ARP_OP_REQUEST)
		round_key(&k, vk, f->tpa, f->sha);
	else
		round_key(&k, vk, f->spa, f->tha);
	hmap_prefetch(&t->by_round, &k);
}

int
table_add(struct table *t, const struct arp_frame *f, struct table_event *ev)
{
	struct table_event dummy;
	uint32_t vk = vlan_key(f->outer_vlan, f->vlan);

	if (ev == NULL)
		ev = &dummy;
	memset(ev, 0, sizeof(*ev));
	ev->rtt_ns = -1;
	if (t->finished)
		return -1;
	if (f->has_frame_src && memcmp(f->frame_src, f->sha, 6) != 0 &&
	    note_mismatch(t, f, vk) == -1)
		return -1;
	if (f->op == ARP_OP_REQUEST)
		return add_request(t, f, vk);
	ev->reply = true;
	return add_reply(t, f, vk, ev);
}

static int
host_cmp(const void *a, const void *b)
{
	const struct host *x = a, *y = b;

	if (x->ip != y->ip)
		return x->ip < y->ip ? -1 : 1;
	uint32_t vx = vlan_key(x->outer_vlan, x->vlan);
	uint32_t vy = vlan_key(y->outer_vlan, y->vlan);
	if (vx != vy)
		return vx < vy ? -1 : 1;
	return memcmp(x->mac, y->mac, 6);
}

void
table_finish(struct table *t)
{
	if (t->finished)
		return;
	t->finished = 1;
	for (size_t i = 0; i < t->nrounds; i++) {
		uint32_t ai = ip_agg(t, t->rounds[i].vk, t->rounds[i].ip);
		if (ai != HMAP_EMPTY)
			t->ips[ai].probes += t->rounds[i].requests;
	}
	if (t->nhosts > 1)
		qsort(t->hosts, t->nhosts, sizeof(*t->hosts), host_cmp);
	for (size_t i = 0; i < t->nhosts; i++) {
		struct host *h = &t->hosts[i];
		h->probes = table_probes(t, h->outer_vlan, h->vlan, h->ip);
	}
}

size_t
table_nhosts(const struct table *t)
{
	return t->nhosts;
}

struct host *
table_host(struct table *t, size_t i)
{
	return i < t->nhosts ? &t->hosts[i] : NULL;
}

size_t
table_nmismatches(const struct table *t)
{
	return t->nmis;
}

const struct mismatch *
table_mismatch(const struct table *t, size_t i)
{
	return i < t->nmis ? &t->mis[i] : NULL;
}

uint32_t
table_probes(const struct table *t, uint16_t outer_vlan, uint16_t vlan,
    uint32_t ip)
{
	struct ip_key k = { vlan_key(outer_vlan, vlan), ip };
	uint32_t i = hmap_get(&t->by_ip, &k);

	return i == HMAP_EMPTY ? 0 : t->ips[i].probes;
}

size_t
table_find(struct table *t, uint16_t outer_vlan, uint16_t vlan, uint32_t ip,
    const uint8_t mac[6])
{
	struct host key = { .ip = ip, .vlan = vlan, .outer_vlan = outer_vlan };

	memcpy(key.mac, mac, 6);
	if (!t->finished || t->nhosts == 0)
		return TABLE_NONE;
	const struct host *h = bsearch(&key, t->hosts, t->nhosts,
	    sizeof(*t->hosts), host_cmp);
	return h == NULL ? TABLE_NONE : (size_t)(h - t->hosts);
}
