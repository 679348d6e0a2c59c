/* prom: Prometheus text format 0.0.4. Every value is of one sweep, so every
 * metric is a gauge (no _total: nothing here accumulates across runs), and
 * every series that can exist is written, 0 included, so that an alert rule
 * compares numbers instead of testing for absence. */
#include "prom.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "output.h"

static void
head(FILE *out, const char *name, const char *help)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static void
gauge_u(FILE *out, const char *name, const char *help, uint64_t v)
{
	head(out, name, help);
	fprintf(out, "%s %" PRIu64 "\n", name, v);
}

/* A label value from outside (an interface name): the format's three
 * escapes, and '?' for bytes that are not printable ASCII, so the file is
 * always valid UTF-8. */
static void
label_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\' || c == '"')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else
			fputc(c < 0x20 || c >= 0x7f ? '?' : c, out);
	}
	fputc('"', out);
}

/* "none", "100" or "10.100" (QinQ outer.inner), as the table prints it. */
static char *
vlan_label(char buf[16], uint16_t outer, uint16_t vlan)
{
	if (vlan == VLAN_NONE)
		snprintf(buf, 16, "none");
	else if (outer == VLAN_NONE)
		snprintf(buf, 16, "%u", vlan);
	else
		snprintf(buf, 16, "%u.%u", outer, vlan);
	return buf;
}

/* Bindings per VLAN: the hosts are sorted by IP first, so VLANs repeat;
 * a VLAN is counted at its first appearance (quadratic only in the number
 * of distinct VLANs, which a segment keeps small). */
static void
bindings_by_vlan(FILE *out, struct table *t)
{
	size_t n = table_nhosts(t);
	char vlan[16];

	head(out, "arpsweep_bindings", "IP-MAC bindings seen, by VLAN "
	    "(none: untagged).");
	if (n == 0)
		fputs("arpsweep_bindings{vlan=\"none\"} 0\n", out);
	for (size_t i = 0; i < n; i++) {
		const struct host *h = table_host(t, i);
		bool seen = false;
		uint64_t count = 0;
		for (size_t j = 0; j < n && !seen; j++) {
			const struct host *o = table_host(t, j);
			if (o->vlan != h->vlan || o->outer_vlan != h->outer_vlan)
				continue;
			if (j < i)
				seen = true;
			else
				count++;
		}
		if (seen)
			continue;
		fprintf(out, "arpsweep_bindings{vlan=\"%s\"} %" PRIu64 "\n",
		    vlan_label(vlan, h->outer_vlan, h->vlan), count);
	}
}

/* Which of ip and mac a finding is about, as its JSON says. */
static bool
has_ip(const struct finding *f)
{
	return f->kind != FIND_SHARED_MAC && f->kind != FIND_ARP_FLOOD;
}

static bool
has_mac(const struct finding *f)
{
	return f->kind != FIND_IP_CONFLICT &&
	    (f->kind != FIND_ARP_FLOOD || f->nsources > 0);
}

/* The labels two findings' info series would carry are the same. */
static bool
info_same(const struct finding *a, const struct finding *b)
{
	return a->kind == b->kind && a->vlan == b->vlan &&
	    a->outer_vlan == b->outer_vlan && has_ip(a) == has_ip(b) &&
	    (!has_ip(a) || a->ip == b->ip) && has_mac(a) == has_mac(b) &&
	    (!has_mac(a) || memcmp(a->mac, b->mac, 6) == 0);
}

static void
finding_info(FILE *out, const struct findings *fs)
{
	char ip[16], mac[18], vlan[16];
	size_t n = fs->n < PROM_FINDING_INFO ? fs->n : PROM_FINDING_INFO;

	fprintf(out, "# HELP arpsweep_finding_info One series per finding (the "
	    "first %d, in report order), with the IP and MAC it is about.\n"
	    "# TYPE arpsweep_finding_info gauge\n", PROM_FINDING_INFO);
	for (size_t i = 0; i < n; i++) {
		const struct finding *f = &fs->v[i];
		bool dup = false;
		for (size_t j = 0; j < i && !dup; j++)
			dup = info_same(f, &fs->v[j]);
		if (dup)	/* a repeated series would void the whole file */
			continue;
		fprintf(out, "arpsweep_finding_info{kind=\"%s\",ip=\"%s\","
		    "mac=\"%s\",vlan=\"%s\"} 1\n", finding_kind_name(f->kind),
		    has_ip(f) ? fmt_ip(ip, f->ip) : "",
		    has_mac(f) ? fmt_mac(mac, f->mac) : "",
		    vlan_label(vlan, f->outer_vlan, f->vlan));
	}
	gauge_u(out, "arpsweep_finding_info_omitted", "Findings left out of "
	    "arpsweep_finding_info by its bound.", (uint64_t)(fs->n - n));
}

/* When the sweep was: now for a live one, the latest frame seen for a
 * replay (the capture's time, so a replay's output is reproducible); a
 * replay without hosts has no such time and writes none. */
static void
timestamp(FILE *out, const struct report *r)
{
	struct table *t = r->table;
	int64_t ns = -1;

	if (r->live) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	} else {
		for (size_t i = 0; i < table_nhosts(t); i++)
			if (table_host(t, i)->last_ns > ns)
				ns = table_host(t, i)->last_ns;
	}
	if (ns < 0)
		return;
	head(out, "arpsweep_last_sweep_timestamp_seconds", "When the sweep "
	    "ended (replay: its capture's last binding), Unix time.");
	fprintf(out, "arpsweep_last_sweep_timestamp_seconds %" PRId64 ".%03d\n",
	    ns / 1000000000, (int)(ns % 1000000000 / 1000000));
}

void
prom_print(FILE *out, const struct report *r)
{
	const struct capture_stats *s = &r->stats;
	const struct table_stats *ts = table_stats(r->table);
	const struct findings *fs = r->findings;

	head(out, "arpsweep_sweep_info", "What was swept: source is live or "
	    "replay, interface the one swept (live only).");
	fprintf(out, "arpsweep_sweep_info{source=\"%s\",interface=",
	    r->live ? "live" : "replay");
	label_str(out, r->live && r->interface ? r->interface : "");
	fputs("} 1\n", out);
	gauge_u(out, "arpsweep_sweep_partial", "1 when the sweep was "
	    "interrupted and the report covers only what was seen until then.",
	    r->partial ? 1 : 0);
	timestamp(out, r);
	head(out, "arpsweep_sweep_duration_seconds", "Time the run took, "
	    "sweep and report.");
	fprintf(out, "arpsweep_sweep_duration_seconds %.6f\n", r->elapsed_s);
	if (r->live) {
		gauge_u(out, "arpsweep_targets", "Addresses swept.",
		    r->targets);
		gauge_u(out, "arpsweep_requests_sent", "ARP requests sent, "
		    "retries and confirmations included.", r->sent);
		head(out, "arpsweep_send_duration_seconds", "Time spent "
		    "sending.");
		fprintf(out, "arpsweep_send_duration_seconds %.6f\n",
		    r->send_s);
		gauge_u(out, "arpsweep_kernel_dropped_frames", "Frames the "
		    "kernel dropped before arpsweep could read them.",
		    s->kernel_drops);
	}
	gauge_u(out, "arpsweep_answers", "ARP replies that answered a request "
	    "of the main requester.", ts->answers);
	head(out, "arpsweep_frames", "Frames read, by what they were.");
	fprintf(out, "arpsweep_frames{kind=\"arp\"} %" PRIu64 "\n"
	    "arpsweep_frames{kind=\"malformed\"} %" PRIu64 "\n"
	    "arpsweep_frames{kind=\"ignored\"} %" PRIu64 "\n"
	    "arpsweep_frames{kind=\"other\"} %" PRIu64 "\n",
	    s->arp, s->malformed, s->ignored, s->other);
	bindings_by_vlan(out, r->table);
	head(out, "arpsweep_not_stored", "What the table's bounds kept out "
	    "(an ARP flood?), by what.");
	fprintf(out, "arpsweep_not_stored{what=\"bindings\"} %" PRIu64 "\n"
	    "arpsweep_not_stored{what=\"ip_macs\"} %" PRIu64 "\n"
	    "arpsweep_not_stored{what=\"rounds\"} %" PRIu64 "\n"
	    "arpsweep_not_stored{what=\"mismatches\"} %" PRIu64 "\n",
	    ts->dropped_bindings, ts->dropped_ip_macs, ts->dropped_rounds,
	    ts->dropped_mismatches);
	head(out, "arpsweep_findings", "Findings, by kind (every kind, 0 when "
	    "none).");
	for (int k = 0; k < FIND_NKINDS; k++)
		fprintf(out, "arpsweep_findings{kind=\"%s\"} %zu\n",
		    finding_kind_name((enum finding_kind)k), fs->by_kind[k]);
	finding_info(out, fs);
}
