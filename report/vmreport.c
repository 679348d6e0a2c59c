/* vmreport: --vm NAME, from the inventory's interfaces and the finished table. */
#include "vmreport.h"

#include <errno.h>
#include <string.h>

#include "../capture/escape.h"
#include "fmt.h"

#define LIST_SEP ","

bool
vm_state_running(unsigned state)
{
	return state == VM_STATE_RUNNING || state == VM_STATE_ACTIVE ||
	    state == VM_STATE_IDLE || state == VM_STATE_PAUSED;
}

const char *
vm_iface_bridge(const struct inventory *inv, const struct vm_iface *v,
    char *why)
{
	char tmp[VM_WHY_SIZE];
	const struct vm_network *net;

	if (why == NULL)
		why = tmp;
	why[0] = '\0';
	if (v->type == VM_IF_BRIDGE && v->source != NULL)
		return v->source;
	if (v->type == VM_IF_BRIDGE) {
		snprintf(why, VM_WHY_SIZE, "type bridge with no source bridge");
		return NULL;
	}
	if (v->type != VM_IF_NETWORK) {
		if (v->type == VM_IF_DIRECT)
			snprintf(why, VM_WHY_SIZE, "type direct (macvtap on %s), "
			    "not on a bridge", v->source != NULL ? v->source :
			    "?");
		else
			snprintf(why, VM_WHY_SIZE, "type %s, not on a bridge",
			    inventory_if_type_name(v->type));
		return NULL;
	}
	if (v->source == NULL) {
		snprintf(why, VM_WHY_SIZE, "type network with no source network");
		return NULL;
	}
	if ((net = inventory_network_by_name(inv, v->source)) == NULL) {
		snprintf(why, VM_WHY_SIZE, "network '%s' is not in the inventory "
		    "(add 'virsh net-dumpxml %s' to --vm-xml)", v->source,
		    v->source);
		return NULL;
	}
	if (net->bridge == NULL)
		snprintf(why, VM_WHY_SIZE, "network '%s' has no bridge",
		    v->source);
	return net->bridge;
}

static void
iface_label(char *buf, size_t len, const struct vm_iface *v)
{
	if (v->alias != NULL)
		snprintf(buf, len, "%s", v->alias);
	else
		snprintf(buf, len, "net%u", (unsigned)v->index);
}

size_t
vm_lookup(const struct inventory *inv, const char *name,
    struct vm_lookup *out)
{
	size_t nv = inv != NULL ? inventory_nvms(inv) : 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < nv; i++) {
		const struct vm_iface *v = inventory_vm(inv, i);
		if (v->domain == NULL || strcmp(v->domain, name) != 0)
			continue;
		if (out->n == VM_MAX_IFACES) {
			out->more = true;
			continue;
		}
		struct vm_if_result *r = &out->ifs[out->n];
		char why[VM_WHY_SIZE];
		if (out->n == 0) {
			out->name = v->domain;
			out->state = v->state;
		}
		r->v = v;
		r->bridge = vm_iface_bridge(inv, v, why);
		iface_label(r->label, sizeof(r->label), v);
		const struct vm_iface *const *same;
		size_t ns = inventory_vms_by_mac(inv, v->mac, &same);
		for (size_t k = 0; k < ns; k++) {
			if (same[k]->domain == NULL ||
			    strcmp(same[k]->domain, name) == 0)
				continue;
			if (r->nothers < sizeof(r->others) / sizeof(r->others[0]))
				r->others[r->nothers] = same[k];
			r->nothers++;
		}
		if (r->bridge == NULL && out->nobridge[0] == '\0')
			snprintf(out->nobridge, sizeof(out->nobridge), "%s: %s",
			    r->label, why);
		bool seen = false;
		for (size_t k = 0; k < out->n && !seen; k++)
			seen = out->ifs[k].bridge != NULL && r->bridge != NULL &&
			    strcmp(out->ifs[k].bridge, r->bridge) == 0;
		if (r->bridge != NULL && !seen)
			out->nbridges++;
		if (out->bridge == NULL)
			out->bridge = r->bridge;
		out->n++;
	}
	if (out->bridge != NULL) {
		size_t on = 0, len;
		for (size_t i = 0; i < out->n; i++)
			on += out->ifs[i].bridge != NULL &&
			    strcmp(out->ifs[i].bridge, out->bridge) == 0;
		snprintf(out->why, sizeof(out->why), "bridge of VM %s's "
		    "interface%s ", out->name, on == 1 ? "" : "s");
		for (size_t i = 0, k = 0; i < out->n; i++) {
			if (out->ifs[i].bridge == NULL ||
			    strcmp(out->ifs[i].bridge, out->bridge) != 0)
				continue;
			len = strlen(out->why);
			snprintf(out->why + len, sizeof(out->why) - len, "%s%s",
			    k++ ? ", " : "", out->ifs[i].label);
		}
	}
	return out->n;
}

void
vm_unknown(const struct inventory *inv, const char *name, char *buf,
    size_t len)
{
	size_t nv = inv != NULL ? inventory_nvms(inv) : 0, ndom = 0, nshown = 0;
	const char *last = NULL, *shown[8];
	char list[200] = "";
	bool more = false;

	for (size_t i = 0; i < nv; i++) {
		const char *d = inventory_vm(inv, i)->domain;
		bool dup = d == NULL || (last != NULL && strcmp(d, last) == 0);
		for (size_t k = 0; k < nshown && !dup; k++)
			dup = strcmp(shown[k], d) == 0;
		if (dup)
			continue;
		/* A domain's interfaces come together (one document each):
		 * a name unlike the last one is another domain. */
		last = d;
		ndom++;
		size_t used = strlen(list);
		if (nshown < 8 && used + strlen(d) + 8 < sizeof(list)) {
			snprintf(list + used, sizeof(list) - used, "%s%s",
			    nshown ? ", " : "", d);
			shown[nshown++] = d;
		} else {
			more = true;
		}
	}
	if (more)
		strcat(list, ", ...");
	if (ndom == 0)
		snprintf(buf, len, "--vm '%s': no domain is known here (neither "
		    "libvirt nor --vm-xml gave one); add --vm-xml with its "
		    "'virsh dumpxml' file, or check 'virsh list --all'",
		    ESC(name));
	else
		snprintf(buf, len, "--vm '%s': no such domain among the %zu "
		    "known (%s); check the name with 'virsh list --all'",
		    ESC(name), ndom, list);
}

struct run_bridge {
	const char	*bridge;
	const char	*domains[8];	/* the first few, for the reason */
	size_t		ndomains;
	size_t		first;		/* inventory order */
};

#define RUN_BRIDGES 64

size_t
vm_running_bridges(const struct inventory *inv, const char **bridge,
    char (*why)[VM_WHY_SIZE], size_t max)
{
	struct run_bridge rb[RUN_BRIDGES];
	size_t nrb = 0, nv = inv != NULL ? inventory_nvms(inv) : 0;

	for (size_t i = 0; i < nv; i++) {
		const struct vm_iface *v = inventory_vm(inv, i);
		const char *br;
		size_t k;
		if (!vm_state_running(v->state) || v->domain == NULL ||
		    (br = vm_iface_bridge(inv, v, NULL)) == NULL)
			continue;
		for (k = 0; k < nrb && strcmp(rb[k].bridge, br) != 0; k++)
			;
		if (k == nrb) {
			if (nrb == RUN_BRIDGES)
				continue;
			memset(&rb[nrb], 0, sizeof(rb[nrb]));
			rb[nrb].bridge = br;
			rb[nrb].first = i;
			nrb++;
		}
		bool dup = false;
		for (size_t d = 0; d < rb[k].ndomains && d < 8 && !dup; d++)
			dup = strcmp(rb[k].domains[d], v->domain) == 0;
		if (dup)
			continue;
		if (rb[k].ndomains < 8)
			rb[k].domains[rb[k].ndomains] = v->domain;
		rb[k].ndomains++;
	}
	/* Most domains first; insertion sort keeps ties in order. */
	for (size_t i = 1; i < nrb; i++) {
		struct run_bridge x = rb[i];
		size_t j = i;
		for (; j > 0 && rb[j - 1].ndomains < x.ndomains; j--)
			rb[j] = rb[j - 1];
		rb[j] = x;
	}
	size_t n = nrb < max ? nrb : max;
	for (size_t i = 0; i < n; i++) {
		size_t shown = rb[i].ndomains < 3 ? rb[i].ndomains : 3, len;
		bridge[i] = rb[i].bridge;
		snprintf(why[i], VM_WHY_SIZE, "bridge of running domain%s ",
		    rb[i].ndomains == 1 ? "" : "s");
		for (size_t d = 0; d < shown; d++) {
			len = strlen(why[i]);
			snprintf(why[i] + len, VM_WHY_SIZE - len, "%s%s",
			    d ? ", " : "", rb[i].domains[d]);
		}
		len = strlen(why[i]);
		if (rb[i].ndomains > shown)
			snprintf(why[i] + len, VM_WHY_SIZE - len, " and %zu more",
			    rb[i].ndomains - shown);
	}
	return n;
}

bool
vm_match(struct vm_lookup *vm, struct table *t, const char *swept,
    bool any_segment)
{
	size_t nh = table_nhosts(t);
	bool all = vm->n > 0 && !vm->more;

	for (size_t i = 0; i < vm->n; i++) {
		struct vm_if_result *r = &vm->ifs[i];
		r->swept = swept == NULL || any_segment || (r->bridge != NULL &&
		    strcmp(r->bridge, swept) == 0);
		r->answered = false;
		r->nips = 0;
		r->more_ips = false;
		/* Hosts are sorted by IP: the addresses come out ascending. */
		for (size_t k = 0; k < nh; k++) {
			const struct host *h = table_host(t, k);
			if (h->rounds == 0 || memcmp(h->mac, r->v->mac, 6) != 0)
				continue;
			r->answered = true;
			if (r->nips > 0 && r->ips[r->nips - 1] == h->ip)
				continue;	/* the same IP on another VLAN */
			if (r->nips == VM_MAX_IPS)
				r->more_ips = true;
			else
				r->ips[r->nips++] = h->ip;
		}
		all = all && r->answered;
	}
	return all;
}

static const char *
found_word(const struct vm_if_result *r)
{
	return r->answered ? "answered" : r->swept ? "silent" : "not-swept";
}

static const char *
dash(const char *s)
{
	return s != NULL ? s : "-";
}

static void
ip_list(char *buf, size_t len, const struct vm_if_result *r)
{
	char ip[16];
	size_t used;

	buf[0] = '\0';
	for (size_t i = 0; i < r->nips; i++) {
		used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? LIST_SEP : "",
		    fmt_ip(ip, r->ips[i]));
	}
	used = strlen(buf);
	if (r->more_ips)
		snprintf(buf + used, len - used, LIST_SEP "...");
}

/*
 * The table's columns, in print order, with how they give way on a narrow
 * terminal (fmt_layout): what names the interface and answers the question
 * (its MAC, FOUND, IPS) stays; where it is attached goes first.
 */
enum { V_LABEL, V_MAC, V_TYPE, V_SOURCE, V_BRIDGE, V_TARGET, V_STATE,
	V_FOUND, V_IPS, V_NCOLS };
static const struct { const char *name; size_t min; int drop; } vm_cols[] = {
	[V_LABEL] = { "INTERFACE", 9, 0 },
	[V_MAC] = { "MAC", (size_t)-1, 0 },
	[V_TYPE] = { "TYPE", 6, 2 },
	[V_SOURCE] = { "SOURCE", 6, 1 },
	[V_BRIDGE] = { "BRIDGE", 6, 4 },
	[V_TARGET] = { "TARGET", 6, 3 },
	[V_STATE] = { "STATE", 7, 5 },
	[V_FOUND] = { "FOUND", (size_t)-1, 0 },
	[V_IPS] = { "IPS", 15, 0 },
};
#define VM_GAP 2

static const char *
vm_cell(const struct vm_if_result *r, int k, char *buf, size_t len)
{
	switch (k) {
	case V_LABEL:	return r->label;
	case V_MAC:	return fmt_mac(buf, r->v->mac);
	case V_TYPE:	return inventory_if_type_name(r->v->type);
	case V_SOURCE:	return dash(r->v->source);
	case V_BRIDGE:	return dash(r->bridge);
	case V_TARGET:	return dash(r->v->target);
	case V_STATE:	return inventory_state_name(r->v->state);
	case V_FOUND:	return found_word(r);
	default:
		ip_list(buf, len, r);
		return buf[0] != '\0' ? buf : "-";
	}
}

/* One line of the table: the header when r is NULL. */
static void
vm_line(FILE *out, const struct vm_if_result *r, const struct fmt_col *c)
{
	char buf[VM_MAX_IPS * 16 + 8], fit[FMT_FIT_SIZE(FMT_COLUMNS_MAX)];
	int last = -1;

	for (int k = 0; k < V_NCOLS; k++)
		if (c[k].shown)
			last = k;
	for (int k = 0, first = 1; k < V_NCOLS; k++) {
		if (!c[k].shown)
			continue;
		const char *s = r != NULL ? vm_cell(r, k, buf, sizeof(buf)) :
		    vm_cols[k].name;
		size_t w = fmt_fit(fit, sizeof(fit), s, c[k].width);
		fprintf(out, "%*s%s", first ? 0 : VM_GAP, "", fit);
		if (k != last)
			fprintf(out, "%*s", (int)(c[k].width - w), "");
		first = 0;
	}
	fputc('\n', out);
}

static void
source_line(FILE *out, const struct report *rep, const struct vm_lookup *vm)
{
	char mac[18], ip[16];

	fprintf(out, "arpsweep: VM %s: ", vm->name);
	if (rep->live)
		fprintf(out, "live sweep on %s (%s, %s): %s", rep->interface,
		    fmt_mac(mac, rep->mac), fmt_ip(ip, rep->ip),
		    rep->iface_reason != NULL ? rep->iface_reason : "");
	else
		fprintf(out, "replay of %s", ESC(rep->file));
	if (rep->inv_note != NULL)
		fprintf(out, "; %s", rep->inv_note);
	fputc('\n', out);
}

static void
print_table(FILE *out, const struct report *rep, const struct vm_lookup *vm)
{
	char buf[VM_MAX_IPS * 16 + 8], mac[18];
	struct fmt_col c[V_NCOLS];
	size_t answered = 0;

	source_line(out, rep, vm);
	for (int k = 0; k < V_NCOLS; k++) {
		c[k] = (struct fmt_col){ .name = vm_cols[k].name,
		    .natural = strlen(vm_cols[k].name), .min = vm_cols[k].min,
		    .cut_last = k == V_IPS, .drop = vm_cols[k].drop };
		for (size_t i = 0; i < vm->n; i++) {
			size_t w = fmt_width(vm_cell(&vm->ifs[i], k, buf,
			    sizeof(buf)));
			c[k].natural = w > c[k].natural ? w : c[k].natural;
		}
	}
	size_t dropped = fmt_layout(c, V_NCOLS, (size_t)rep->term.width,
	    VM_GAP);
	fputc('\n', out);
	vm_line(out, NULL, c);
	for (size_t i = 0; i < vm->n; i++) {
		vm_line(out, &vm->ifs[i], c);
		answered += vm->ifs[i].answered;
	}
	if (dropped > 0) {
		fprintf(out, "Not shown in %d columns:", rep->term.width);
		for (int k = 0, first = 1; k < V_NCOLS; k++)
			if (!c[k].shown) {
				fprintf(out, "%s%s", first ? " " : ", ",
				    vm_cols[k].name);
				first = 0;
			}
		fputs(" (widen the terminal or use --format json)\n", out);
	}
	if (vm->more)
		fprintf(out, "(more than %d interfaces: the others are not "
		    "shown and count as not found)\n", VM_MAX_IFACES);
	fprintf(out, "\nVM %s: %zu of %zu interface%s answered.\n", vm->name,
	    answered, vm->n, vm->n == 1 ? "" : "s");
	for (size_t i = 0; i < vm->n; i++) {
		const struct vm_if_result *r = &vm->ifs[i];
		if (r->answered)
			continue;
		if (r->swept)
			fprintf(out, "  %s (%s) was silent: the domain is not "
			    "running, its guest has no IPv4 address on that "
			    "segment yet, or a firewall drops ARP; check 'virsh "
			    "domstate %s' and the guest's network.\n", r->label,
			    fmt_mac(mac, r->v->mac), vm->name);
		else if (r->bridge != NULL)
			fprintf(out, "  %s (%s) is on bridge %s, which was not "
			    "swept: sweep it with -I %s.\n", r->label,
			    fmt_mac(mac, r->v->mac), r->bridge, r->bridge);
		else
			fprintf(out, "  %s (%s) was not swept: it is on no bridge "
			    "known here; name its segment with -I.\n", r->label,
			    fmt_mac(mac, r->v->mac));
	}
	for (size_t i = 0; i < vm->n; i++) {
		const struct vm_if_result *r = &vm->ifs[i];
		size_t shown = r->nothers < 4 ? r->nothers : 4;
		if (r->nothers == 0)
			continue;
		fprintf(out, "  %s (%s) is also configured on domain%s ", r->label,
		    fmt_mac(mac, r->v->mac), r->nothers == 1 ? "" : "s");
		for (size_t k = 0; k < shown; k++)
			fprintf(out, "%s%s (%s)", k ? ", " : "",
			    r->others[k]->domain,
			    inventory_state_name(r->others[k]->state));
		if (r->nothers > shown)
			fprintf(out, " and %zu more", r->nothers - shown);
		fprintf(out, " (mac-reuse): %s; give one domain a new MAC.\n",
		    r->answered ? "the answers may come from another domain" :
		    "if they run together, they are twins");
	}
	bool self;
	size_t hosts = report_host_count(rep, &self);
	fprintf(out, "\nSummary: %llu frames, %zu host%s%s; %.3f s\n",
	    (unsigned long long)rep->stats.frames, hosts, hosts == 1 ? "" : "s",
	    self ? " (and this host)" : "",
	    rep->elapsed_s);
}

static void
print_json(FILE *out, const struct report *rep, const struct vm_lookup *vm)
{
	char mac[18], ip[16];
	size_t answered = 0;
	bool all = vm->n > 0 && !vm->more;

	fputs("{\"format\": \"arpsweep-vm\", \"format_version\": 1, "
	    "\"tool_version\": ", out);
	fmt_json_str(out, rep->tool_version != NULL ? rep->tool_version :
	    "unknown");
	fputs(",\n \"vm\": ", out);
	fmt_json_str(out, vm->name);
	fputs(", \"state\": ", out);
	fmt_json_str(out, inventory_state_name(vm->state));
	fprintf(out, ",\n \"source\": {\"kind\": \"%s\", \"file\": ",
	    rep->live ? "live" : "replay");
	fmt_json_str_or_null(out, rep->live ? NULL : rep->file);
	fputs(", \"interface\": ", out);
	fmt_json_str_or_null(out, rep->live ? rep->interface : NULL);
	fputs(", \"reason\": ", out);
	fmt_json_str_or_null(out, rep->live ? (rep->iface_reason != NULL ?
	    rep->iface_reason : "") : NULL);
	fputs("},\n \"interfaces\": [", out);
	for (size_t i = 0; i < vm->n; i++) {
		const struct vm_if_result *r = &vm->ifs[i];
		fprintf(out, "%s\n  {\"mac\": \"%s\", \"interface\": ",
		    i ? "," : "", fmt_mac(mac, r->v->mac));
		fmt_json_str(out, r->label);
		fputs(", \"type\": ", out);
		fmt_json_str(out, inventory_if_type_name(r->v->type));
		fputs(", \"target\": ", out);
		fmt_json_str_or_null(out, r->v->target);
		fputs(", \"source\": ", out);
		fmt_json_str_or_null(out, r->v->source);
		fputs(", \"bridge\": ", out);
		fmt_json_str_or_null(out, r->bridge);
		fputs(", \"state\": ", out);
		fmt_json_str(out, inventory_state_name(r->v->state));
		fputs(", \"ips\": [", out);
		for (size_t k = 0; k < r->nips; k++)
			fprintf(out, "%s\"%s\"", k ? ", " : "",
			    fmt_ip(ip, r->ips[k]));
		fputs("], \"shared_with\": [", out);
		for (size_t k = 0; k < r->nothers && k < 4; k++) {
			fputs(k ? ", " : "", out);
			fmt_json_str(out, r->others[k]->domain);
		}
		fprintf(out, "], \"more_ips\": %s, \"answered\": %s, "
		    "\"swept\": %s}", r->more_ips ? "true" : "false",
		    r->answered ? "true" : "false",
		    r->swept ? "true" : "false");
		answered += r->answered;
		all = all && r->answered;
	}
	fprintf(out, "\n ],\n \"more_interfaces\": %s, \"answered\": %zu, "
	    "\"all_answered\": %s, \"frames\": %llu, \"hosts\": %zu, "
	    "\"elapsed_seconds\": %.6f}\n", vm->more ? "true" : "false",
	    answered, all ? "true" : "false",
	    (unsigned long long)rep->stats.frames, table_nhosts(rep->table),
	    rep->elapsed_s);
}

static void
csv_str(FILE *out, const char *s)
{
	fmt_csv_field(out, s != NULL ? s : "");
}

static void
print_csv(FILE *out, const struct vm_lookup *vm)
{
	char mac[18], ips[VM_MAX_IPS * 16 + 8];

	fputs("vm,interface,mac,type,source,bridge,target,state,found,ips\n",
	    out);
	for (size_t i = 0; i < vm->n; i++) {
		const struct vm_if_result *r = &vm->ifs[i];
		csv_str(out, vm->name);
		fputc(',', out);
		csv_str(out, r->label);
		fprintf(out, ",%s,%s,", fmt_mac(mac, r->v->mac),
		    inventory_if_type_name(r->v->type));
		csv_str(out, r->v->source);
		fputc(',', out);
		csv_str(out, r->bridge);
		fputc(',', out);
		csv_str(out, r->v->target);
		fprintf(out, ",%s,%s,", inventory_state_name(r->v->state),
		    found_word(r));
		ip_list(ips, sizeof(ips), r);
		csv_str(out, ips);
		fputc('\n', out);
	}
}

int
vm_print(FILE *out, enum output_format fmt, const struct report *rep,
    const struct vm_lookup *vm)
{
	if (fmt == FORMAT_JSON)
		print_json(out, rep, vm);
	else if (fmt == FORMAT_CSV)
		print_csv(out, vm);
	else
		print_table(out, rep, vm);
	if (fflush(out) == EOF || ferror(out)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}
