/* output: table (people), JSON and CSV (programs) renderings of one report. */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "../capture/escape.h"
#include "baseline.h"
#include "prom.h"

/* The one separator of a list in a field, table and CSV alike (a CSV
 * field holding it is quoted, RFC 4180). */
#define LIST_SEP ","

/* The VM column: every domain with the host's MAC, joined by sep; "-". */
static char *
fmt_vms(char *buf, size_t len, const struct report *r,
    const struct host_facts *hf, const char *sep)
{
	char label[FACTS_LABEL_SIZE];

	buf[0] = '\0';
	for (size_t i = 0; i < hf->nvms; i++) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "%s%s", i ? sep : "",
		    facts_vm_label(r->inv, hf->vms[i], label, sizeof(label)));
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
	return buf;
}

int
output_parse_format(const char *s)
{
	if (strcmp(s, "table") == 0)
		return FORMAT_TABLE;
	if (strcmp(s, "json") == 0)
		return FORMAT_JSON;
	if (strcmp(s, "csv") == 0)
		return FORMAT_CSV;
	if (strcmp(s, "csv-findings") == 0)
		return FORMAT_CSV_FINDINGS;
	if (strcmp(s, "prom") == 0)
		return FORMAT_PROM;
	return -1;
}

int
output_parse_color(const char *when)
{
	if (strcmp(when, "auto") == 0)
		return COLOR_AUTO;
	if (strcmp(when, "always") == 0)
		return COLOR_ALWAYS;
	if (strcmp(when, "never") == 0)
		return COLOR_NEVER;
	return -1;
}

void
output_term_detect(struct output_term *t, enum output_color mode,
    bool to_stdout)
{
	bool tty = to_stdout && isatty(STDOUT_FILENO);
	const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
	struct winsize ws;

	t->width = fmt_columns(getenv("COLUMNS"));
	if (t->width == 0 && tty && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0)
		t->width = ws.ws_col;	/* 0 when the terminal does not say */
	t->color = mode == COLOR_ALWAYS || (mode == COLOR_AUTO && tty &&
	    (nc == NULL || *nc == '\0') && term != NULL && *term != '\0' &&
	    strcmp(term, "dumb") != 0);
}

/* Kinds flagged on a host, joined by sep (LIST_SEP), "-" when none. */
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

/* A host's ports joined by sep ("-" when none), escaped, each with the
 * domain whose target device it is ("vnet6=test") when one is known. */
static char *
fmt_ports(char *buf, size_t len, const struct report *r,
    const struct host_facts *hf, const char *sep)
{
	char esc[IF_NAMESIZE * 4 + 1], label[FACTS_LABEL_SIZE];

	buf[0] = '\0';
	for (size_t k = 0; k < hf->nports; k++) {
		size_t n = strlen(buf);
		escape_str(hf->ports[k], esc, sizeof(esc));
		snprintf(buf + n, len - n, "%s%s%s%s", k ? sep : "", esc,
		    hf->port_vms[k] != NULL ? "=" : "", hf->port_vms[k] != NULL ?
		    facts_vm_label(r->inv, hf->port_vms[k], label,
		    sizeof(label)) : "");
	}
	if (hf->more_ports) {
		size_t n = strlen(buf);
		snprintf(buf + n, len - n, "%s...", sep);
	}
	if (buf[0] == '\0')
		snprintf(buf, len, "-");
	return buf;
}

static double
loss_pct(const struct report *r)
{
	return r->canaries > 0 ? 100.0 * (double)r->canaries_lost /
	    (double)r->canaries : 0;
}

/* self: whether this host's row was shown (it is not counted). */
static void
summary(FILE *out, const struct report *r, size_t hosts, bool self)
{
	const struct capture_stats *s = &r->stats;
	const struct findings *fs = r->findings;

	fprintf(out, "Summary: %llu frame%s, %llu ARP (%llu request%s, %llu "
	    "repl%s), %llu malformed, %llu ignored, %llu other; %zu host%s%s; "
	    "%zu finding%s", (unsigned long long)s->frames, S(s->frames),
	    (unsigned long long)s->arp, (unsigned long long)s->requests,
	    S(s->requests), (unsigned long long)s->replies,
	    s->replies == 1 ? "y" : "ies", (unsigned long long)s->malformed,
	    (unsigned long long)s->ignored, (unsigned long long)s->other,
	    hosts, S(hosts), self ? " (and this host)" : "", fs->n, S(fs->n));
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
	if (r->live) {
		fprintf(out, "; %llu targets, %llu sent, %llu dropped",
		    (unsigned long long)r->targets,
		    (unsigned long long)r->sent,
		    (unsigned long long)s->kernel_drops);
		fprintf(out, "; rate %s%.0f/s, loss %.1f%% (%llu of %llu "
		    "canar%s)", r->rate_max ? "max, settled at " : "", r->rate,
		    loss_pct(r), (unsigned long long)r->canaries_lost,
		    (unsigned long long)r->canaries,
		    r->canaries == 1 ? "y" : "ies");
	}
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


/*
 * The people's table. Columns in print order; the optional ones (VLAN,
 * OUTER VLAN, VM, NAME, PORTS) only when a row has a value. When the
 * terminal is narrower than the rows, long cells are cut with an
 * ellipsis, then whole columns go, least useful first (drop order), and
 * a line names them.
 */
enum { C_IP, C_MAC, C_VLAN, C_OUTER, C_REPLIES, C_REQUESTS, C_VENDOR, C_VM,
    C_NAME, C_PORTS, C_FLAGS, NCOLS };

#define NEVER_CUT ((size_t)-1)

static const struct {
	const char	*name;
	size_t		min;
	int		drop;
	bool		right;
} col_spec[NCOLS] = {
	[C_IP] = { "IP", NEVER_CUT, 0, false },
	[C_MAC] = { "MAC", NEVER_CUT, 0, false },
	[C_VLAN] = { "VLAN", NEVER_CUT, 8, false },
	[C_OUTER] = { "OUTER VLAN", NEVER_CUT, 3, false },
	[C_REPLIES] = { "REPLIES", NEVER_CUT, 2, true },
	[C_REQUESTS] = { "REQUESTS", NEVER_CUT, 1, true },
	[C_VENDOR] = { "VENDOR", 13, 4, false },	/* "QEMU/KVM (LA)" */
	[C_VM] = { "VM", 10, 7, false },
	[C_NAME] = { "NAME", 10, 6, false },
	[C_PORTS] = { "PORTS", 10, 5, false },
	[C_FLAGS] = { "FLAGS", 9, 0, false },	/* "this host"; cut only
						   when nothing is left to drop */
};

#define GAP 2
#define SELF_MARK "this host"
#define LA_LONG "(locally administered)"
#define LA_SHORT "(LA)"

/* A cell's text before fitting: a VM list is the longest. */
#define CELL_SIZE (FINDING_LIST * FACTS_LABEL_SIZE)

/* One printed row: a host, or this host's bindings merged into one. */
struct trow {
	size_t		i;		/* table_host() index */
	bool		self;
	uint32_t	replies, requests, flags;
};

/* This host: the scanner's own address (live: the interface's; replay:
 * the main requester the table derived from the frames). */
struct self {
	bool		known;
	uint8_t		mac[6];
	uint32_t	ip;
	size_t		nrows;		/* its bindings, on any VLAN */
	struct trow	row;		/* merged, at its first binding */
};

static bool
is_self(const struct self *me, const struct host *h)
{
	return me->known && h->ip == me->ip && memcmp(h->mac, me->mac, 6) == 0;
}

static void
self_find(const struct report *r, struct self *me)
{
	const struct table_stats *ts = table_stats(r->table);

	memset(me, 0, sizeof(*me));
	if (r->live) {
		memcpy(me->mac, r->mac, 6);
		me->ip = r->ip;
	} else if (ts->has_ours) {
		memcpy(me->mac, ts->our_mac, 6);
		me->ip = ts->our_ip;
	}
	/* 0.0.0.0 (RFC 5227 probes) makes no binding. */
	me->known = me->ip != 0;
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		const struct host *h = table_host(r->table, i);
		if (!is_self(me, h))
			continue;
		/* Once, untagged: a --vlan sweep's requests leave on the
		 * VLAN, the scanner itself is not a host on it. */
		if (me->nrows++ == 0) {
			me->row.i = i;
			me->row.self = true;
		}
		me->row.replies += h->replies;
		me->row.requests += h->probes;
		me->row.flags |= r->findings->host_flags[i];
	}
}

/* Row k of the table into *w; false when it is printed elsewhere (one of
 * this host's other bindings). */
static bool
trow_get(const struct report *r, const struct self *me, size_t k,
    struct trow *w)
{
	const struct host *h = table_host(r->table, k);

	if (is_self(me, h)) {
		*w = me->row;
		return k == me->row.i;
	}
	w->i = k;
	w->self = false;
	w->replies = h->replies;
	w->requests = h->probes;
	w->flags = r->findings->host_flags[k];
	return true;
}

size_t
report_host_count(const struct report *r, bool *self)
{
	struct self me;

	self_find(r, &me);
	*self = me.nrows > 0;
	return table_nhosts(r->table) - me.nrows;
}

/* "QEMU/KVM (locally administered)" -> "QEMU/KVM (LA)", with *la set. */
static const char *
vendor_cell(const char *v, char *buf, size_t len, bool *la)
{
	size_t n = strlen(v), m = strlen(LA_LONG);

	if (n < m || strcmp(v + n - m, LA_LONG) != 0)
		return v;
	snprintf(buf, len, "%.*s" LA_SHORT, (int)(n - m), v);
	*la = true;
	return buf;
}

/* The flags cell: this host's mark, then the kinds, LIST_SEP apart. */
static char *
flags_cell(char *buf, size_t len, const struct trow *w)
{
	fmt_flags(buf, len, w->flags, LIST_SEP);
	if (!w->self)
		return buf;
	if (strcmp(buf, "-") == 0) {
		snprintf(buf, len, SELF_MARK);
	} else {
		char kinds[256];
		snprintf(kinds, sizeof(kinds), "%s", buf);
		snprintf(buf, len, SELF_MARK LIST_SEP "%s", kinds);
	}
	return buf;
}

/* The text of one cell of row w. */
static const char *
cell_text(const struct report *r, const struct trow *w, int col, char *buf,
    size_t len, bool *la)
{
	const struct host *h = table_host(r->table, w->i);
	const struct host_facts *hf = &r->facts[w->i];
	const char *nm;

	switch (col) {
	case C_IP:
		return fmt_ip(buf, h->ip);
	case C_MAC:
		return fmt_mac(buf, h->mac);
	case C_VLAN:
		if (w->self || h->vlan == VLAN_NONE)
			return "-";
		snprintf(buf, len, "%u", h->vlan);
		return buf;
	case C_OUTER:
		if (w->self || h->vlan == VLAN_NONE ||
		    h->outer_vlan == VLAN_NONE)
			return "-";
		snprintf(buf, len, "%u", h->outer_vlan);
		return buf;
	case C_REPLIES:
		snprintf(buf, len, "%u", w->replies);
		return buf;
	case C_REQUESTS:
		snprintf(buf, len, "%u", w->requests);
		return buf;
	case C_VENDOR:
		return vendor_cell(hf->vendor, buf, len, la);
	case C_VM:
		return fmt_vms(buf, len, r, hf, LIST_SEP);
	case C_NAME:
		nm = facts_name(hf);
		return nm != NULL ? nm : "-";
	case C_PORTS:
		return fmt_ports(buf, len, r, hf, LIST_SEP);
	case C_FLAGS:
	default:
		return flags_cell(buf, len, w);
	}
}

/* Whether row w has a value in an optional column. */
static bool
has_value(const struct report *r, const struct trow *w, int col)
{
	const struct host *h = table_host(r->table, w->i);
	const struct host_facts *hf = &r->facts[w->i];

	switch (col) {
	case C_VLAN:
		return !w->self && h->vlan != VLAN_NONE;
	case C_OUTER:
		return !w->self && h->vlan != VLAN_NONE &&
		    h->outer_vlan != VLAN_NONE;
	case C_VM:
		return hf->nvms > 0;
	case C_NAME:
		return facts_name(hf) != NULL;
	case C_PORTS:
		return hf->nports > 0 || hf->more_ports;
	default:
		return true;
	}
}

/*
 * The one place a finding's severity gets its colour (SGR): bold red for
 * the kinds --audit fails on, yellow for the informational ones.
 */
static const char *
severity_sgr(bool act)
{
	return act ? "1;31" : "33";
}

static void
sgr_on(FILE *out, const struct report *r, bool act)
{
	if (r->term.color)
		fprintf(out, "\033[%sm", severity_sgr(act));
}

static void
sgr_off(FILE *out, const struct report *r)
{
	if (r->term.color)
		fputs("\033[0m", out);
}

/* A fitted flags cell, each kind in its severity's colour (this host's
 * mark plain): the segments are the cell's LIST_SEP items in order. */
static void
print_flags(FILE *out, const struct report *r, const struct trow *w,
    const char *fit)
{
	int seq[FIND_NKINDS + 1];
	size_t nseq = 0;

	if (w->self)
		seq[nseq++] = -1;
	for (int k = 0; k < FIND_NKINDS; k++)
		if (w->flags & FINDING_BIT(k))
			seq[nseq++] = k;
	for (size_t j = 0; *fit != '\0'; j++) {
		const char *e = strstr(fit, LIST_SEP);
		size_t n = e != NULL ? (size_t)(e - fit) : strlen(fit);
		bool kind = j < nseq && seq[j] >= 0;
		if (j > 0)
			fputs(LIST_SEP, out);
		if (kind)
			sgr_on(out, r, finding_desc((enum finding_kind)
			    seq[j])->audit);
		fwrite(fit, 1, n, out);
		if (kind)
			sgr_off(out, r);
		fit += n;
		if (e != NULL)
			fit += strlen(LIST_SEP);
	}
}

static void
pad(FILE *out, size_t n)
{
	while (n-- > 0)
		fputc(' ', out);
}

/* One line of the table: the header (w NULL) or a row. */
static void
print_line(FILE *out, const struct report *r, const struct trow *w,
    const struct fmt_col *c, const int *cols, size_t n, bool *la)
{
	static char text[CELL_SIZE], fit[FMT_FIT_SIZE(CELL_SIZE / 4)];
	size_t last = 0;

	for (size_t k = 0; k < n; k++)
		if (c[k].shown)
			last = k;
	bool first = true;
	for (size_t k = 0; k < n; k++) {
		if (!c[k].shown)
			continue;
		const char *t = w == NULL ? c[k].name :
		    cell_text(r, w, cols[k], text, sizeof(text), la);
		size_t used = fmt_fit(fit, sizeof(fit), t, c[k].width);
		if (!first)
			pad(out, GAP);
		first = false;
		if (col_spec[cols[k]].right)
			pad(out, c[k].width - used);
		if (w != NULL && cols[k] == C_FLAGS)
			print_flags(out, r, w, fit);
		else
			fputs(fit, out);
		if (!col_spec[cols[k]].right && k != last)
			pad(out, c[k].width - used);
	}
	fputc('\n', out);
}

/*
 * text, its first line starting at column col, wrapped at spaces to the
 * terminal's width (none without a limit) with the next lines indented
 * by indent; a word wider than the room stays whole. Ends the line.
 */
static void
print_wrapped(FILE *out, const struct report *r, const char *text,
    size_t col, size_t indent)
{
	size_t width = (size_t)r->term.width;
	char word[1024];

	if (width == 0 || width <= indent + 10) {
		fprintf(out, "%s\n", text);
		return;
	}
	bool start = true;
	while (*text != '\0') {
		size_t n = strcspn(text, " ");
		if (n >= sizeof(word)) {	/* no sentence has one: as is */
			fprintf(out, "%s%s\n", start ? "" : " ", text);
			return;
		}
		memcpy(word, text, n);
		word[n] = '\0';
		text += n;
		text += strspn(text, " ");
		size_t ww = fmt_width(word);
		if (!start && col + 1 + ww > width) {
			fputc('\n', out);
			pad(out, indent);
			col = indent;
			start = true;
		}
		if (!start) {
			fputc(' ', out);
			col++;
		}
		fputs(word, out);
		col += ww;
		start = false;
	}
	fputc('\n', out);
}

#define KIND_WIDTH 16	/* "binding-conflict" */
#define FINDING_INDENT (2 + KIND_WIDTH + 2)

/* Findings in two groups, what to act on (the kinds --audit fails on)
 * first, each with the one next step its kind's descriptor names. */
static void
print_findings(FILE *out, const struct report *r)
{
	const struct findings *fs = r->findings;
	char next[256];

	if (fs->n == 0) {
		fputs("\nFindings: none.\n", out);
		return;
	}
	for (int act = 1; act >= 0; act--) {
		size_t n = 0;
		for (size_t i = 0; i < fs->n; i++)
			n += finding_desc(fs->v[i].kind)->audit == (act == 1);
		if (n == 0)
			continue;
		fputc('\n', out);
		sgr_on(out, r, act);
		fprintf(out, "%s (%zu):", act ? "Findings to act on" :
		    "Informational", n);
		sgr_off(out, r);
		fputc('\n', out);
		for (size_t i = 0; i < fs->n; i++) {
			const struct finding *f = &fs->v[i];
			const struct finding_desc *d = finding_desc(f->kind);
			size_t kw = strlen(d->name);
			if (d->audit != (act == 1))
				continue;
			fputs("  ", out);
			sgr_on(out, r, act);
			fputs(d->name, out);
			sgr_off(out, r);
			pad(out, (kw < KIND_WIDTH ? KIND_WIDTH - kw : 0) + 2);
			print_wrapped(out, r, f->message, FINDING_INDENT +
			    (kw > KIND_WIDTH ? kw - KIND_WIDTH : 0),
			    FINDING_INDENT);
			pad(out, FINDING_INDENT);
			snprintf(next, sizeof(next), "What to do: %s", d->next);
			print_wrapped(out, r, next, FINDING_INDENT,
			    FINDING_INDENT);
		}
	}
}

static void
print_table(FILE *out, const struct report *r)
{
	static char text[CELL_SIZE];
	char ip[16], mac[18];
	struct fmt_col c[NCOLS];
	int cols[NCOLS];
	size_t n = 0, hosts = 0;
	struct self me;
	struct trow w;
	bool la = false;

	if (r->live)
		fprintf(out, "arpsweep: live sweep on %s (%s, %s): %s",
		    r->interface, fmt_mac(mac, r->mac), fmt_ip(ip, r->ip),
		    r->iface_reason ? r->iface_reason : "");
	else
		fprintf(out, "arpsweep: replay of %s", ESC(r->file));
	if (r->inv_note != NULL)
		fprintf(out, "; %s", r->inv_note);
	fputc('\n', out);
	if (!r->ports.available)
		fprintf(out, "Ports: not available (%s).\n", r->live ?
		    "not a Linux bridge, or --no-ports or --vlan" :
		    "the recording names no bridge ports");

	self_find(r, &me);
	bool present[NCOLS];
	for (int k = 0; k < NCOLS; k++)
		present[k] = k != C_VLAN && k != C_OUTER && k != C_VM &&
		    k != C_NAME && k != C_PORTS;
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		if (!trow_get(r, &me, i, &w))
			continue;
		hosts += !w.self;
		for (int k = 0; k < NCOLS; k++)
			present[k] = present[k] || has_value(r, &w, k);
	}
	for (int k = 0; k < NCOLS; k++) {
		if (!present[k])
			continue;
		cols[n] = k;
		c[n] = (struct fmt_col){ .name = col_spec[k].name,
		    .natural = strlen(col_spec[k].name),
		    .min = col_spec[k].min, .cut_last = k == C_FLAGS,
		    .drop = col_spec[k].drop };
		n++;
	}
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		if (!trow_get(r, &me, i, &w))
			continue;
		for (size_t k = 0; k < n; k++) {
			size_t cw = fmt_width(cell_text(r, &w, cols[k], text,
			    sizeof(text), &la));
			c[k].natural = cw > c[k].natural ? cw : c[k].natural;
		}
	}
	size_t dropped = fmt_layout(c, n, (size_t)r->term.width, GAP);

	fputc('\n', out);
	la = false;
	print_line(out, r, NULL, c, cols, n, &la);
	for (size_t i = 0; i < table_nhosts(r->table); i++)
		if (trow_get(r, &me, i, &w))
			print_line(out, r, &w, c, cols, n, &la);
	if (dropped > 0) {
		int o = snprintf(text, sizeof(text), "Not shown in %d columns:",
		    r->term.width);
		const char *sep = " ";
		for (size_t k = 0; k < n && o > 0 && (size_t)o < sizeof(text);
		    k++)
			if (!c[k].shown) {
				o += snprintf(text + o, sizeof(text) - (size_t)o,
				    "%s%s", sep, c[k].name);
				sep = ", ";
			}
		snprintf(text + o, sizeof(text) - (size_t)o, " (widen the "
		    "terminal or use --format json)");
		print_wrapped(out, r, text, 0, 2);
	}
	if (la)
		print_wrapped(out, r, LA_SHORT ": a locally administered MAC, "
		    "set by software (a VM), not by a vendor.", 0, 6);
	print_findings(out, r);
	fputc('\n', out);
	summary(out, r, hosts, me.nrows > 0);
}

/* One JSON string and CSV field writer for every format (fmt.h). */
#define json_str	fmt_json_str
#define csv_field	fmt_csv_field

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

	fprintf(out, "\"unsolicited_replies\": %llu, \"unsolicited_bindings\": "
	    "%llu, \"excess_answers\": %llu, \"not_stored\": %llu, "
	    "\"forged_mismatches\": %u, \"sources\": [",
	    (unsigned long long)f->flood_frames,
	    (unsigned long long)f->flood_bindings,
	    (unsigned long long)f->excess, (unsigned long long)f->dropped,
	    f->frames);
	for (size_t i = 0; i < f->nsources; i++)
		fprintf(out, "%s{\"mac\": \"%s\", \"unsolicited_replies\": %llu, "
		    "\"unsolicited_bindings\": %llu}", i ? ", " : "",
		    fmt_mac(mac, f->sources[i].mac),
		    (unsigned long long)f->sources[i].frames,
		    (unsigned long long)f->sources[i].bindings);
	fputc(']', out);
}

static void json_vms(FILE *out, const struct report *r,
    const struct vm_iface *const *v, size_t n);
static void json_bindings(FILE *out, const struct dhcp_binding *const *b,
    size_t n);

/* A host's ports as evidence: [{"name", "frames", "vm"}], the frames that
 * entered on each port (a twin's copies, told apart) and the domain whose
 * target device it is. */
static void
json_port_counts(FILE *out, const struct report *r,
    const struct host_facts *hf)
{
	char label[FACTS_LABEL_SIZE];

	fputc('[', out);
	for (size_t k = 0; k < hf->nports; k++) {
		fputs(k ? ", {\"name\": " : "{\"name\": ", out);
		json_str(out, hf->ports[k]);
		fprintf(out, ", \"frames\": %u, \"vm\": ", hf->port_frames[k]);
		fmt_json_str_or_null(out, hf->port_vms[k] != NULL ?
		    facts_vm_label(r->inv, hf->port_vms[k], label,
		    sizeof(label)) : NULL);
		fputc('}', out);
	}
	fputc(']', out);
}

/* ip-conflict and shared-mac: each binding involved with its ports,
 * [{"ip", "mac", "replies", "ports": [...]}]. */
static void
json_claims(FILE *out, const struct report *r, const struct finding *f)
{
	char ip[16], mac[18];

	fputc('[', out);
	for (size_t i = 0; i < f->nhosts; i++) {
		const struct host *h = table_host(r->table, f->hosts[i]);
		fprintf(out, "%s{\"ip\": \"%s\", \"mac\": \"%s\", \"replies\": "
		    "%u, \"ports\": ", i ? ", " : "", fmt_ip(ip, h->ip),
		    fmt_mac(mac, h->mac), h->replies);
		json_port_counts(out, r, &r->facts[f->hosts[i]]);
		fputc('}', out);
	}
	fputc(']', out);
}

static void
json_names(FILE *out, const char names[][IF_NAMESIZE], size_t n)
{
	fputc('[', out);
	for (size_t k = 0; k < n; k++) {
		fputs(k ? ", " : "", out);
		json_str(out, names[k]);
	}
	fputc(']', out);
}

static void
json_finding(FILE *out, const struct report *r, const struct finding *f)
{
	char ip[16], mac[18];
	bool config = f->kind == FIND_MAC_REUSE ||
	    f->kind == FIND_BINDING_CONFLICT;
	bool has_ip = f->kind != FIND_SHARED_MAC && f->kind != FIND_ARP_FLOOD &&
	    (!config || f->ip != 0);
	bool has_mac = f->kind != FIND_IP_CONFLICT &&
	    (f->kind != FIND_ARP_FLOOD || f->nsources > 0) &&
	    (f->kind != FIND_BINDING_CONFLICT || f->ip == 0);

	fprintf(out, "    {\"kind\": \"%s\", \"audit\": %s, \"ip\": ",
	    finding_kind_name(f->kind),
	    finding_desc(f->kind)->audit ? "true" : "false");
	if (has_ip)
		fprintf(out, "\"%s\"", fmt_ip(ip, f->ip));
	else
		fputs("null", out);
	fputs(", \"mac\": ", out);
	if (has_mac)
		fprintf(out, "\"%s\"", fmt_mac(mac, f->mac));
	else
		fputs("null", out);
	/* Lists are lists, empty when the kind has none. */
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
		fputs("[]", out);
	fputs(", \"ips\": ", out);
	if (f->kind == FIND_SHARED_MAC)
		json_host_list(out, r, f, false);
	else
		fputs("[]", out);
	fputs(", \"frame_mac\": ", out);
	if (f->kind == FIND_FRAME_MISMATCH || f->relay)
		fprintf(out, "\"%s\"", fmt_mac(mac, f->frame_mac));
	else
		fputs("null", out);
	fputs(", \"vlan\": ", out);
	json_vlan(out, f->vlan);
	fputs(", \"outer_vlan\": ", out);
	json_vlan(out, f->vlan == VLAN_NONE ? VLAN_NONE : f->outer_vlan);
	fputs(", \"evidence\": {", out);
	switch (f->kind) {
	case FIND_IP_CONFLICT:
		fprintf(out, "\"mac_count\": %zu, \"replies\": %u, \"requests\": "
		    "%u, \"claims\": ", f->nhosts, f->replies, f->probes);
		json_claims(out, r, f);
		break;
	case FIND_TWIN:
	case FIND_REPEATED_REPLY:
		fprintf(out, "\"replies\": %u, \"requests\": %u, "
		    "\"answered_rounds\": %u, \"repeated_rounds\": %u, "
		    "\"certain\": %s, \"ports\": ", f->replies, f->probes,
		    f->rounds, f->multi_rounds, f->certain ? "true" : "false");
		if (f->nhosts > 0)
			json_port_counts(out, r, &r->facts[f->hosts[0]]);
		else
			fputs("[]", out);
		fputs(", \"vms\": ", out);
		json_vms(out, r, f->vms, f->nvms);
		fputs(", \"bindings\": ", out);
		json_bindings(out, f->bindings, f->nbindings);
		break;
	case FIND_SHARED_MAC:
		fprintf(out, "\"ip_count\": %zu, \"replies\": %u, \"verdict\": ",
		    f->nhosts, f->replies);
		fmt_json_str_or_null(out, f->verdict);
		fputs(", \"claims\": ", out);
		json_claims(out, r, f);
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
	case FIND_MAC_REUSE:
		fputs("\"vms\": ", out);
		json_vms(out, r, f->vms, f->nvms);
		break;
	case FIND_BINDING_CONFLICT:
		fputs("\"bindings\": ", out);
		json_bindings(out, f->bindings, f->nbindings);
		break;
	case FIND_BINDING_MISMATCH:
		fprintf(out, "\"replies\": %u, \"bound_ip\": \"%s\", "
		    "\"bindings\": ", f->replies, fmt_ip(ip, f->bound_ip));
		json_bindings(out, f->bindings, f->nbindings);
		break;
	case FIND_NEW_HOST:
	case FIND_GONE:
	case FIND_CHANGED_MAC:
	case FIND_MOVED_PORT:
		fputs("\"baseline_last_seen\": ", out);
		fmt_json_str_or_null(out, f->baseline_last_seen[0] != '\0' ?
		    f->baseline_last_seen : NULL);
		if (f->kind == FIND_CHANGED_MAC)
			fprintf(out, ", \"baseline_mac\": \"%s\"",
			    fmt_mac(mac, f->baseline_mac));
		if (f->kind == FIND_MOVED_PORT) {
			fputs(", \"baseline_ports\": ", out);
			json_names(out, f->baseline_ports,
			    f->nbaseline_ports);
			size_t i = table_find(r->table, f->outer_vlan,
			    f->vlan, f->ip, f->mac);
			fputs(", \"ports\": ", out);
			if (i != TABLE_NONE)
				json_port_counts(out, r, &r->facts[i]);
			else
				fputs("[]", out);
		}
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

/* "vms": [{"name", "interface", "target", "source", "state"}] */
static void
json_vms(FILE *out, const struct report *r, const struct vm_iface *const *v,
    size_t n)
{
	char ifname[16];

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{\"name\": ", i ? ", " : "");
		fmt_json_str_or_null(out, v[i]->domain);
		fputs(", \"interface\": ", out);
		if (v[i]->alias != NULL)
			json_str(out, v[i]->alias);
		else {
			snprintf(ifname, sizeof(ifname), "net%u",
			    (unsigned)v[i]->index);
			json_str(out, ifname);
		}
		fputs(", \"target\": ", out);
		fmt_json_str_or_null(out, v[i]->target);
		fputs(", \"source\": ", out);
		fmt_json_str_or_null(out, v[i]->source);
		fprintf(out, ", \"type\": \"%s\", \"state\": \"%s\"}",
		    inventory_if_type_name(v[i]->type),
		    inventory_state_name(v[i]->state));
	}
	fputc(']', out);
	(void)r;
}

/* "bindings": [{"ip", "mac", "name", "kind", "origin", "line"}] */
static void
json_bindings(FILE *out, const struct dhcp_binding *const *b, size_t n)
{
	char ip[16], mac[18];

	fputc('[', out);
	for (size_t i = 0; i < n; i++) {
		fprintf(out, "%s{\"ip\": ", i ? ", " : "");
		if (b[i]->ip != 0)
			fprintf(out, "\"%s\"", fmt_ip(ip, b[i]->ip));
		else
			fputs("null", out);
		fprintf(out, ", \"mac\": \"%s\", \"name\": ",
		    fmt_mac(mac, b[i]->mac));
		fmt_json_str_or_null(out, b[i]->name);
		fprintf(out, ", \"kind\": \"%s\", \"ignore\": %s, "
		    "\"origin\": ", inventory_kind_name(b[i]->kind),
		    b[i]->ignore ? "true" : "false");
		fmt_json_str_or_null(out, b[i]->origin);
		fprintf(out, ", \"line\": %u}", b[i]->line);
	}
	fputc(']', out);
}

static void
json_host_facts(FILE *out, const struct report *r, const struct host_facts *hf)
{
	fputs(", \"vms\": ", out);
	json_vms(out, r, hf->vms, hf->nvms);
	fputs(", \"binding_name\": ", out);
	const char *bn = NULL, *ln = NULL;
	for (size_t i = 0; i < hf->nbindings && bn == NULL; i++)
		bn = hf->bindings[i]->name;
	for (size_t i = 0; i < hf->nleases && ln == NULL; i++)
		ln = hf->leases[i]->hostname;
	fmt_json_str_or_null(out, bn);
	fputs(", \"lease_name\": ", out);
	fmt_json_str_or_null(out, ln);
}

/* A number the report has only for a live sweep: null in a replay. */
static void
json_live_u(FILE *out, const struct report *r, const char *key, uint64_t v)
{
	if (r->live)
		fprintf(out, ", \"%s\": %llu", key, (unsigned long long)v);
	else
		fprintf(out, ", \"%s\": null", key);
}

static void
json_live_f(FILE *out, const struct report *r, const char *key, int prec,
    double v)
{
	fprintf(out, ", \"%s\": ", key);
	if (r->live)
		fprintf(out, "%.*f", prec, v);
	else
		fputs("null", out);
}

/*
 * Every key is always there (doc/arpsweep-report.schema.json): lists are
 * lists, empty when there is nothing; a value this source cannot have (a
 * replay's rate, an untagged VLAN) is null.
 */
static void
print_json(FILE *out, const struct report *r)
{
	const struct capture_stats *s = &r->stats;
	char ip[16], mac[18], t1[32], t2[32];

	/* baseline.h reads this back: bump the version when a field
	 * changes name or meaning. */
	fprintf(out, "{\"format\": \"%s\", \"format_version\": %d, "
	    "\"tool_version\": ", BASELINE_FORMAT, BASELINE_VERSION);
	json_str(out, r->tool_version != NULL ? r->tool_version : "unknown");
	fprintf(out, ",\n \"source\": {\"kind\": \"%s\", \"file\": ",
	    r->live ? "live" : "replay");
	fmt_json_str_or_null(out, r->live ? NULL : r->file);
	fputs(", \"interface\": ", out);
	fmt_json_str_or_null(out, r->live ? r->interface : NULL);
	fputs(", \"mac\": ", out);
	if (r->live)
		fprintf(out, "\"%s\"", fmt_mac(mac, r->mac));
	else
		fputs("null", out);
	fputs(", \"ip\": ", out);
	if (r->live && r->ip != 0)
		fprintf(out, "\"%s\"", fmt_ip(ip, r->ip));
	else
		fputs("null", out);
	fputs(", \"reason\": ", out);
	fmt_json_str_or_null(out, r->live ? (r->iface_reason ? r->iface_reason :
	    "") : NULL);
	fprintf(out, ", \"ports_available\": %s",
	    r->ports.available ? "true" : "false");
	fprintf(out, "},\n \"stats\": {\"frames\": %llu, \"arp_frames\": %llu, "
	    "\"malformed_frames\": %llu, \"ignored_frames\": %llu, "
	    "\"other_frames\": %llu, \"requests\": %llu, \"replies\": %llu, "
	    "\"elapsed_seconds\": %.6f, \"partial\": %s",
	    (unsigned long long)s->frames, (unsigned long long)s->arp,
	    (unsigned long long)s->malformed, (unsigned long long)s->ignored,
	    (unsigned long long)s->other, (unsigned long long)s->requests,
	    (unsigned long long)s->replies, r->elapsed_s,
	    r->partial ? "true" : "false");
	fputs(",\n   \"targets\": ", out);
	if (r->live)
		fprintf(out, "%llu", (unsigned long long)r->targets);
	else
		fputs("null", out);
	json_live_u(out, r, "requests_sent", r->sent);
	json_live_f(out, r, "send_seconds", 6, r->send_s);
	json_live_u(out, r, "kernel_dropped_frames", s->kernel_drops);
	json_live_f(out, r, "rate_per_second", 0, r->rate);
	fputs(", \"rate_max\": ", out);
	fputs(!r->live ? "null" : r->rate_max ? "true" : "false", out);
	json_live_f(out, r, "loss_ratio", 4, loss_pct(r) / 100);
	json_live_u(out, r, "canaries", r->canaries);
	json_live_u(out, r, "canaries_lost", r->canaries_lost);
	const struct table_stats *ts = table_stats(r->table);
	fprintf(out, ",\n   \"max_bindings\": %llu, \"not_stored\": "
	    "{\"bindings\": %llu, \"ip_macs\": %llu, \"rounds\": %llu, "
	    "\"mismatches\": %llu}, \"unsolicited_replies\": %llu, "
	    "\"unsolicited_bindings\": %llu,\n   \"main_requester\": ",
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
	    "\"not_ours_replies\": %llu, \"claims_our_ip_requests\": %llu},\n "
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
		json_str(out, r->facts[i].vendor);
		json_host_facts(out, r, &r->facts[i]);
		fprintf(out, ", \"replies\": %u, \"requests\": %u, "
		    "\"answered_rounds\": %u, \"repeated_rounds\": %u, "
		    "\"first_seen\": \"%s\", \"last_seen\": \"%s\", \"flags\": [",
		    h->replies, h->probes, h->rounds, h->multi_rounds,
		    fmt_time(t1, h->first_ns), fmt_time(t2, h->last_ns));
		const char *sep = "";
		for (int k = 0; k < FIND_NKINDS; k++) {
			if (r->findings->host_flags[i] & FINDING_BIT(k)) {
				fprintf(out, "%s\"%s\"", sep,
				    finding_kind_name((enum finding_kind)k));
				sep = ", ";
			}
		}
		fputs("], \"ports\": [", out);
		for (size_t k = 0; k < r->facts[i].nports; k++) {
			fputs(k ? ", " : "", out);
			json_str(out, r->facts[i].ports[k]);
		}
		fprintf(out, "], \"more_ports\": %s}",
		    r->facts[i].more_ports ? "true" : "false");
	}
	fputs("\n ],\n \"findings\": [", out);
	for (size_t i = 0; i < r->findings->n; i++) {
		fputs(i ? ",\n" : "\n", out);
		json_finding(out, r, &r->findings->v[i]);
	}
	fputs("\n ]}\n", out);
}

/* A VLAN id, or "" when there is none. */
static void
csv_vlan(FILE *out, uint16_t vlan)
{
	if (vlan != VLAN_NONE)
		fprintf(out, "%u", vlan);
}

/* "-" is the table's "none"; CSV leaves the field empty. */
static void
csv_list(FILE *out, const char *joined)
{
	csv_field(out, strcmp(joined, "-") == 0 ? "" : joined);
}

static void
print_csv(FILE *out, const struct report *r)
{
	char ip[16], mac[18], t1[32], t2[32], flags[256];
	char vms[FINDING_LIST * FACTS_LABEL_SIZE];

	fputs("ip,mac,vlan,outer_vlan,vendor,replies,requests,first_seen,"
	    "last_seen,flags,vm,name,ports\n", out);
	for (size_t i = 0; i < table_nhosts(r->table); i++) {
		const struct host *h = table_host(r->table, i);
		fprintf(out, "%s,%s,", fmt_ip(ip, h->ip), fmt_mac(mac, h->mac));
		csv_vlan(out, h->vlan);
		fputc(',', out);
		csv_vlan(out, h->vlan == VLAN_NONE ? VLAN_NONE : h->outer_vlan);
		fputc(',', out);
		csv_field(out, r->facts[i].vendor);
		fprintf(out, ",%u,%u,%s,%s,", h->replies, h->probes,
		    fmt_time(t1, h->first_ns), fmt_time(t2, h->last_ns));
		csv_list(out, fmt_flags(flags, sizeof(flags),
		    r->findings->host_flags[i], LIST_SEP));
		fputc(',', out);
		csv_list(out, fmt_vms(vms, sizeof(vms), r, &r->facts[i],
		    LIST_SEP));
		fputc(',', out);
		const char *nm = facts_name(&r->facts[i]);
		csv_field(out, nm != NULL ? nm : "");
		fputc(',', out);
		char pl[256];
		csv_list(out, fmt_ports(pl, sizeof(pl), r, &r->facts[i],
		    LIST_SEP));
		fputc('\n', out);
	}
}

/* Append s to a LIST_SEP list in buf unless it is there already. */
static void
join_unique(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf), sl = strlen(s);

	for (const char *p = buf; *p != '\0';) {
		const char *e = strstr(p, LIST_SEP);
		size_t pl = e != NULL ? (size_t)(e - p) : strlen(p);
		if (pl == sl && memcmp(p, s, sl) == 0)
			return;
		if (e == NULL)
			break;
		p = e + strlen(LIST_SEP);
	}
	snprintf(buf + n, len - n, "%s%s", n ? LIST_SEP : "", s);
}

/*
 * --format csv-findings: one row per finding, the JSON finding's scalars
 * and lists (macs, ips, the ports of the bindings involved) flattened;
 * the evidence in full is JSON's.
 */
static void
print_csv_findings(FILE *out, const struct report *r)
{
	char ip[16], mac[18], list[1024], esc[IF_NAMESIZE * 4 + 1];

	fputs("kind,audit,ip,mac,vlan,outer_vlan,macs,ips,ports,"
	    "baseline_last_seen,message\n", out);
	for (size_t i = 0; i < r->findings->n; i++) {
		const struct finding *f = &r->findings->v[i];
		bool config = f->kind == FIND_MAC_REUSE ||
		    f->kind == FIND_BINDING_CONFLICT;
		bool has_ip = f->kind != FIND_SHARED_MAC &&
		    f->kind != FIND_ARP_FLOOD && (!config || f->ip != 0);
		bool has_mac = f->kind != FIND_IP_CONFLICT &&
		    (f->kind != FIND_ARP_FLOOD || f->nsources > 0) &&
		    (f->kind != FIND_BINDING_CONFLICT || f->ip == 0);
		fprintf(out, "%s,%s,%s,%s,", finding_kind_name(f->kind),
		    finding_desc(f->kind)->audit ? "yes" : "no",
		    has_ip ? fmt_ip(ip, f->ip) : "",
		    has_mac ? fmt_mac(mac, f->mac) : "");
		csv_vlan(out, f->vlan);
		fputc(',', out);
		csv_vlan(out, f->vlan == VLAN_NONE ? VLAN_NONE : f->outer_vlan);
		fputc(',', out);
		/* macs: the MACs claiming the IP (ip-conflict), the rightful
		 * owners (spoofing), the flood's sources; ips: shared-mac's. */
		list[0] = '\0';
		for (size_t k = 0; k < f->nhosts; k++) {
			const struct host *h = table_host(r->table, f->hosts[k]);
			if (f->kind == FIND_IP_CONFLICT || (f->kind ==
			    FIND_SPOOFING && memcmp(h->mac, f->mac, 6) != 0))
				join_unique(list, sizeof(list),
				    fmt_mac(mac, h->mac));
		}
		for (size_t k = 0; f->kind == FIND_ARP_FLOOD &&
		    k < f->nsources; k++)
			join_unique(list, sizeof(list),
			    fmt_mac(mac, f->sources[k].mac));
		csv_field(out, list);
		fputc(',', out);
		list[0] = '\0';
		for (size_t k = 0; f->kind == FIND_SHARED_MAC &&
		    k < f->nhosts; k++)
			join_unique(list, sizeof(list), fmt_ip(ip,
			    table_host(r->table, f->hosts[k])->ip));
		csv_field(out, list);
		fputc(',', out);
		/* The ports the bindings involved entered on. */
		list[0] = '\0';
		size_t moved = f->kind == FIND_MOVED_PORT ? table_find(r->table,
		    f->outer_vlan, f->vlan, f->ip, f->mac) : TABLE_NONE;
		size_t nh = moved != TABLE_NONE ? 1 : f->nhosts;
		for (size_t k = 0; k < nh; k++) {
			const struct host_facts *hf = &r->facts[moved !=
			    TABLE_NONE ? moved : f->hosts[k]];
			for (size_t q = 0; q < hf->nports; q++) {
				escape_str(hf->ports[q], esc, sizeof(esc));
				join_unique(list, sizeof(list), esc);
			}
		}
		csv_field(out, list);
		fprintf(out, ",%s,", f->baseline_last_seen);
		csv_field(out, f->message);
		fputc('\n', out);
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
	case FORMAT_CSV_FINDINGS:
		print_csv_findings(out, r);
		break;
	case FORMAT_PROM:
		prom_print(out, r);
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
