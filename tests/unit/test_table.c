/* Unit tests: table (bindings, rounds) and findings (classification). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../report/findings.h"
#include "../../report/table.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (b) << 16 | (c) << 8 | (d))
#define MS 1000000LL

static const uint8_t SCANNER[6] = { 0x52, 0x54, 0, 0, 0, 0x01 };
static const uint32_t SCANNER_IP = IP(198, 18, 0, 1);

static void
mac(uint8_t out[6], uint8_t last)
{
	const uint8_t m[6] = { 0x52, 0x54, 0, 0, 0, last };
	memcpy(out, m, 6);
}

static struct arp_frame
frame(int64_t ts, uint16_t op, const uint8_t sha[6], uint32_t spa,
    const uint8_t tha[6], uint32_t tpa)
{
	struct arp_frame f;

	memset(&f, 0, sizeof(f));
	f.ts_ns = ts;
	f.op = op;
	memcpy(f.sha, sha, 6);
	memcpy(f.frame_src, sha, 6);
	f.has_frame_src = true;
	if (tha)
		memcpy(f.tha, tha, 6);
	f.spa = spa;
	f.tpa = tpa;
	f.vlan = f.outer_vlan = VLAN_NONE;
	f.ifindex = IFINDEX_NONE;
	f.pkttype = PKTTYPE_UNKNOWN;
	return f;
}

/* Our broadcast request for ip at ts. */
static void
request(struct table *t, int64_t ts, uint32_t ip)
{
	struct arp_frame f = frame(ts, ARP_OP_REQUEST, SCANNER, SCANNER_IP,
	    NULL, ip);
	assert_int_equal(table_add(t, &f, NULL), 0);
}

static struct table_event
reply(struct table *t, int64_t ts, uint8_t m, uint32_t ip)
{
	uint8_t sha[6];
	struct table_event ev;

	mac(sha, m);
	struct arp_frame f = frame(ts, ARP_OP_REPLY, sha, ip, SCANNER,
	    SCANNER_IP);
	assert_int_equal(table_add(t, &f, &ev), 0);
	return ev;
}

static void
classify(struct table *t, struct findings *fs)
{
	table_finish(t);
	struct findings_input in = { .table = t };
	assert_int_equal(findings_compute(&in, fs), 0);
}

static void
test_plain_reply(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;

	request(t, 0, IP(198, 18, 0, 10));
	struct table_event ev = reply(t, 200000, 0x0a, IP(198, 18, 0, 10));
	assert_true(ev.reply);
	assert_true(ev.matched);
	assert_false(ev.suspect);
	assert_int_equal(ev.rtt_ns, 200000);
	classify(t, &fs);
	/* Our own request teaches the scanner's binding too. */
	assert_int_equal(table_nhosts(t), 2);
	struct host *h = table_host(t, 1);
	assert_int_equal(h->ip, IP(198, 18, 0, 10));
	assert_int_equal(h->replies, 1);
	assert_int_equal(h->probes, 1);
	assert_int_equal(h->rounds, 1);
	assert_int_equal(fs.n, 0);
	findings_free(&fs);
	table_free(t);
}

/* table_prefetch only warms the cache: on an empty table, before and
 * between adds, the table ends up as without it. */
static void
test_prefetch_changes_nothing(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t sha[6];
	struct arp_frame f;

	mac(sha, 0x0b);
	f = frame(0, ARP_OP_REQUEST, SCANNER, SCANNER_IP, NULL,
	    IP(198, 18, 0, 11));
	table_prefetch(t, &f);
	request(t, 0, IP(198, 18, 0, 11));
	f = frame(100000, ARP_OP_REPLY, sha, IP(198, 18, 0, 11), SCANNER,
	    SCANNER_IP);
	table_prefetch(t, &f);
	table_prefetch(t, &f);
	struct table_event ev = reply(t, 100000, 0x0b, IP(198, 18, 0, 11));
	assert_true(ev.matched);
	classify(t, &fs);
	assert_int_equal(table_nhosts(t), 2);
	assert_int_equal(table_host(t, 1)->replies, 1);
	assert_int_equal(table_host(t, 1)->probes, 1);
	assert_int_equal(fs.n, 0);
	findings_free(&fs);
	table_free(t);
}

static void
test_twin(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 20);

	/* A first pass and three confirmation rounds, each answered by two
	 * machines with one MAC. */
	for (int r = 0; r < 4; r++) {
		request(t, r * 200 * MS, ip);
		reply(t, r * 200 * MS + 200000, 0x20, ip);
		struct table_event ev = reply(t, r * 200 * MS + 350000, 0x20, ip);
		assert_true(ev.suspect);
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_TWIN);
	assert_int_equal(fs.v[0].replies, 8);
	assert_int_equal(fs.v[0].probes, 4);
	assert_int_equal(fs.v[0].multi_rounds, 4);
	assert_non_null(strstr(fs.v[0].message, "two machines share"));
	size_t k = table_find(t, VLAN_NONE, VLAN_NONE, ip,
	    (const uint8_t[6]){ 0x52, 0x54, 0, 0, 0, 0x20 });
	assert_true(k != TABLE_NONE);
	assert_true(fs.host_flags[k] & FINDING_BIT(FIND_TWIN));
	findings_free(&fs);
	table_free(t);
}

/* Two requesters whose rounds interleave: each twin pair still counts per
 * request, not per switch between requesters. */
static void
test_twin_with_interleaved_requesters(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 20);
	uint8_t other[6], twin[6];

	mac(other, 0x02);
	mac(twin, 0x20);
	for (int r = 0; r < 3; r++) {
		int64_t b = r * 100 * MS;
		struct arp_frame qa = frame(b, ARP_OP_REQUEST, SCANNER,
		    SCANNER_IP, NULL, ip);
		struct arp_frame qb = frame(b + 1, ARP_OP_REQUEST, other,
		    IP(198, 18, 0, 2), NULL, ip);
		struct arp_frame ra = frame(b + 2, ARP_OP_REPLY, twin, ip,
		    SCANNER, SCANNER_IP);
		struct arp_frame rb = frame(b + 3, ARP_OP_REPLY, twin, ip,
		    other, IP(198, 18, 0, 2));
		assert_int_equal(table_add(t, &qa, NULL), 0);
		assert_int_equal(table_add(t, &qb, NULL), 0);
		for (int k = 0; k < 2; k++) {	/* each twin answers both */
			ra.ts_ns += 10;
			rb.ts_ns += 10;
			assert_int_equal(table_add(t, &ra, NULL), 0);
			assert_int_equal(table_add(t, &rb, NULL), 0);
		}
	}
	classify(t, &fs);
	size_t k = table_find(t, VLAN_NONE, VLAN_NONE, ip, twin);
	assert_true(k != TABLE_NONE);
	assert_int_equal(table_host(t, k)->rounds, 6);
	assert_int_equal(table_host(t, k)->multi_rounds, 6);
	assert_int_equal(fs.by_kind[FIND_TWIN], 1);
	findings_free(&fs);
	table_free(t);
}

static void
test_one_off_double_reply(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 80);

	request(t, 0, ip);
	reply(t, 200000, 0x50, ip);
	reply(t, 500000, 0x50, ip);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_REPEATED_REPLY);
	assert_int_equal(fs.by_kind[FIND_TWIN], 0);
	findings_free(&fs);
	table_free(t);
}

static void
test_late_reply_after_retry(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 60);

	request(t, 0, ip);
	request(t, 100 * MS, ip);		/* retry: nothing came yet */
	reply(t, 150 * MS, 0x3c, ip);		/* late answer to the first */
	reply(t, 250 * MS, 0x3c, ip);		/* answer to the retry */
	classify(t, &fs);
	assert_int_equal(fs.n, 0);
	findings_free(&fs);
	table_free(t);
}

static void
test_twin_needs_more_replies_than_requests(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 61);

	/* A slow host retried twice, twice over: two rounds each get two
	 * answers, but it never sent more replies than it was asked for. */
	for (int r = 0; r < 2; r++) {
		int64_t base = r * 1000 * MS;
		request(t, base, ip);
		request(t, base + 100 * MS, ip);
		reply(t, base + 150 * MS, 0x3d, ip);
		reply(t, base + 250 * MS, 0x3d, ip);
	}
	classify(t, &fs);
	assert_int_equal(table_host(t, 1)->multi_rounds, 2);
	assert_int_equal(fs.n, 0);
	findings_free(&fs);
	table_free(t);
}

static void
test_ip_conflict(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 30);

	for (int r = 0; r < 4; r++) {
		request(t, r * 200 * MS, ip);
		reply(t, r * 200 * MS + 1, 0x30, ip);
		struct table_event ev = reply(t, r * 200 * MS + 2, 0x31, ip);
		assert_true(ev.suspect);
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_IP_CONFLICT);
	assert_int_equal(fs.v[0].nhosts, 2);
	assert_int_equal(fs.v[0].ip, ip);
	assert_non_null(strstr(fs.v[0].message, "52:54:00:00:00:30"));
	assert_non_null(strstr(fs.v[0].message, "52:54:00:00:00:31"));
	findings_free(&fs);
	table_free(t);
}

static void
test_shared_mac(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;

	request(t, 0, IP(198, 18, 0, 40));
	reply(t, 1, 0x40, IP(198, 18, 0, 40));
	request(t, 2, IP(198, 18, 0, 41));
	reply(t, 3, 0x40, IP(198, 18, 0, 41));
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_SHARED_MAC);
	assert_int_equal(fs.v[0].nhosts, 2);
	assert_non_null(strstr(fs.v[0].message, "one host with two addresses"));
	findings_free(&fs);
	table_free(t);

	/* One MAC for many IPs reads as a router or proxy. */
	t = table_new();
	for (int i = 0; i < 4; i++) {
		request(t, i * 10, IP(198, 18, 1, i + 1));
		reply(t, i * 10 + 1, 0x99, IP(198, 18, 1, i + 1));
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_non_null(strstr(fs.v[0].message, "router or proxy ARP"));
	findings_free(&fs);
	table_free(t);
}

static void
test_frame_mismatch(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t sha[6];

	mac(sha, 0x32);
	request(t, 0, IP(198, 18, 0, 50));
	struct arp_frame f = frame(1, ARP_OP_REPLY, sha, IP(198, 18, 0, 50),
	    SCANNER, SCANNER_IP);
	f.frame_src[4] = 0x05;
	assert_int_equal(table_add(t, &f, NULL), 0);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_FRAME_MISMATCH);
	assert_int_equal(fs.v[0].frames, 1);
	assert_int_equal(fs.v[0].frame_mac[4], 0x05);
	assert_int_equal(fs.v[0].nhosts, 1);
	assert_true(fs.host_flags[fs.v[0].hosts[0]] &
	    FINDING_BIT(FIND_FRAME_MISMATCH));
	findings_free(&fs);
	table_free(t);
}

/* One forged source for two IPs: two findings, both bindings flagged; and a
 * binding seen once has last_seen == first_seen, even before 1970. */
static void
test_mismatch_per_ip_and_first_last_seen(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t sha[6];

	mac(sha, 0x32);
	for (int i = 0; i < 2; i++) {
		struct arp_frame f = frame(-5 * MS + i, ARP_OP_REPLY, sha,
		    IP(198, 18, 0, 10 + i), SCANNER, SCANNER_IP);
		f.frame_src[5] = 0x99;
		assert_int_equal(table_add(t, &f, NULL), 0);
	}
	classify(t, &fs);
	assert_int_equal(fs.by_kind[FIND_FRAME_MISMATCH], 2);
	for (size_t i = 0; i < table_nhosts(t); i++) {
		const struct host *h = table_host(t, i);
		assert_true(fs.host_flags[i] & FINDING_BIT(FIND_FRAME_MISMATCH));
		assert_int_equal(h->first_ns, h->last_ns);
		assert_true(h->first_ns < 0);
	}
	findings_free(&fs);
	table_free(t);
}

static void
test_unsolicited_replies(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;

	for (int i = 0; i < 3; i++)
		reply(t, i, 0x5a, IP(198, 18, 0, 90));
	struct table_event ev = reply(t, 10, 0x5b, IP(198, 18, 0, 91));
	assert_false(ev.matched);
	assert_int_equal(ev.rtt_ns, -1);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_REPEATED_REPLY);
	assert_int_equal(fs.v[0].ip, IP(198, 18, 0, 90));
	assert_int_equal(table_host(t, 0)->unmatched, 3);
	findings_free(&fs);
	table_free(t);
}

static void
test_announcements_and_probes(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t a[6], b[6];

	mac(a, 0x95);
	mac(b, 0x96);
	/* Gratuitous: it announces .95 and asks nobody. */
	struct arp_frame g = frame(0, ARP_OP_REQUEST, a, IP(198, 18, 0, 95),
	    NULL, IP(198, 18, 0, 95));
	/* RFC 5227 probe: asks for .96 but claims nothing. */
	struct arp_frame p = frame(1, ARP_OP_REQUEST, b, 0, NULL,
	    IP(198, 18, 0, 96));
	assert_int_equal(table_add(t, &g, NULL), 0);
	assert_int_equal(table_add(t, &p, NULL), 0);
	classify(t, &fs);
	assert_int_equal(table_nhosts(t), 1);
	assert_int_equal(table_host(t, 0)->ip, IP(198, 18, 0, 95));
	assert_int_equal(table_host(t, 0)->announcements, 1);
	assert_int_equal(table_host(t, 0)->probes, 0);
	assert_int_equal(table_probes(t, VLAN_NONE, VLAN_NONE,
	    IP(198, 18, 0, 96)), 1);
	assert_int_equal(fs.n, 0);
	findings_free(&fs);
	table_free(t);
}

static void
test_vlans_are_separate_segments(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t a[6], b[6];

	mac(a, 0x0a);
	mac(b, 0x0b);
	struct arp_frame x = frame(0, ARP_OP_REPLY, a, IP(198, 18, 0, 10),
	    SCANNER, SCANNER_IP);
	struct arp_frame y = frame(1, ARP_OP_REPLY, b, IP(198, 18, 0, 10),
	    SCANNER, SCANNER_IP);
	y.vlan = 100;
	assert_int_equal(table_add(t, &x, NULL), 0);
	assert_int_equal(table_add(t, &y, NULL), 0);
	/* The same MAC on two VLANs is not a shared MAC either. */
	struct arp_frame z = frame(2, ARP_OP_REPLY, a, IP(198, 18, 0, 11),
	    SCANNER, SCANNER_IP);
	z.vlan = 100;
	assert_int_equal(table_add(t, &z, NULL), 0);
	classify(t, &fs);
	assert_int_equal(table_nhosts(t), 3);
	assert_int_equal(fs.n, 0);
	/* Sorted by IP, then VLAN (untagged first). */
	assert_int_equal(table_host(t, 0)->vlan, VLAN_NONE);
	assert_int_equal(table_host(t, 1)->vlan, 100);
	findings_free(&fs);
	table_free(t);
}

static void
test_many_hosts_sorted(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;

	/* Enough hosts to grow every map several times, added in reverse. */
	for (int i = 5000; i > 0; i--) {
		uint32_t ip = IP(198, 18, 1, 0) + (uint32_t)i;
		request(t, 5000 - i, ip);
		reply(t, 5000 - i, (uint8_t)i, ip);
	}
	classify(t, &fs);
	assert_int_equal(table_nhosts(t), 5001);
	for (size_t i = 1; i < table_nhosts(t); i++)
		assert_true(table_host(t, i - 1)->ip < table_host(t, i)->ip);
	/* 5000 IPs over 256 MACs: every MAC is shared. */
	assert_int_equal(fs.by_kind[FIND_SHARED_MAC], 256);
	findings_free(&fs);
	table_free(t);
}


/* Any frame, with its Ethernet source; returns the event. */
static struct table_event
raw(struct table *t, int64_t ts, uint16_t op, const uint8_t sha[6],
    uint32_t spa, const uint8_t tha[6], uint32_t tpa, const uint8_t src[6])
{
	struct table_event ev;
	struct arp_frame f = frame(ts, op, sha, spa, tha, tpa);

	if (src != NULL)
		memcpy(f.frame_src, src, 6);
	assert_int_equal(table_add(t, &f, &ev), 0);
	return ev;
}

/* A MAC 02:00:00:00:HH:LL from a number, for floods. */
static void
nmac(uint8_t out[6], unsigned n)
{
	const uint8_t m[6] = { 0x02, 0, 0, (uint8_t)(n >> 16), (uint8_t)(n >> 8),
	    (uint8_t)n };
	memcpy(out, m, 6);
}

static const uint8_t FLOODER[6] = { 0x02, 0, 0, 0, 0xf1, 0x0d };

/* Beyond the cap, unsolicited bindings are counted, not stored; answers
 * to requests still are. */
static void
test_binding_cap(void **state)
{
	(void)state;
	struct table_limits lim = { .max_bindings = 10 };
	struct table *t = table_new_limited(&lim);
	uint8_t m[6];

	for (unsigned i = 0; i < 50; i++) {
		nmac(m, i);
		struct table_event ev = raw(t, i, ARP_OP_REPLY, m,
		    IP(198, 18, 1, i), SCANNER, SCANNER_IP, FLOODER);
		assert_false(ev.matched);
		assert_false(ev.suspect);
		assert_int_equal(ev.rtt_ns, -1);
	}
	assert_int_equal(table_nhosts(t), 10);
	/* The scanner's own binding is unsolicited too: cap reached. */
	request(t, 100, IP(198, 18, 0, 10));
	struct table_event ev = reply(t, 200, 0x10, IP(198, 18, 0, 10));
	assert_true(ev.matched);
	assert_true(ev.first);
	table_finish(t);
	const struct table_stats *st = table_stats(t);
	assert_int_equal(table_nhosts(t), 11);
	assert_int_equal(st->dropped_bindings, 41);
	assert_int_equal(st->unsolicited, 10);
	assert_int_equal(st->unsolicited_frames, 50);
	assert_int_equal(st->max_bindings, 10);
	assert_non_null(table_find(t, VLAN_NONE, VLAN_NONE, IP(198, 18, 0, 10),
	    (const uint8_t[6]){ 0x52, 0x54, 0, 0, 0, 0x10 }) != TABLE_NONE ?
	    "" : NULL);
	table_free(t);

	/* The default cap grows with the rounds seen. */
	t = table_new();
	for (unsigned i = 0; i < 100; i++)
		request(t, i, IP(198, 18, 2, i));
	table_finish(t);
	assert_int_equal(table_stats(t)->max_bindings,
	    TABLE_BINDING_ALLOWANCE + 200);
	table_free(t);
}

/* Forged answers to one request stop at TABLE_MACS_PER_IP MACs. */
static void
test_macs_per_ip(void **state)
{
	(void)state;
	struct table_limits lim = { .max_bindings = 5 };
	struct table *t = table_new_limited(&lim);
	uint32_t ip = IP(198, 18, 0, 10);
	uint8_t m[6];

	/* 30 forged answers from one port under other MACs first... */
	request(t, 0, ip);
	for (unsigned i = 0; i < 30; i++) {
		nmac(m, i);
		struct table_event ev = raw(t, 10 + i, ARP_OP_REPLY, m, ip,
		    SCANNER, SCANNER_IP, FLOODER);
		assert_true(ev.matched);
		assert_false(ev.first);
	}
	/* ...do not push out the real answer, late as it comes, which is
	 * the round's first under its own source. */
	struct table_event ev = reply(t, 100, 0x10, ip);
	assert_true(ev.matched && ev.first);
	assert_int_equal(ev.rtt_ns, 100);
	table_finish(t);
	const struct table_stats *st = table_stats(t);
	assert_int_equal(table_nhosts(t), 2 + TABLE_MACS_PER_IP);
	assert_int_equal(st->dropped_ip_macs, 30 - TABLE_MACS_PER_IP);
	assert_int_equal(st->excess_answers, 30 - TABLE_MACS_PER_IP);
	/* Beyond the cap (5), a mismatch is kept only as a stored answered
	 * binding's: 16 of the 30. */
	assert_int_equal(table_nmismatches(t), TABLE_MACS_PER_IP);
	assert_true(table_find(t, VLAN_NONE, VLAN_NONE, ip,
	    (const uint8_t[6]){ 0x52, 0x54, 0, 0, 0, 0x10 }) != TABLE_NONE);
	table_free(t);

	/* Forged under their own MACs: bounded alike, in their own kind. */
	t = table_new();
	request(t, 0, ip);
	for (unsigned i = 0; i < 30; i++) {
		nmac(m, i);
		raw(t, 10 + i, ARP_OP_REPLY, m, ip, SCANNER, SCANNER_IP, m);
	}
	table_finish(t);
	assert_int_equal(table_nhosts(t), 1 + TABLE_MACS_PER_IP);
	assert_int_equal(table_stats(t)->dropped_ip_macs,
	    30 - TABLE_MACS_PER_IP);
	table_free(t);
}

static void
test_round_cap(void **state)
{
	(void)state;
	struct table_limits lim = { .max_rounds = 5 };
	struct table *t = table_new_limited(&lim);

	for (unsigned i = 0; i < 10; i++)
		request(t, i, IP(198, 18, 0, 10 + i));
	/* Asked, but its round was not stored: the answer is unmatched. */
	struct table_event ev = reply(t, 20, 0x19, IP(198, 18, 0, 19));
	assert_false(ev.matched);
	ev = reply(t, 21, 0x10, IP(198, 18, 0, 10));
	assert_true(ev.matched);
	table_finish(t);
	assert_int_equal(table_stats(t)->dropped_rounds, 5);
	table_free(t);
}

/* The twin pattern is marked as such; only matched replies are suspects. */
static void
test_event_flags(void **state)
{
	(void)state;
	struct table *t = table_new();
	uint32_t ip = IP(198, 18, 0, 20);

	request(t, 0, ip);
	struct table_event ev = reply(t, 200000, 0x20, ip);
	assert_true(ev.first && !ev.repeat && !ev.suspect);
	ev = reply(t, 350000, 0x20, ip);
	assert_true(!ev.first && ev.repeat && ev.suspect);
	ev = reply(t, 400000, 0x21, ip);
	assert_true(!ev.first && !ev.repeat && ev.suspect);
	/* Unmatched: an IP nobody asked, even one with two MACs. */
	reply(t, 500000, 0x30, IP(198, 18, 0, 30));
	ev = reply(t, 500001, 0x31, IP(198, 18, 0, 30));
	assert_false(ev.matched || ev.suspect || ev.first);
	table_free(t);
}

/* "Ours" is the requester that asked most, taken from the frames. */
static void
test_ours_and_untrusted(void **state)
{
	(void)state;
	struct table *t = table_new();
	uint8_t other[6], victim[6];
	uint32_t oip = IP(198, 18, 0, 77);

	mac(other, 0x77);
	mac(victim, 0x55);
	for (unsigned i = 0; i < 5; i++)
		request(t, i, IP(198, 18, 0, 10 + i));
	reply(t, 10, 0x10, IP(198, 18, 0, 10));		/* an answer */
	reply(t, 11, 0x99, IP(198, 18, 0, 99));		/* never asked */
	/* Another requester, answered: not ours. */
	raw(t, 12, ARP_OP_REQUEST, other, oip, NULL, IP(198, 18, 0, 11), NULL);
	uint8_t m11[6];
	mac(m11, 0x11);
	raw(t, 13, ARP_OP_REPLY, m11, IP(198, 18, 0, 11), other, oip, NULL);
	/* Target fields not ours: a reply to a victim. */
	raw(t, 14, ARP_OP_REPLY, other, IP(198, 18, 0, 1), victim,
	    IP(198, 18, 0, 55), NULL);
	/* Requests from another MAC claiming our IP. */
	raw(t, 15, ARP_OP_REQUEST, other, SCANNER_IP, NULL, IP(198, 18, 0, 12),
	    NULL);
	raw(t, 16, ARP_OP_REQUEST, other, SCANNER_IP, NULL, IP(198, 18, 0, 13),
	    NULL);
	/* Our MAC, another IP: matched by the definition, yet not ours. */
	uint8_t m12[6];
	mac(m12, 0x12);
	raw(t, 17, ARP_OP_REPLY, m12, IP(198, 18, 0, 12), SCANNER,
	    IP(198, 18, 0, 200), NULL);
	table_finish(t);
	const struct table_stats *st = table_stats(t);
	assert_true(st->has_ours);
	assert_memory_equal(st->our_mac, SCANNER, 6);
	assert_int_equal(st->our_ip, SCANNER_IP);
	assert_int_equal(st->our_requests, 5);
	assert_int_equal(st->answers, 1);
	assert_int_equal(st->unasked, 1);
	assert_int_equal(st->not_ours, 3);
	assert_int_equal(st->claims_our_ip, 2);
	table_free(t);

	/* No request at all: no "ours", every reply untrusted. */
	t = table_new();
	reply(t, 0, 0x90, IP(198, 18, 0, 90));
	table_finish(t);
	assert_false(table_stats(t)->has_ours);
	assert_int_equal(table_stats(t)->not_ours, 1);
	table_free(t);
}

/* A MAC answering for the gateway while keeping its own IP is spoofing,
 * with the rightful MAC named; not ip-conflict nor shared-mac. */
static void
test_spoofing_claims_ip(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t gw = IP(198, 18, 0, 254), own = IP(198, 18, 0, 66);

	request(t, 0, own);
	reply(t, 1, 0x66, own);
	request(t, 2, gw);
	reply(t, 3, 0xfe, gw);
	reply(t, 4, 0x66, gw);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	const struct finding *f = &fs.v[0];
	assert_int_equal(f->kind, FIND_SPOOFING);
	assert_int_equal(f->ip, gw);
	assert_int_equal(f->own_ip, own);
	assert_int_equal(f->mac[5], 0x66);
	assert_int_equal(f->nhosts, 2);
	assert_int_equal(table_host(t, f->hosts[1])->mac[5], 0xfe);
	assert_false(f->proxy_arp);
	assert_non_null(strstr(f->message, "52:54:00:00:00:fe also answers"));
	assert_null(strstr(f->message, "cloned"));
	findings_free(&fs);
	table_free(t);

	/* Answering for several others' IPs: proxy ARP could explain it. */
	t = table_new();
	request(t, 0, own);
	reply(t, 1, 0x66, own);
	for (unsigned i = 0; i < 3; i++) {
		request(t, 10 + i, IP(198, 18, 0, 10 + i));
		reply(t, 20 + i, (uint8_t)(0x10 + i), IP(198, 18, 0, 10 + i));
		reply(t, 30 + i, 0x66, IP(198, 18, 0, 10 + i));
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 3);
	assert_int_equal(fs.by_kind[FIND_SPOOFING], 3);
	assert_true(fs.v[0].proxy_arp);
	assert_non_null(strstr(fs.v[0].message, "proxy ARP"));
	findings_free(&fs);
	table_free(t);

	/* Two MACs with one IP each stay an ip-conflict. */
	t = table_new();
	request(t, 0, gw);
	reply(t, 1, 0xfe, gw);
	reply(t, 2, 0x66, gw);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_IP_CONFLICT);
	findings_free(&fs);
	table_free(t);
}

/* A frame under another known binding's Ethernet source is relayed. */
static void
test_spoofing_relay(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t m11[6], m66[6], stranger[6];

	mac(m11, 0x11);
	mac(m66, 0x66);
	request(t, 0, IP(198, 18, 0, 66));
	reply(t, 1, 0x66, IP(198, 18, 0, 66));
	request(t, 2, IP(198, 18, 0, 11));
	raw(t, 3, ARP_OP_REPLY, m11, IP(198, 18, 0, 11), SCANNER, SCANNER_IP,
	    m66);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_SPOOFING);
	assert_true(fs.v[0].relay);
	assert_int_equal(fs.v[0].ip, IP(198, 18, 0, 11));
	assert_memory_equal(fs.v[0].mac, m66, 6);
	assert_int_equal(fs.v[0].frames, 1);
	findings_free(&fs);
	table_free(t);

	/* An Ethernet source no binding has stays a frame-mismatch. */
	t = table_new();
	nmac(stranger, 5);
	request(t, 2, IP(198, 18, 0, 11));
	raw(t, 3, ARP_OP_REPLY, m11, IP(198, 18, 0, 11), SCANNER, SCANNER_IP,
	    stranger);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_FRAME_MISMATCH);
	findings_free(&fs);
	table_free(t);
}

/* Many unsolicited bindings from one source is a flood; its forgeries
 * are flagged and judged no further; real answers are untouched. */
static void
test_arp_flood(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint8_t m[6];

	request(t, 0, IP(198, 18, 0, 10));
	reply(t, 1, 0x10, IP(198, 18, 0, 10));
	for (unsigned i = 0; i < 2 * FLOOD_MIN_BINDINGS; i++) {
		nmac(m, i);
		/* every IP twice: ip-conflicts, were they judged */
		raw(t, 10 + i, ARP_OP_REPLY, m, IP(198, 18, 1, i % 200),
		    SCANNER, SCANNER_IP, FLOODER);
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	const struct finding *f = &fs.v[0];
	assert_int_equal(f->kind, FIND_ARP_FLOOD);
	assert_memory_equal(f->mac, FLOODER, 6);
	assert_int_equal(f->nsources, 1);
	assert_int_equal(f->sources[0].frames, 2 * FLOOD_MIN_BINDINGS);
	assert_non_null(strstr(f->message, "02:00:00:00:f1:0d"));
	assert_int_equal(fs.host_flags[0], 0);	/* the scanner */
	size_t k = table_find(t, VLAN_NONE, VLAN_NONE, IP(198, 18, 0, 10),
	    (const uint8_t[6]){ 0x52, 0x54, 0, 0, 0, 0x10 });
	assert_true(k != TABLE_NONE);
	assert_int_equal(fs.host_flags[k], 0);
	assert_true(fs.host_flags[2] & FINDING_BIT(FIND_ARP_FLOOD));
	findings_free(&fs);
	table_free(t);

	/* As many bindings from as many sources, each answering us: no flood. */
	t = table_new();
	for (unsigned i = 0; i < 2 * FLOOD_MIN_BINDINGS; i++) {
		nmac(m, i);
		uint32_t ip = IP(198, 18, 4, 0) + i;
		raw(t, 10 * i, ARP_OP_REQUEST, m, ip, NULL, ip, m);
		request(t, 10 * i + 1, ip);
		raw(t, 10 * i + 2, ARP_OP_REPLY, m, ip, SCANNER, SCANNER_IP, m);
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 0);
	findings_free(&fs);
	table_free(t);
}

/* Lists stop at FINDING_LIST items: a message is never cut. */
static void
test_messages_never_cut(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 30);

	request(t, 0, ip);
	for (unsigned i = 0; i < TABLE_MACS_PER_IP; i++)
		reply(t, 1 + i, (uint8_t)(0xa0 + i), ip);
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_IP_CONFLICT);
	assert_int_equal(fs.v[0].nhosts, TABLE_MACS_PER_IP);
	assert_non_null(strstr(fs.v[0].message, ", and 8 more): several "));
	const char *end = "lose their traffic.";
	size_t n = strlen(fs.v[0].message);
	assert_string_equal(fs.v[0].message + n - strlen(end), end);
	findings_free(&fs);
	table_free(t);
}

/* Answering each request ten times is a flood or a retransmitter, not two
 * machines: repeated-reply, not twin. */
static void
test_many_answers_are_no_twin(void **state)
{
	(void)state;
	struct table *t = table_new();
	struct findings fs;
	uint32_t ip = IP(198, 18, 0, 20);

	for (int r = 0; r < 3; r++) {
		request(t, r * 200 * MS, ip);
		for (int k = 0; k < 10; k++)
			reply(t, r * 200 * MS + 1 + k, 0x20, ip);
	}
	classify(t, &fs);
	assert_int_equal(fs.n, 1);
	assert_int_equal(fs.v[0].kind, FIND_REPEATED_REPLY);
	findings_free(&fs);
	table_free(t);
}

/* Frames are counted per ingress port (the twin evidence's "frames"),
 * first port first, and the count stops at UINT16_MAX instead of wrapping. */
static void
test_port_frames(void **state)
{
	(void)state;
	struct table *t = table_new();
	uint8_t sha[6];
	assert_non_null(t);
	mac(sha, 0x20);
	for (int k = 0; k < 3; k++) {
		request(t, 10 * k, IP(198, 18, 0, 20));
		struct arp_frame a = frame(10 * k + 1, ARP_OP_REPLY, sha,
		    IP(198, 18, 0, 20), SCANNER, SCANNER_IP);
		struct arp_frame b = a;
		a.ifindex = 7;
		b.ifindex = 6;
		b.ts_ns++;
		assert_int_equal(table_add(t, &a, NULL), 0);
		if (k < 2)
			assert_int_equal(table_add(t, &b, NULL), 0);
	}
	table_finish(t);
	size_t i = table_find(t, VLAN_NONE, VLAN_NONE, IP(198, 18, 0, 20), sha);
	assert_true(i != TABLE_NONE);
	struct host *h = table_host(t, i);
	assert_int_equal(h->nports, 2);
	assert_int_equal(h->ports[0], 7);
	assert_int_equal(h->port_frames[0], 3);
	assert_int_equal(h->ports[1], 6);
	assert_int_equal(h->port_frames[1], 2);
	table_free(t);

	t = table_new();
	assert_non_null(t);
	struct arp_frame g = frame(1, ARP_OP_REQUEST, sha, IP(198, 18, 0, 20),
	    NULL, IP(198, 18, 0, 20));	/* gratuitous: no round needed */
	g.ifindex = 5;
	for (unsigned k = 0; k < UINT16_MAX + 10u; k++) {
		g.ts_ns = k;
		assert_int_equal(table_add(t, &g, NULL), 0);
	}
	table_finish(t);
	h = table_host(t, 0);
	assert_int_equal(h->nports, 1);
	assert_int_equal(h->port_frames[0], UINT16_MAX);
	table_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_reply),
		cmocka_unit_test(test_prefetch_changes_nothing),
		cmocka_unit_test(test_twin),
		cmocka_unit_test(test_twin_with_interleaved_requesters),
		cmocka_unit_test(test_one_off_double_reply),
		cmocka_unit_test(test_mismatch_per_ip_and_first_last_seen),
		cmocka_unit_test(test_late_reply_after_retry),
		cmocka_unit_test(test_twin_needs_more_replies_than_requests),
		cmocka_unit_test(test_ip_conflict),
		cmocka_unit_test(test_shared_mac),
		cmocka_unit_test(test_frame_mismatch),
		cmocka_unit_test(test_unsolicited_replies),
		cmocka_unit_test(test_announcements_and_probes),
		cmocka_unit_test(test_vlans_are_separate_segments),
		cmocka_unit_test(test_many_hosts_sorted),
		cmocka_unit_test(test_binding_cap),
		cmocka_unit_test(test_macs_per_ip),
		cmocka_unit_test(test_round_cap),
		cmocka_unit_test(test_event_flags),
		cmocka_unit_test(test_ours_and_untrusted),
		cmocka_unit_test(test_spoofing_claims_ip),
		cmocka_unit_test(test_spoofing_relay),
		cmocka_unit_test(test_arp_flood),
		cmocka_unit_test(test_messages_never_cut),
		cmocka_unit_test(test_many_answers_are_no_twin),
		cmocka_unit_test(test_port_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
