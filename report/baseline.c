/* baseline: read a previous JSON report with json-c, compare bindings. */
#include "baseline.h"

#include <arpa/inet.h>
#include <errno.h>
#include <json.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../capture/escape.h"
#include "fmt.h"

struct bl_host {
	uint32_t	ip;
	uint16_t	vlan, outer_vlan;
	uint8_t		mac[6];
	bool		answered;	/* it sent replies then */
	char		last_seen[32];
	char		ports[HOST_PORTS][IF_NAMESIZE];	/* entered on then */
	uint8_t		nports;
};

struct baseline {
	struct bl_host	*v;
	size_t		n;
	char		made[32];	/* the latest last_seen: when it was made */
};

static int
key_cmp(uint32_t ip1, uint16_t v1, uint16_t o1, const uint8_t *m1,
    uint32_t ip2, uint16_t v2, uint16_t o2, const uint8_t *m2)
{
	if (ip1 != ip2)
		return ip1 < ip2 ? -1 : 1;
	if (v1 != v2)
		return v1 < v2 ? -1 : 1;
	if (o1 != o2)
		return o1 < o2 ? -1 : 1;
	return m1 == NULL || m2 == NULL ? 0 : memcmp(m1, m2, 6);
}

static int
bl_cmp(const void *a, const void *b)
{
	const struct bl_host *x = a, *y = b;

	return key_cmp(x->ip, x->vlan, x->outer_vlan, x->mac, y->ip, y->vlan,
	    y->outer_vlan, y->mac);
}

static bool
parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;

	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
		return false;
	for (int i = 0; i < 6; i++) {
		if (s[i * 3] == '+' || s[i * 3] == '-' || s[i * 3] == ' ')
			return false;
		mac[i] = (uint8_t)v[i];
	}
	return true;
}

/* null, or a whole number 0-4095 (VLAN_NONE is what null stands for). */
static bool
parse_vlan(struct json_object *o, uint16_t *vlan)
{
	if (o == NULL || json_object_is_type(o, json_type_null)) {
		*vlan = VLAN_NONE;
		return true;
	}
	if (!json_object_is_type(o, json_type_int))
		return false;
	int64_t v = json_object_get_int64(o);
	if (v < 0 || v > 4095)
		return false;
	*vlan = (uint16_t)v;
	return true;
}

/* RFC 3339 as fmt_time writes it: digits, '-', ':', 'T', '.', 'Z'. */
static bool
parse_time(const char *s, char out[32])
{
	size_t n = strlen(s);

	if (n < 20 || n > 31 || strspn(s, "0123456789-:T.Z") != n)
		return false;
	memcpy(out, s, n + 1);
	return true;
}

static const char *
str_field(struct json_object *obj, const char *key)
{
	struct json_object *o;

	if (!json_object_object_get_ex(obj, key, &o) ||
	    !json_object_is_type(o, json_type_string))
		return NULL;
	return json_object_get_string(o);
}

#define REMAKE "make a baseline with 'arpsweep --format json -o FILE'"

/* "ports": absent (a report from before ports), or a list of names; the
 * first HOST_PORTS are kept, as the table keeps them. */
static int
read_ports(struct json_object *h, struct bl_host *bh)
{
	struct json_object *o;

	if (!json_object_object_get_ex(h, "ports", &o))
		return 0;
	if (!json_object_is_type(o, json_type_array))
		return -1;
	size_t n = json_object_array_length(o);
	for (size_t i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(o, i);
		if (!json_object_is_type(p, json_type_string) ||
		    json_object_get_string_len(p) >= IF_NAMESIZE)
			return -1;
		if (bh->nports < HOST_PORTS)
			memcpy(bh->ports[bh->nports++],
			    json_object_get_string(p),
			    (size_t)json_object_get_string_len(p) + 1);
	}
	return 0;
}

static int
read_host(struct json_object *h, struct bl_host *bh)
{
	struct json_object *o;
	const char *ip = str_field(h, "ip"), *mac = str_field(h, "mac");
	const char *seen = str_field(h, "last_seen");
	struct in_addr a;

	if (!json_object_is_type(h, json_type_object) || ip == NULL ||
	    mac == NULL || seen == NULL || inet_pton(AF_INET, ip, &a) != 1 ||
	    !parse_mac(mac, bh->mac) || !parse_time(seen, bh->last_seen))
		return -1;
	bh->ip = ntohl(a.s_addr);
	if (!json_object_object_get_ex(h, "vlan", &o) ||
	    !parse_vlan(o, &bh->vlan) ||
	    !json_object_object_get_ex(h, "outer_vlan", &o) ||
	    !parse_vlan(o, &bh->outer_vlan) ||
	    !json_object_object_get_ex(h, "replies", &o) ||
	    !json_object_is_type(o, json_type_int) ||
	    json_object_get_int64(o) < 0)
		return -1;
	bh->answered = json_object_get_int64(o) > 0;
	return read_ports(h, bh);
}

/*
 * The format version: 2 says "format_version"; version 1 said "version".
 * The host fields read here (ip, mac, vlan, outer_vlan, replies,
 * last_seen, ports) kept their names and meaning from 1 to 2, so both are
 * read alike. Returns the version, or -1 (missing or not a number).
 */
static int64_t
format_version(struct json_object *root)
{
	struct json_object *o;

	if (json_object_object_get_ex(root, "format_version", &o))
		return json_object_is_type(o, json_type_int) ?
		    json_object_get_int64(o) : -1;
	/* Only version 1 wrote "version": another number under it is no
	 * version this arpsweep knows. */
	if (json_object_object_get_ex(root, "version", &o) &&
	    json_object_is_type(o, json_type_int))
		return json_object_get_int64(o) == 1 ? 1 : INT64_MAX;
	return -1;
}

static struct baseline *
from_json(struct json_object *root, const char *name, char *errbuf,
    size_t errlen)
{
	struct json_object *hosts;
	const char *fmt = NULL;
	struct baseline *b;

	if (json_object_is_type(root, json_type_object))
		fmt = str_field(root, "format");
	if (fmt == NULL || strcmp(fmt, BASELINE_FORMAT) != 0) {
		snprintf(errbuf, errlen, "--baseline '%s': not an arpsweep JSON "
		    "report with a format version (one from before version 1 "
		    "of the format, or another program's); " REMAKE, ESC(name));
		return NULL;
	}
	int64_t v = format_version(root);
	if (v < BASELINE_VERSION_OLDEST || v > BASELINE_VERSION) {
		char vs[24];
		snprintf(vs, sizeof(vs), "%lld", (long long)v);
		snprintf(errbuf, errlen, "--baseline '%s': report format version "
		    "%s, this arpsweep reads versions %d to %d%s; " REMAKE,
		    ESC(name), v == -1 ? "missing" : v == INT64_MAX ?
		    "unknown (\"version\" other than 1)" : vs,
		    BASELINE_VERSION_OLDEST, BASELINE_VERSION,
		    v > BASELINE_VERSION && v != INT64_MAX ? " (a newer "
		    "arpsweep wrote it)" : "");
		return NULL;
	}
	if (!json_object_object_get_ex(root, "hosts", &hosts) ||
	    !json_object_is_type(hosts, json_type_array)) {
		snprintf(errbuf, errlen, "--baseline '%s': no \"hosts\" list; "
		    REMAKE, ESC(name));
		return NULL;
	}
	size_t n = json_object_array_length(hosts);
	if ((b = calloc(1, sizeof(*b))) == NULL ||
	    (n > 0 && (b->v = calloc(n, sizeof(*b->v))) == NULL)) {
		free(b);
		snprintf(errbuf, errlen, "out of memory while reading the "
		    "baseline");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		if (read_host(json_object_array_get_idx(hosts, i),
		    &b->v[i]) == -1) {
			snprintf(errbuf, errlen, "--baseline '%s': host %zu is "
			    "not an arpsweep binding (ip, mac, vlan, outer_vlan, "
			    "replies, last_seen, ports); " REMAKE, ESC(name), i + 1);
			baseline_free(b);
			return NULL;
		}
		if (strcmp(b->v[i].last_seen, b->made) > 0)
			memcpy(b->made, b->v[i].last_seen, sizeof(b->made));
	}
	b->n = n;
	if (b->n > 1)		/* v is NULL for an empty list */
		qsort(b->v, b->n, sizeof(*b->v), bl_cmp);
	return b;
}

struct baseline *
baseline_read(FILE *fp, const char *name, char *errbuf, size_t errlen)
{
	struct json_tokener *tok = json_tokener_new();
	struct json_object *root = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	struct baseline *b = NULL;
	char buf[65536];
	size_t n, total = 0;

	if (tok == NULL) {
		snprintf(errbuf, errlen, "out of memory while reading the "
		    "baseline");
		return NULL;
	}
	while (root == NULL && (n = fread(buf, 1, sizeof(buf), fp)) > 0) {
		if ((total += n) > BASELINE_MAX_BYTES) {
			snprintf(errbuf, errlen, "--baseline '%s': longer than "
			    "%u MiB; name an arpsweep JSON report", ESC(name),
			    BASELINE_MAX_BYTES >> 20);
			goto out;
		}
		root = json_tokener_parse_ex(tok, buf, (int)n);
		jerr = json_tokener_get_error(tok);
		if (root == NULL && jerr != json_tokener_continue)
			break;
	}
	if (ferror(fp)) {
		snprintf(errbuf, errlen, "cannot read --baseline '%s': %s",
		    ESC(name), strerror(errno));
		goto out;
	}
	if (root == NULL) {
		snprintf(errbuf, errlen, "--baseline '%s': not JSON (%s); "
		    REMAKE, ESC(name), total == 0 ? "empty file" :
		    jerr == json_tokener_continue ? "cut short" :
		    json_tokener_error_desc(jerr));
		goto out;
	}
	b = from_json(root, name, errbuf, errlen);
out:
	json_object_put(root);
	json_tokener_free(tok);
	return b;
}

void
baseline_free(struct baseline *b)
{
	if (b == NULL)
		return;
	free(b->v);
	free(b);
}

/* First baseline entry for (ip, vlan, outer) at or after the key. */
static size_t
bl_lower(const struct baseline *b, uint32_t ip, uint16_t vlan, uint16_t outer)
{
	size_t lo = 0, hi = b->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct bl_host *h = &b->v[mid];
		if (key_cmp(h->ip, h->vlan, h->outer_vlan, NULL, ip, vlan,
		    outer, NULL) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
bl_same_addr(const struct bl_host *h, uint32_t ip, uint16_t vlan,
    uint16_t outer)
{
	return h->ip == ip && h->vlan == vlan && h->outer_vlan == outer;
}

static struct finding *
add(struct findings *fs, size_t *cap, enum finding_kind kind, uint32_t ip,
    const uint8_t mac[6], uint16_t vlan, uint16_t outer)
{
	if (fs->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct finding *v = realloc(fs->v, ncap * sizeof(*v));
		if (v == NULL)
			return NULL;
		fs->v = v;
		*cap = ncap;
	}
	struct finding *f = &fs->v[fs->n++];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->ip = ip;
	memcpy(f->mac, mac, 6);
	f->vlan = vlan;
	f->outer_vlan = outer;
	fs->by_kind[kind]++;
	return f;
}

static char *
vlan_words(char buf[32], uint16_t vlan, uint16_t outer)
{
	if (vlan == VLAN_NONE)
		buf[0] = '\0';
	else if (outer == VLAN_NONE)
		snprintf(buf, 32, " on VLAN %u", vlan);
	else
		snprintf(buf, 32, " on VLAN %u.%u", outer, vlan);
	return buf;
}

/* Does an answering current binding hold (ip, vlan, outer), other than
 * mac? The table is sorted by IP first: search, then scan that IP's few. */
static bool
answered_by_other(struct table *t, uint32_t ip, uint16_t vlan,
    uint16_t outer, const uint8_t mac[6])
{
	size_t lo = 0, hi = table_nhosts(t);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (table_host(t, mid)->ip < ip)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < table_nhosts(t) && table_host(t, lo)->ip == ip; lo++) {
		const struct host *h = table_host(t, lo);
		if (h->vlan == vlan && h->outer_vlan == outer &&
		    h->replies > 0 && memcmp(h->mac, mac, 6) != 0)
			return true;
	}
	return false;
}

/* Whether a current port of h (named ones, as the report lists them) is
 * none of the baseline's: it entered somewhere it did not then. */
static bool
port_moved(const struct bl_host *then, const struct host *h,
    const struct ports *pt)
{
	if (pt == NULL || !pt->available || then->nports == 0)
		return false;
	for (unsigned k = 0; k < h->nports; k++) {
		const struct port *p = ports_find(pt, h->ports[k]);
		if (p == NULL || p->name[0] == '\0')
			continue;
		bool known = false;
		for (unsigned q = 0; q < then->nports && !known; q++)
			known = strcmp(then->ports[q], p->name) == 0;
		if (!known)
			return true;
	}
	return false;
}

/* "a", "a and b", "a, b and c", escaped (names are interfaces'). */
static void
port_words(char *buf, size_t len, char names[][IF_NAMESIZE], size_t n)
{
	char esc[IF_NAMESIZE * 4 + 1];

	buf[0] = '\0';
	for (size_t k = 0; k < n; k++) {
		size_t used = strlen(buf);
		escape_str(names[k], esc, sizeof(esc));
		snprintf(buf + used, len - used, "%s%s", k == 0 ? "" :
		    k + 1 == n ? " and " : ", ", esc);
	}
}

int
baseline_compare(const struct baseline *b, struct table *t,
    const struct ports *pt, struct findings *fs)
{
	char ip[16], mac[18], old[18], vw[32];
	char now_ports[HOST_PORTS][IF_NAMESIZE];
	char pw_now[HOST_PORTS * (IF_NAMESIZE * 4 + 8)];
	char pw_then[sizeof(pw_now)];
	size_t cap = fs->n, nh = table_nhosts(t);

	/* fs->v's capacity is findings.c's to know: grow it from n. */
	for (size_t i = 0; i < nh; i++) {
		struct host *h = table_host(t, i);
		if (h->replies == 0)
			continue;
		size_t j = bl_lower(b, h->ip, h->vlan, h->outer_vlan);
		const struct bl_host *then = NULL;	/* another MAC, then */
		const struct bl_host *same = NULL;	/* this binding, then */
		for (; j < b->n && bl_same_addr(&b->v[j], h->ip, h->vlan,
		    h->outer_vlan); j++) {
			if (memcmp(b->v[j].mac, h->mac, 6) == 0)
				same = &b->v[j];
			else if (b->v[j].answered && (then == NULL ||
			    strcmp(b->v[j].last_seen, then->last_seen) > 0))
				then = &b->v[j];
		}
		if (same != NULL) {
			if (!same->answered || !port_moved(same, h, pt))
				continue;
			struct finding *f = add(fs, &cap, FIND_MOVED_PORT,
			    h->ip, h->mac, h->vlan, h->outer_vlan);
			if (f == NULL)
				return -1;
			if (fs->host_flags != NULL && i < fs->nhosts)
				fs->host_flags[i] |= FINDING_BIT(f->kind);
			memcpy(f->baseline_last_seen, same->last_seen,
			    sizeof(f->baseline_last_seen));
			memcpy(f->baseline_ports, same->ports,
			    sizeof(f->baseline_ports));
			f->nbaseline_ports = same->nports;
			size_t n = 0;
			for (unsigned k = 0; k < h->nports; k++) {
				const struct port *p = ports_find(pt, h->ports[k]);
				if (p != NULL && p->name[0] != '\0')
					memcpy(now_ports[n++], p->name,
					    IF_NAMESIZE);
			}
			port_words(pw_now, sizeof(pw_now), now_ports, n);
			port_words(pw_then, sizeof(pw_then), f->baseline_ports,
			    f->nbaseline_ports);
			snprintf(f->message, sizeof(f->message), "%s %s%s now "
			    "enters on bridge port%s %s; in the baseline it "
			    "entered on %s, last seen %s.", fmt_ip(ip, h->ip),
			    fmt_mac(mac, h->mac), vlan_words(vw, h->vlan,
			    h->outer_vlan), n == 1 ? "" : "s", pw_now, pw_then,
			    same->last_seen);
			continue;
		}
		struct finding *f = add(fs, &cap, then != NULL ?
		    FIND_CHANGED_MAC : FIND_NEW_HOST, h->ip, h->mac, h->vlan,
		    h->outer_vlan);
		if (f == NULL)
			return -1;
		if (fs->host_flags != NULL && i < fs->nhosts)
			fs->host_flags[i] |= FINDING_BIT(f->kind);
		if (then != NULL) {
			memcpy(f->baseline_last_seen, then->last_seen,
			    sizeof(f->baseline_last_seen));
			memcpy(f->baseline_mac, then->mac, 6);
			snprintf(f->message, sizeof(f->message), "%s%s is now "
			    "answered by %s; in the baseline it was %s, last "
			    "seen %s.", fmt_ip(ip, h->ip), vlan_words(vw,
			    h->vlan, h->outer_vlan), fmt_mac(mac, h->mac),
			    fmt_mac(old, then->mac), then->last_seen);
		} else {
			memcpy(f->baseline_last_seen, b->made,
			    sizeof(f->baseline_last_seen));
			snprintf(f->message, sizeof(f->message), "%s %s%s "
			    "answers; the baseline (last binding seen %s) had "
			    "no answer for this IP.", fmt_ip(ip, h->ip),
			    fmt_mac(mac, h->mac), vlan_words(vw, h->vlan,
			    h->outer_vlan), b->made[0] ? b->made : "never");
		}
	}
	for (size_t j = 0; j < b->n; j++) {
		const struct bl_host *bh = &b->v[j];
		if (!bh->answered)
			continue;
		size_t i = table_find(t, bh->outer_vlan, bh->vlan, bh->ip,
		    bh->mac);
		if (i != TABLE_NONE && table_host(t, i)->replies > 0)
			continue;
		/* Not asked for now: no news. Answered by another: that
		 * is changed-mac, said above. */
		if (table_probes(t, bh->outer_vlan, bh->vlan, bh->ip) == 0 ||
		    answered_by_other(t, bh->ip, bh->vlan, bh->outer_vlan,
		    bh->mac))
			continue;
		struct finding *f = add(fs, &cap, FIND_GONE, bh->ip, bh->mac,
		    bh->vlan, bh->outer_vlan);
		if (f == NULL)
			return -1;
		memcpy(f->baseline_last_seen, bh->last_seen,
		    sizeof(f->baseline_last_seen));
		snprintf(f->message, sizeof(f->message), "%s %s%s answered "
		    "in the baseline, last seen %s, and not now although its "
		    "IP was asked for.", fmt_ip(ip, bh->ip), fmt_mac(mac,
		    bh->mac), vlan_words(vw, bh->vlan, bh->outer_vlan),
		    bh->last_seen);
	}
	return 0;
}
