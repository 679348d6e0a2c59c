/* output: table (people), JSON and CSV (programs) renderings of one report. */
#include "output.h"

#include <errno.h>
#include <string.h>

#include "../capture/escape.h"

#define VENDOR_WIDTH 32

int
output_parse_format(const char *s)
{
	if (strcmp(s, "table") == 0)
		return FORMAT_TABLE;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	if (strcmp(s, "csv") == 0)
		return FORMAT_CSV;
	return -1;
}

static char *
fmt_vlan(char buf[16], uint16_t outer, uint16_t vlan)
{
	if (vlan == VLAN_NONE)
		snprintf(buf, 16, "-");
	else if (outer == VLAN_NONE)
		snprintf(buf, 16, "%u", vlan);
	else
		snprintf(buf, 16, "%u.%u", outer, vlan);
	return buf;
}

/* Kinds flagged on a host, joined by sep, "-" when none. */
static char *
fmt_flags(char *buf, size_t len, uint32_t flags, const char *sep)
{
	buf[0] = '\0';
	for (int k = 0; k < FIND_NKINDS; k++) {
		if (!(flags & FINDING_BIT(k)))
			continue;
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", n ? sep : "",
		    finding_kind_name((enum finding_kind)k));
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
	return buf;
}

#define S(n) ((n) == 1 ? "" : "s")

static void
summary(FILE *out, const struct report *r)
{
	const struct capture_stats *s = &r->stats;
	const struct findings *fs = r->findings;

	fprintf(out, "Summary: %llu frame%s, %llu ARP (%llu request%s, %llu "
	    "repl%s), %llu malformed, %llu ignored, %llu other; %zu host%s; "
	    "%zu finding%s", (unsigned long long)s->frames, S(s->frames),
	    (unsigned long long)s->arp, (unsigned long long)s->requests,
	    S(s->requests), (unsigned long long)s->replies,
	    s->replies == 1 ? "y" : "ies", (unsigned long long)s->malformed,
	    (unsigned long long)s->ignored, (unsigned long long)s->other,
	    table_nhosts(r->table), S(table_nhosts(r->table)), fs->n, S(fs->n));
	if (fs->n > 0) {
		const char *sep = " (";
		for (int k = 0; k < FIND_NKINDS; k++) {
			if (fs->by_kind[k] == 0)
				continue;
			fprintf(out, "%s%zu %s", sep, fs->by_kind[k],
			    finding_kind_name((enum finding_kind)k));
			sep = ", ";
		}
		fputc(')', out);
	}
	if (r->live)
		fprintf(out, "; %llu targets, %llu sent, %llu dropped",
		    (unsigned long long)r->targets,
		    (unsigned long long)r->sent,
		    (unsigned long long)s->kernel_drops);
	fprintf(out, "; %.3f s\n", r->elapsed_s);
	if (r->live && s->kernel_drops > 0)
		fprintf(out, "Warning: the kernel dropped %llu frames before "
		    "arpsweep could read them; unanswered targets were probed "
		    "again, but some answers may be missing.\n",
		    (unsigned long long)s->kernel_drops);
	if (r->partial)
		fprintf(out, "Partial: the sweep was interrupted; this report "
		    "covers only what was seen until then.\n");
	const struct table_stats *ts = table_stats(r->table);
	if (ts->dropped_bindings + ts->dropped_ip_macs + ts->dropped_rounds +
	    ts->dropped_mismatches > 0)
		fprintf(out, "Capped: %llu new bindings not stored (at most "
		    "%llu that no request asked for), %llu beyond %u MACs for "
		    "one IP, %llu requests beyond %llu rounds, %llu frame "
		    "mismatches; the answers to requests were kept.\n",
		    (unsigned long long)ts->dropped_bindings,
		    (unsigned long long)ts->max_bindings,
		    (unsigned long long)ts->dropped_ip_macs, ts->macs_per_ip,
		    (unsigned long long)ts->dropped_rounds,
		    (unsigned long long)ts->max_rounds,
		    (unsigned long long)ts->dropped_mismatches);
	if (ts->has_ours && ts->unasked + ts->not_ours + ts->claims_our_ip > 0) {
		char mac[18], ip[16];
		fprintf(out, "Untrusted: %llu repl%s addressed to another MAC "
		    "or IP than the main requester %s %s, %llu to it answering "
		    "none of its requests, %llu request%s from other MACs "
		    "claiming its IP; none counted as an answer.\n",
		    (unsigned long long)ts->not_ours,
		    ts->not_ours == 1 ? "y" : "ies", fmt_mac(mac, ts->our_mac),
		    fmt_ip(ip, ts->our_ip), (unsigned long long)ts->unasked,
		    (unsigned long long)ts->claims_our_ip, S(ts->claims_our_ip));
	}
}

static void
print_table(FILE *out, const struct report *r)
{
	char ip[16], mac[18], vlan[16], flags[128];

	if (r->live)
		fprintf(out, "arpsweep: live sweep on %s (%s, %s): %s\n",
		    r->interface, fmt_mac(mac, r->mac), fmt_ip(ip, r->ip),
		    r->iface_reason ? r->iface_reason : "");
	else
		fprintf(out, "arpsweep: replay of %s\n", ESC(r->file));
	fprintf(out, "\n%-15s  %-17s  %-9s  %7s  %6s  %-*s  %s\n", "IP", "MAC",
	    "VLAN", "REPLIES", "PROBES", VENDOR_WIDTH, "VENDOR", "FLAGS");
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		const struct host *h = table_host(r->table, i);
		fprintf(out, "%-15s  %-17s  %-9s  %7u  %6u  %-*.*s  %s\n",
		    fmt_ip(ip, h->ip), fmt_mac(mac, h->mac),
		    fmt_vlan(vlan, h->outer_vlan, h->vlan), h->replies,
		    h->probes, VENDOR_WIDTH, VENDOR_WIDTH,
		    vendor_lookup(r->vendors, h->mac),
		    fmt_flags(flags, sizeof(flags), h->flags, ","));
	}
	if (r->findings->n > 0) {
		fprintf(out, "\nFindings (%zu):\n", r->findings->n);
		for (size_t i = 0; i < r->findings->n; i++) {
			const struct finding *f = &r->findings->v[i];
			fprintf(out, "  %-14s  %s\n",
			    finding_kind_name(f->kind), f->message);
		}
	} else {
		fprintf(out, "\nFindings: none.\n");
	}
	fputc('\n', out);
	summary(out, r);
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if it is not one. */
static size_t
utf8_len(const unsigned char *p)
{
	size_t n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 ? 2 :
	    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 ? 4 : 0;

	if (n == 2 && *p < 0xc2)
		return 0;		/* overlong */
	for (size_t i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;	/* also stops at the NUL */
	return n;
}

/* File names and vendor names are bytes from outside: JSON gets valid
 * UTF-8, with U+FFFD for anything else. */
static void
json_str(FILE *out, const char *s)
{
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = utf8_len(p);
		if (n == 0) {
			fputs("\\ufffd", out);
			p++;
		} else if (*p == '"' || *p == '\\') {
			fprintf(out, "\\%c", *p++);
		} else if (*p < 0x20) {
			fprintf(out, "\\u%04x", *p++);
		} else {
			fwrite(p, 1, n, out);
			p += n;
		}
	}
	fputc('"', out);
}

static void
json_vlan(FILE *out, uint16_t vlan)
{
	if (vlan == VLAN_NONE)
		fputs("null", out);
	else
		fprintf(out, "%u", vlan);
}

/* The IPs (or MACs) of the hosts a finding involves, as a JSON list. */
static void
json_host_list(FILE *out, const struct report *r, const struct finding *f,
    bool macs)
{
	char buf[18];

	fputc('[', out);
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct host *h = table_host(r->table, f->hosts[i]);
		fprintf(out, "%s\"%s\"", i ? ", " : "", macs ?
		    fmt_mac(buf, h->mac) : fmt_ip(buf, h->ip));
	}
	fputc(']', out);
}

/* spoofing: the rightful owners (hosts[1..]) of the victim IP. */
static void
json_rightful(FILE *out, const struct report *r, const struct finding *f)
{
	char buf[18];
	size_t k = 0;

	fputc('[', out);
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct host *h = table_host(r->table, f->hosts[i]);
		if (memcmp(h->mac, f->mac, 6) == 0)
			continue;
		fprintf(out, "%s\"%s\"", k++ ? ", " : "", fmt_mac(buf, h->mac));
	}
	fputc(']', out);
}

static void
json_flood(FILE *out, const struct finding *f)
{
	char mac[18];

	fprintf(out, "\"frames\": %llu, \"bindings\": %llu, \"excess_answers\": "
	    "%llu, \"dropped\": %llu, \"forged_mismatches\": %u, "
	    "\"sources\": [", (unsigned long long)f->flood_frames,
	    (unsigned long long)f->flood_bindings,
	    (unsigned long long)f->excess, (unsigned long long)f->dropped,
	    f->frames);
	for (size_t i = 0; i < f->nsources; i++)
		fprintf(out, "%s{\"mac\": \"%s\", \"frames\": %llu, "
		    "\"bindings\": %llu}", i ? ", " : "",
		    fmt_mac(mac, f->sources[i].mac),
		    (unsigned long long)f->sources[i].frames,
		    (unsigned long long)f->sources[i].bindings);
	fputc(']', out);
}

static void
json_finding(FILE *out, const struct report *r, const struct finding *f)
{
	char ip[16], mac[18];
	bool has_ip = f->kind != FIND_SHARED_MAC && f->kind != FIND_ARP_FLOOD;
	bool has_mac = f->kind != FIND_IP_CONFLICT &&
	    (f->kind != FIND_ARP_FLOOD || f->nsources > 0);

	fprintf(out, "    {\"kind\": \"%s\", \"ip\": ", finding_kind_name(f->kind));
	if (has_ip)
		fprintf(out, "\"%s\"", fmt_ip(ip, f->ip));
	else
		fputs("null", out);
	fputs(", \"mac\": ", out);
	if (has_mac)
		fprintf(out, "\"%s\"", fmt_mac(mac, f->mac));
	else
		fputs("null", out);
	fputs(", \"macs\": ", out);
	if (f->kind == FIND_IP_CONFLICT)
		json_host_list(out, r, f, true);
	else if (f->kind == FIND_SPOOFING)
		json_rightful(out, r, f);
	else if (f->kind == FIND_ARP_FLOOD) {
		fputc('[', out);
		for (size_t i = 0; i < f->nsources; i++)
			fprintf(out, "%s\"%s\"", i ? ", " : "",
			    fmt_mac(mac, f->sources[i].mac));
		fputc(']', out);
	} else
		fputs("null", out);
	fputs(", \"ips\": ", out);
	if (f->kind == FIND_SHARED_MAC)
		json_host_list(out, r, f, false);
	else
		fputs("null", out);
	fputs(", \"frame_mac\": ", out);
	if (f->kind == FIND_FRAME_MISMATCH || f->relay)
		fprintf(out, "\"%s\"", fmt_mac(mac, f->frame_mac));
	else
		fputs("null", out);
	fputs(", \"vlan\": ", out);
	json_vlan(out, f->vlan);
	fputs(", \"evidence\": {", out);
	switch (f->kind) {
	case FIND_IP_CONFLICT:
		fprintf(out, "\"macs\": %zu, \"replies\": %u, \"probes\": %u",
		    f->nhosts, f->replies, f->probes);
		break;
	case FIND_TWIN:
	case FIND_REPEATED_REPLY:
		fprintf(out, "\"replies\": %u, \"probes\": %u, \"rounds\": %u, "
		    "\"multi_rounds\": %u", f->replies, f->probes, f->rounds,
		    f->multi_rounds);
		break;
	case FIND_SHARED_MAC:
		fprintf(out, "\"ips\": %zu, \"replies\": %u", f->nhosts,
		    f->replies);
		break;
	case FIND_SPOOFING:
		fprintf(out, "\"how\": \"%s\", \"own_ip\": \"%s\", "
		    "\"replies\": %u, \"frames\": %u, \"victims\": %u, "
		    "\"proxy_arp_possible\": %s", f->relay ? "relay" :
		    "claims-ip", fmt_ip(ip, f->own_ip), f->replies, f->frames,
		    f->victims, f->proxy_arp ? "true" : "false");
		break;
	case FIND_ARP_FLOOD:
		json_flood(out, f);
		break;
	case FIND_FRAME_MISMATCH:
	default:
		fprintf(out, "\"frames\": %u", f->frames);
		break;
	}
	fputs("}, \"message\": ", out);
	json_str(out, f->message);
	fputc('}', out);
}

static void
print_json(FILE *out, const struct report *r)
{
	const struct capture_stats *s = &r->stats;
	char ip[16], mac[18], t1[32], t2[32];

	fputs("{\"source\": {", out);
	if (r->live) {
		fputs("\"kind\": \"live\", \"interface\": ", out);
		json_str(out, r->interface);
		fprintf(out, ", \"mac\": \"%s\", \"ip\": \"%s\", \"reason\": ",
		    fmt_mac(mac, r->mac), fmt_ip(ip, r->ip));
		json_str(out, r->iface_reason ? r->iface_reason : "");
	} else {
		fputs("\"kind\": \"replay\", \"file\": ", out);
		json_str(out, r->file);
	}
	fprintf(out, "},\n \"stats\": {\"frames\": %llu, \"arp_frames\": %llu, "
	    "\"malformed\": %llu, \"ignored\": %llu, \"other\": %llu, "
	    "\"requests\": %llu, \"replies\": %llu, \"elapsed_s\": %.6f",
	    (unsigned long long)s->frames, (unsigned long long)s->arp,
	    (unsigned long long)s->malformed, (unsigned long long)s->ignored,
	    (unsigned long long)s->other, (unsigned long long)s->requests,
	    (unsigned long long)s->replies, r->elapsed_s);
	if (r->live)
		fprintf(out, ", \"targets\": %llu, \"sent\": %llu, "
		    "\"send_s\": %.6f, \"dropped\": %llu",
		    (unsigned long long)r->targets, (unsigned long long)r->sent,
		    r->send_s, (unsigned long long)s->kernel_drops);
	const struct table_stats *ts = table_stats(r->table);
	fprintf(out, ", \"partial\": %s,\n   \"max_bindings\": %llu, "
	    "\"dropped_bindings\": %llu, \"dropped_ip_macs\": %llu, "
	    "\"dropped_rounds\": %llu, \"dropped_mismatches\": %llu, "
	    "\"unsolicited_replies\": %llu, \"unsolicited_bindings\": %llu,\n"
	    "   \"ours\": ", r->partial ? "true" : "false",
	    (unsigned long long)ts->max_bindings,
	    (unsigned long long)ts->dropped_bindings,
	    (unsigned long long)ts->dropped_ip_macs,
	    (unsigned long long)ts->dropped_rounds,
	    (unsigned long long)ts->dropped_mismatches,
	    (unsigned long long)ts->unsolicited_frames,
	    (unsigned long long)ts->unsolicited_bindings);
	if (ts->has_ours)
		fprintf(out, "{\"mac\": \"%s\", \"ip\": \"%s\", \"requests\": "
		    "%llu}", fmt_mac(mac, ts->our_mac), fmt_ip(ip, ts->our_ip),
		    (unsigned long long)ts->our_requests);
	else
		fputs("null", out);
	fprintf(out, ", \"answers\": %llu, \"unasked_replies\": %llu, "
	    "\"not_ours_replies\": %llu, \"claims_our_ip\": %llu},\n "
	    "\"hosts\": [", (unsigned long long)ts->answers,
	    (unsigned long long)ts->unasked, (unsigned long long)ts->not_ours,
	    (unsigned long long)ts->claims_our_ip);
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		const struct host *h = table_host(r->table, i);
		fprintf(out, "%s\n    {\"ip\": \"%s\", \"mac\": \"%s\", "
		    "\"vlan\": ", i ? "," : "", fmt_ip(ip, h->ip),
		    fmt_mac(mac, h->mac));
		json_vlan(out, h->vlan);
		fputs(", \"outer_vlan\": ", out);
		json_vlan(out, h->outer_vlan);
		fputs(", \"vendor\": ", out);
		json_str(out, vendor_lookup(r->vendors, h->mac));
		fprintf(out, ", \"replies\": %u, \"probes\": %u, \"rounds\": %u, "
		    "\"multi_rounds\": %u, \"first_seen\": \"%s\", "
		    "\"last_seen\": \"%s\", \"flags\": [", h->replies,
		    h->probes, h->rounds, h->multi_rounds,
		    fmt_time(t1, h->first_ns), fmt_time(t2, h->last_ns));
		const char *sep = "";
		for (int k = 0; k < FIND_NKINDS; k++) {
			if (h->flags & FINDING_BIT(k)) {
				fprintf(out, "%s\"%s\"", sep,
				    finding_kind_name((enum finding_kind)k));
				sep = ", ";
			}
		}
		fputs("]}", out);
	}
	fputs("\n ],\n \"findings\": [", out);
	for (size_t i = 0; i < r->findings->n; i++) {
		fputs(i ? ",\n" : "\n", out);
		json_finding(out, r, &r->findings->v[i]);
	}
	fputs("\n ]}\n", out);
}

/* RFC 4180: quote a field only when it needs it. */
static void
csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
print_csv(FILE *out, const struct report *r)
{
	char ip[16], mac[18], vlan[16], t1[32], t2[32], flags[128];

	fputs("ip,mac,vlan,vendor,replies,probes,first_seen,last_seen,flags\n",
	    out);
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		const struct host *h = table_host(r->table, i);
		fmt_vlan(vlan, h->outer_vlan, h->vlan);
		fprintf(out, "%s,%s,%s,", fmt_ip(ip, h->ip), fmt_mac(mac, h->mac),
		    strcmp(vlan, "-") == 0 ? "" : vlan);
		csv_field(out, vendor_lookup(r->vendors, h->mac));
		fmt_flags(flags, sizeof(flags), h->flags, ";");
		fprintf(out, ",%u,%u,%s,%s,%s\n", h->replies, h->probes,
		    fmt_time(t1, h->first_ns), fmt_time(t2, h->last_ns),
		    strcmp(flags, "-") == 0 ? "" : flags);
	}
}

int
report_print(FILE *out, enum output_format fmt, const struct report *r)
{
	switch (fmt) {
	case FORMAT_JSON:
		print_json(out, r);
		break;
	case FORMAT_CSV:
		print_csv(out, r);
		break;
	case FORMAT_TABLE:
	default:
		print_table(out, r);
		break;
	}
	if (fflush(out) == EOF || ferror(out)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}
