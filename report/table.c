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

/*
 * Answered bindings of an IP are bounded per kind: those whose first frame
 * came under their own MAC as Ethernet source, and the others. A flood
 * from one port under other MACs fills only its kind, so it cannot push
 * out a real host's answer, even one that comes late.
 */
struct ip_agg {
	uint32_t	probes;
	uint32_t	nmacs;
	uint16_t	nanswered[2];	/* [0] own source, [1] another */
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
	bool		own_answer;	/* answered under the sender's own MAC */
};

/*
 * A MAC that sent requests: the candidates for "ours". Kept by the
 * space-saving rule (a new requester replaces the one with the fewest
 * requests), so a flood of forged requesters cannot push out the sweep's
 * own, which asks more than any of them.
 */
#define REQUESTERS 16

struct requester {
	uint8_t		mac[6];
	uint32_t	ip;		/* sender IP of its first request */
	uint64_t	requests;	/* that opened a round */
	uint64_t	answers;	/* matched replies to mac/ip */
	uint64_t	unasked;	/* unmatched replies to mac/ip */
	uint64_t	claims;		/* requests by other MACs with spa = ip */
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
	struct table_limits lim;
	struct table_stats st;
	uint64_t	replies;
	struct requester req[REQUESTERS];
	unsigned	req_top;	/* busiest requester so far */
	size_t		top_rounds;	/* rounds stored for it */
	unsigned	nreq, req_memo, tha_memo;
	struct table_source src[TABLE_SOURCES];
	unsigned	nsrc, src_memo;
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
	struct table_limits l = { 0, 0, 0 };

	return table_new_limited(&l);
}

struct table *
table_new_limited(const struct table_limits *l)
{
	struct table *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->lim = *l;
	if (t->lim.max_rounds == 0)
		t->lim.max_rounds = TABLE_REPLAY_ROUNDS;
	if (t->lim.macs_per_ip == 0)
		t->lim.macs_per_ip = TABLE_MACS_PER_IP;
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

/* The binding cap in force: fixed, or growing with the rounds asked. */
static uint64_t
binding_cap(const struct table *t)
{
	if (t->lim.max_bindings > 0)
		return t->lim.max_bindings;
	/* The main requester's rounds only: forged requests buy no room. */
	return TABLE_BINDING_ALLOWANCE + 2 * (uint64_t)t->top_rounds;
}

static const uint8_t *
frame_source(const struct arp_frame *f)
{
	return f->has_frame_src ? f->frame_src : f->sha;
}

/* The frame came under its ARP sender's MAC (or the link shows none). */
static bool
own_source(const struct arp_frame *f)
{
	return !f->has_frame_src || memcmp(f->frame_src, f->sha, 6) == 0;
}

/*
 * Count an unsolicited frame or binding against its Ethernet source. The
 * space-saving rule keeps every source that sent more than 1/TABLE_SOURCES
 * of them, whatever the order, in constant memory.
 */
static void
note_source(struct table *t, const struct arp_frame *f, unsigned frames,
    unsigned bindings)
{
	const uint8_t *mac = frame_source(f);
	struct table_source *s = &t->src[t->src_memo];

	if (t->nsrc == 0 || memcmp(s->mac, mac, 6) != 0) {
		unsigned i, min = 0;
		for (i = 0; i < t->nsrc; i++) {
			if (memcmp(t->src[i].mac, mac, 6) == 0)
				break;
			if (t->src[i].frames + t->src[i].bindings <
			    t->src[min].frames + t->src[min].bindings)
				min = i;
		}
		if (i == t->nsrc) {
			if (t->nsrc < TABLE_SOURCES)
				t->nsrc++;
			else
				i = min;	/* keeps its counts: an upper bound */
			memcpy(t->src[i].mac, mac, 6);
		}
		t->src_memo = i;
		s = &t->src[i];
	}
	s->frames += frames;
	s->bindings += bindings;
}

static void
note_port(struct host *h, int32_t ifindex)
{
	for (unsigned i = 0; i < h->nports; i++) {
		if (h->ports[i] == ifindex) {
			if (h->port_frames[i] < UINT16_MAX)
				h->port_frames[i]++;
			return;
		}
	}
	if (h->nports < HOST_PORTS) {
		h->port_frames[h->nports] = 1;
		h->ports[h->nports++] = ifindex;
	} else
		h->more_ports = true;
}

/*
 * The binding f shows, created when new and within the limits. *out is
 * NULL when it was not stored (counted). answered: f is a matched reply.
 * Returns -1 only when out of memory.
 */
static int
binding(struct table *t, const struct arp_frame *f, uint32_t vk, bool answered,
    struct host **out)
{
	struct bind_key k;
	uint32_t idx;

	*out = NULL;
	memset(&k, 0, sizeof(k));
	k.vk = vk;
	k.ip = f->spa;
	memcpy(k.mac, f->sha, 6);
	if (t->nhosts > 0 && memcmp(&k, &t->memo, sizeof(k)) == 0) {
		idx = t->memo_idx;
	} else if ((idx = hmap_get(&t->by_bind, &k)) == HMAP_EMPTY) {
		struct ip_key ik = { vk, f->spa };
		uint32_t ai = hmap_get(&t->by_ip, &ik);
		if (!answered) {
			t->st.unsolicited_bindings++;
			note_source(t, f, 0, 1);
			if (t->st.unsolicited >= binding_cap(t)) {
				t->st.dropped_bindings++;
				return 0;
			}
		}
		unsigned kind = !own_source(f);
		if (answered && ai != HMAP_EMPTY &&
		    t->ips[ai].nanswered[kind] >= t->lim.macs_per_ip) {
			/* More MACs for one IP than any conflict has: a
			 * flood's evidence even when they "answer" us. */
			note_source(t, f, 0, 1);
			t->st.excess_answers++;
			t->st.dropped_ip_macs++;
			return 0;
		}
		uint32_t *slot;
		if ((ai = ip_agg(t, vk, f->spa)) == HMAP_EMPTY ||
		    (slot = hmap_slot(&t->by_bind, &k)) == NULL ||
		    reserve((void **)&t->hosts, &t->hosts_cap, t->nhosts,
		    sizeof(*t->hosts)) == -1)
			return -1;
		struct host *h = &t->hosts[t->nhosts];
		memset(h, 0, sizeof(*h));
		h->ip = f->spa;
		memcpy(h->mac, f->sha, 6);
		h->vlan = f->vlan;
		h->outer_vlan = f->outer_vlan;
		memcpy(h->src, frame_source(f), 6);
		h->first_ns = h->last_ns = f->ts_ns;
		h->ip_idx = ai;
		t->ips[ai].nmacs++;
		if (answered)
			t->ips[ai].nanswered[kind]++;
		else
			t->st.unsolicited++;
		idx = *slot = (uint32_t)t->nhosts++;
		t->memo = k;
		t->memo_idx = idx;
	} else {
		t->memo = k;
		t->memo_idx = idx;
	}
	struct host *h = &t->hosts[idx];
	if (f->ts_ns < h->first_ns)
		h->first_ns = f->ts_ns;
	if (f->ts_ns > h->last_ns)
		h->last_ns = f->ts_ns;
	if (f->ifindex != IFINDEX_NONE)
		note_port(h, f->ifindex);
	*out = h;
	return 0;
}

/* The requester entry for mac, or -1; *memo remembers the last hit. */
static int
find_requester(const struct table *t, const uint8_t mac[6], unsigned *memo)
{
	if (*memo < t->nreq && memcmp(t->req[*memo].mac, mac, 6) == 0)
		return (int)*memo;
	for (unsigned i = 0; i < t->nreq; i++) {
		if (memcmp(t->req[i].mac, mac, 6) == 0) {
			*memo = i;
			return (int)i;
		}
	}
	return -1;
}

/* A request that asks someone: count it for its requester, and as a claim
 * on every other requester's address it uses. */
/* A request whose sender IP another requester uses claims that IP. */
static void
claims(struct table *t, const struct arp_frame *f, int self)
{
	if (f->spa == 0)
		return;
	for (unsigned j = 0; j < t->nreq; j++)
		if ((int)j != self && t->req[j].ip == f->spa)
			t->req[j].claims++;
}

/* Count f's requester; returns its slot, or -1 when it is not counted. */
static int
note_requester(struct table *t, const struct arp_frame *f)
{
	/*
	 * Only a requester whose frames carry its own MAC as Ethernet source
	 * counts: a flooder forges ARP sender MACs under one Ethernet source,
	 * and must not outvote the scanner. No inherited counts either: an
	 * evicted slot's count would let 16 fresh MACs climb past anyone.
	 */
	bool own = !f->has_frame_src || memcmp(f->frame_src, f->sha, 6) == 0;
	int i = own ? find_requester(t, f->sha, &t->req_memo) : -1;

	if (i < 0 && !own) {
		claims(t, f, -1);
		return -1;
	}
	if (i < 0) {
		unsigned min = 0;
		for (unsigned j = 1; j < t->nreq; j++)
			if (t->req[j].requests < t->req[min].requests)
				min = j;
		if (t->nreq < REQUESTERS) {
			i = (int)t->nreq++;
		} else {
			i = (int)min;
		}
		memset(&t->req[i], 0, sizeof(t->req[i]));
		memcpy(t->req[i].mac, f->sha, 6);
		t->req[i].ip = f->spa;
		t->req_memo = (unsigned)i;
	}
	t->req[i].requests++;
	claims(t, f, i);
	/* The busiest so far: its rounds have a quota of their own. */
	if (t->req[i].requests > t->req[t->req_top].requests)
		t->req_top = (unsigned)i;
	return i;
}

static void
round_key(struct round_key *k, uint32_t vk, uint32_t ip, const uint8_t mac[6])
{
	memset(k, 0, sizeof(*k));
	k->vk = vk;
	k->ip = ip;
	memcpy(k->requester, mac, 6);
}

/*
 * A frame whose Ethernet source is not its sender MAC. Beyond the binding
 * cap, only an answered binding's first MISMATCHES_PER_BINDING sources are
 * still stored: a proxy answering us is not lost to a flood.
 */
#define MISMATCHES_PER_BINDING 4

static int
note_mismatch(struct table *t, const struct arp_frame *f, uint32_t vk,
    struct host *h, bool answered)
{
	struct mis_key k;

	memset(&k, 0, sizeof(k));
	k.vk = vk;
	k.ip = f->spa;
	memcpy(k.mac, f->sha, 6);
	memcpy(k.frame_mac, f->frame_src, 6);
	if (t->nmis >= binding_cap(t) && !(answered && h != NULL &&
	    h->nmis < MISMATCHES_PER_BINDING) &&
	    hmap_get(&t->by_mis, &k) == HMAP_EMPTY) {
		t->st.dropped_mismatches++;
		return 0;
	}
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
		if (h != NULL && h->nmis < UINT16_MAX)
			h->nmis++;
	}
	t->mis[*slot].count++;
	return 0;
}

static int
add_request(struct table *t, const struct arp_frame *f, uint32_t vk,
    struct host **hp)
{
	/* A gratuitous request (spa == tpa) announces; it asks nobody. */
	if (f->spa != f->tpa) {
		struct round_key k;
		round_key(&k, vk, f->tpa, f->sha);
		int rq = note_requester(t, f);
		/* The main requester's rounds (the scanner's, live) have their
		 * own quota beside everyone else's: requests forged at any rate
		 * cannot crowd out the rounds our answers are matched against. */
		bool top = rq >= 0 && (unsigned)rq == t->req_top;
		uint32_t *slot = NULL;
		if ((top ? t->top_rounds < t->lim.max_rounds :
		    t->nrounds - t->top_rounds < TABLE_OTHER_ROUNDS) ||
		    hmap_get(&t->by_round, &k) != HMAP_EMPTY) {
			if ((slot = hmap_slot(&t->by_round, &k)) == NULL)
				return -1;
		} else {
			t->st.dropped_rounds++;
		}
		if (slot != NULL && *slot == HMAP_EMPTY) {
			if (reserve((void **)&t->rounds, &t->rounds_cap,
			    t->nrounds, sizeof(*t->rounds)) == -1)
				return -1;
			struct round *r = &t->rounds[t->nrounds];
			memset(r, 0, sizeof(*r));
			r->vk = vk;
			r->ip = f->tpa;
			*slot = (uint32_t)t->nrounds++;
			if (top)
				t->top_rounds++;
		}
		if (slot != NULL) {
			struct round *r = &t->rounds[*slot];
			r->id = ++t->round_seq;
			r->ts_ns = f->ts_ns;
			r->requests++;
			r->nans = 0;
			r->own_answer = false;
		}
	}
	/* An RFC 5227 probe (spa 0.0.0.0) claims no address. */
	if (f->spa != 0) {
		struct host *h;
		if (binding(t, f, vk, false, &h) == -1)
			return -1;
		if (h != NULL)
			h->announcements++;
		*hp = h;
	}
	return 0;
}

/* Who a reply was for: counted against the requester it names, if any. */
static void
note_reply_target(struct table *t, const struct arp_frame *f, bool matched)
{
	int i = find_requester(t, f->tha, &t->tha_memo);

	if (i < 0 || t->req[i].ip != f->tpa)
		return;
	if (matched)
		t->req[i].answers++;
	else
		t->req[i].unasked++;
}

static int
add_reply(struct table *t, const struct arp_frame *f, uint32_t vk,
    struct table_event *ev, struct host **hp)
{
	struct round_key k;
	struct host *h;

	t->replies++;
	round_key(&k, vk, f->spa, f->tha);
	uint32_t ri = hmap_get(&t->by_round, &k);
	note_reply_target(t, f, ri != HMAP_EMPTY);
	if (ri == HMAP_EMPTY) {
		t->st.unsolicited_frames++;
		note_source(t, f, 1, 0);
	}
	if (binding(t, f, vk, ri != HMAP_EMPTY, &h) == -1)
		return -1;
	if (h == NULL) {
		/* An answer beyond macs_per_ip MACs for its IP. */
		ev->matched = ev->suspect = ri != HMAP_EMPTY;
		return 0;
	}
	*hp = h;
	h->replies++;
	if (ri == HMAP_EMPTY) {
		h->unmatched++;
		return 0;
	}
	struct round *r = &t->rounds[ri];
	uint32_t hi = (uint32_t)(h - t->hosts);
	ev->matched = true;
	ev->suspect = t->ips[h->ip_idx].nmacs > 1;
	/* The first answer under its own source: a flood's forgeries under
	 * one port's source do not take the RTT from the real answer. */
	ev->first = own_source(f) && !r->own_answer;
	if (own_source(f))
		r->own_answer = true;
	/* A file's stamps span all of int64 (capture.c clamps them there):
	 * an answer stamped ages before its request must not overflow. */
	if (__builtin_sub_overflow(f->ts_ns, r->ts_ns, &ev->rtt_ns))
		ev->rtt_ns = f->ts_ns < r->ts_ns ? INT64_MIN : INT64_MAX;
	for (unsigned i = 0; i < r->nans; i++) {
		if (r->ans_host[i] != hi)
			continue;
		/* Answered this request before: the twin pattern's raw fact. */
		if (r->ans_count[i] < UINT16_MAX && ++r->ans_count[i] == 2)
			h->multi_rounds++;
		ev->suspect = ev->repeat = true;
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
	struct host *h = NULL;
	if (f->op == ARP_OP_REQUEST) {
		if (add_request(t, f, vk, &h) == -1)
			return -1;
	} else {
		ev->reply = true;
		if (add_reply(t, f, vk, ev, &h) == -1)
			return -1;
	}
	if (!own_source(f) && note_mismatch(t, f, vk, h, ev->matched) == -1)
		return -1;
	return 0;
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

/* Most unsolicited bindings first, then most frames, then MAC order. */
static int
source_cmp(const void *a, const void *b)
{
	const struct table_source *x = a, *y = b;

	if (x->bindings != y->bindings)
		return x->bindings > y->bindings ? -1 : 1;
	if (x->frames != y->frames)
		return x->frames > y->frames ? -1 : 1;
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
	/* Ours: the requester that asked most (the first of equals). */
	struct table_stats *st = &t->st;
	st->max_bindings = binding_cap(t);
	st->max_rounds = t->lim.max_rounds;
	st->macs_per_ip = t->lim.macs_per_ip;
	st->not_ours = t->replies;
	if (t->nreq > 0) {
		const struct requester *o = &t->req[0];
		for (unsigned i = 1; i < t->nreq; i++)
			if (t->req[i].requests > o->requests)
				o = &t->req[i];
		st->has_ours = true;
		memcpy(st->our_mac, o->mac, 6);
		st->our_ip = o->ip;
		st->our_requests = o->requests;
		st->answers = o->answers;
		st->unasked = o->unasked;
		st->not_ours = t->replies - o->answers - o->unasked;
		st->claims_our_ip = o->claims;
	}
	qsort(t->src, t->nsrc, sizeof(*t->src), source_cmp);
}

const struct table_stats *
table_stats(const struct table *t)
{
	return &t->st;
}

size_t
table_nsources(const struct table *t)
{
	return t->nsrc;
}

const struct table_source *
table_source(const struct table *t, size_t i)
{
	return i < t->nsrc ? &t->src[i] : NULL;
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
