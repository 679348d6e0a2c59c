/* inventory: bounded record arrays, a string arena, sorted indices for lookups. */
#include "inventory.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK_SIZE	(64u * 1024)
#define CHUNK_MIN	1024u

/*
 * Strings live in chunks that never move, so records can point into them
 * and a merge moves the whole list without copying a byte.
 */
struct chunk {
	struct chunk	*next;
	size_t		used, cap;
	char		data[];
};

struct vec {
	void		*v;
	size_t		n, cap, size;
};

struct inventory {
	struct vec		vms, nets, binds, leases;
	struct chunk		*chunks;
	size_t			strbytes;
	uint32_t		groups;
	bool			finished;
	struct inventory_stats	stats;
	const char		*err;
	char			errmsg[64];
	/* Indices, built by inventory_finish(). */
	const struct vm_iface		**vm_mac;
	const struct dhcp_binding	**b_mac, **b_ip;
	const struct dhcp_lease		**l_mac, **l_ip;
	size_t				nb_ip, nl_ip;
};

static const char *const if_type_names[VM_IF_NTYPES] = {
	[VM_IF_OTHER] = "other", [VM_IF_NETWORK] = "network",
	[VM_IF_BRIDGE] = "bridge", [VM_IF_DIRECT] = "direct",
	[VM_IF_ETHERNET] = "ethernet", [VM_IF_USER] = "user",
	[VM_IF_VHOSTUSER] = "vhostuser", [VM_IF_HOSTDEV] = "hostdev",
	[VM_IF_VDPA] = "vdpa", [VM_IF_MCAST] = "mcast", [VM_IF_UDP] = "udp",
	[VM_IF_SERVER] = "server", [VM_IF_CLIENT] = "client",
	[VM_IF_NULL] = "null", [VM_IF_VDS] = "vds",
	[VM_IF_INTERNAL] = "internal",
};

/* virsh's words, so an operator recognises them. */
static const char *const state_names[VM_STATE_NSTATES] = {
	[VM_STATE_DEFINED] = "defined", [VM_STATE_ACTIVE] = "active",
	[VM_STATE_RUNNING] = "running", [VM_STATE_IDLE] = "idle",
	[VM_STATE_PAUSED] = "paused", [VM_STATE_SHUTDOWN] = "in shutdown",
	[VM_STATE_SHUTOFF] = "shut off", [VM_STATE_CRASHED] = "crashed",
	[VM_STATE_PMSUSPENDED] = "pmsuspended",
};

static const char *const kind_names[BINDING_NKINDS] = {
	[BINDING_DHCPD] = "dhcpd", [BINDING_DNSMASQ] = "dnsmasq",
	[BINDING_LIBVIRT] = "libvirt-network", [BINDING_KEA] = "kea",
};

const char *
inventory_if_type_name(unsigned type)
{
	return type < VM_IF_NTYPES ? if_type_names[type] : "other";
}

unsigned
inventory_if_type(const char *name)
{
	for (unsigned i = 1; name != NULL && i < VM_IF_NTYPES; i++)
		if (strcmp(name, if_type_names[i]) == 0)
			return i;
	return VM_IF_OTHER;
}

const char *
inventory_state_name(unsigned state)
{
	return state < VM_STATE_NSTATES ? state_names[state] : "defined";
}

const char *
inventory_kind_name(unsigned kind)
{
	return kind < BINDING_NKINDS ? kind_names[kind] : "dhcp";
}

struct inventory *
inventory_new(void)
{
	struct inventory *inv = calloc(1, sizeof(*inv));

	if (inv == NULL)
		return NULL;
	inv->vms.size = sizeof(struct vm_iface);
	inv->nets.size = sizeof(struct vm_network);
	inv->binds.size = sizeof(struct dhcp_binding);
	inv->leases.size = sizeof(struct dhcp_lease);
	return inv;
}

static void
free_indices(struct inventory *inv)
{
	free(inv->vm_mac);
	free(inv->b_mac);
	free(inv->b_ip);
	free(inv->l_mac);
	free(inv->l_ip);
	inv->vm_mac = NULL;
	inv->b_mac = inv->b_ip = NULL;
	inv->l_mac = inv->l_ip = NULL;
	inv->nb_ip = inv->nl_ip = 0;
}

void
inventory_free(struct inventory *inv)
{
	if (inv == NULL)
		return;
	free_indices(inv);
	free(inv->vms.v);
	free(inv->nets.v);
	free(inv->binds.v);
	free(inv->leases.v);
	while (inv->chunks != NULL) {
		struct chunk *c = inv->chunks;

		inv->chunks = c->next;
		free(c);
	}
	free(inv);
}

static int
vec_reserve(struct inventory *inv, struct vec *v, size_t more, const char *what)
{
	size_t cap;
	void *p;

	if (more > INV_MAX_ENTRIES || v->n > INV_MAX_ENTRIES - more) {
		snprintf(inv->errmsg, sizeof(inv->errmsg), "more than %u %s",
		    INV_MAX_ENTRIES, what);
		inv->err = inv->errmsg;
		return -1;
	}
	if (v->n + more <= v->cap)
		return 0;
	cap = v->cap ? v->cap : 16;
	while (cap < v->n + more)
		cap *= 2;
	if ((p = realloc(v->v, cap * v->size)) == NULL) {
		inv->err = "out of memory";
		return -1;
	}
	v->v = p;
	v->cap = cap;
	return 0;
}

static int
vec_push(struct inventory *inv, struct vec *v, const void *rec, const char *what)
{
	if (inv->finished) {
		inv->err = "inventory already finished";
		return -1;
	}
	if (vec_reserve(inv, v, 1, what) == -1)
		return -1;
	memcpy((char *)v->v + v->n * v->size, rec, v->size);
	v->n++;
	return 0;
}

int
inventory_add_vm(struct inventory *inv, const struct vm_iface *v)
{
	return vec_push(inv, &inv->vms, v, "VM interfaces");
}

int
inventory_add_network(struct inventory *inv, const struct vm_network *n)
{
	return vec_push(inv, &inv->nets, n, "libvirt networks");
}

int
inventory_add_binding(struct inventory *inv, const struct dhcp_binding *b)
{
	return vec_push(inv, &inv->binds, b, "DHCP bindings");
}

int
inventory_add_lease(struct inventory *inv, const struct dhcp_lease *l)
{
	return vec_push(inv, &inv->leases, l, "DHCP leases");
}

uint32_t
inventory_new_group(struct inventory *inv)
{
	return inv->groups++;
}

struct inventory_stats *
inventory_stats(struct inventory *inv)
{
	return &inv->stats;
}

const char *
inventory_error(const struct inventory *inv)
{
	return inv->err ? inv->err : "no error";
}

/*
 * Length of the UTF-8 character at s[0..n) (1 for a byte that starts
 * none); *ok false for those and for controls, which print as one '?'.
 */
static size_t
utf8_char(const unsigned char *s, size_t n, bool *ok)
{
	unsigned c = s[0], cp, len;

	*ok = false;
	if (c < 0x80) {
		*ok = c >= 0x20 && c != 0x7f;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 1;
	if (len > n)
		return 1;
	for (unsigned i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and the C1 controls
	 * that some terminals obey even in UTF-8. */
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return 1;
	*ok = !(cp >= 0x80 && cp <= 0x9f);
	return len;
}

const char *
inventory_strdup(struct inventory *inv, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	struct chunk *c = inv->chunks;
	size_t i = 0, j = 0;
	char *out;

	if (c == NULL || c->cap - c->used < INV_MAX_STR + 1) {
		/* Small first: a scratch inventory of one domain's XML holds a
		 * few names, and a merge keeps its chunk. */
		size_t cap = c == NULL ? CHUNK_MIN : c->cap * 2 > CHUNK_SIZE ?
		    CHUNK_SIZE : c->cap * 2;

		if (inv->strbytes > INV_MAX_STRBYTES - cap) {
			inv->err = "more than 32 MiB of names";
			return NULL;
		}
		if ((c = malloc(sizeof(*c) + cap)) == NULL) {
			inv->err = "out of memory";
			return NULL;
		}
		c->next = inv->chunks;
		c->used = 0;
		c->cap = cap;
		inv->chunks = c;
		inv->strbytes += cap;
	}
	out = c->data + c->used;
	while (i < len) {
		bool ok;
		size_t n = utf8_char(u + i, len - i, &ok);

		if (j + (ok ? n : 1) > INV_MAX_STR)
			break;
		if (!ok) {
			out[j++] = '?';
			i += n;
		} else {
			memcpy(out + j, u + i, n);
			j += n;
			i += n;
		}
	}
	out[j++] = '\0';
	c->used += j;
	return out;
}

int
inventory_merge(struct inventory *dst, struct inventory *src)
{
	struct dhcp_binding *b;
	struct chunk **tail;

	if (dst->finished || src->finished) {
		dst->err = "inventory already finished";
		return -1;
	}
	if (src->strbytes > INV_MAX_STRBYTES - dst->strbytes) {
		dst->err = "more than 32 MiB of names";
		return -1;
	}
	if (vec_reserve(dst, &dst->vms, src->vms.n, "VM interfaces") == -1 ||
	    vec_reserve(dst, &dst->nets, src->nets.n, "libvirt networks") == -1 ||
	    vec_reserve(dst, &dst->binds, src->binds.n, "DHCP bindings") == -1 ||
	    vec_reserve(dst, &dst->leases, src->leases.n, "DHCP leases") == -1)
		return -1;
	b = (struct dhcp_binding *)src->binds.v;
	for (size_t i = 0; i < src->binds.n; i++)
		b[i].group += dst->groups;
	dst->groups += src->groups;
	src->groups = 0;
	struct vec *dv[] = { &dst->vms, &dst->nets, &dst->binds, &dst->leases };
	struct vec *sv[] = { &src->vms, &src->nets, &src->binds, &src->leases };
	for (size_t k = 0; k < 4; k++) {
		if (sv[k]->n > 0)
			memcpy((char *)dv[k]->v + dv[k]->n * dv[k]->size,
			    sv[k]->v, sv[k]->n * sv[k]->size);
		dv[k]->n += sv[k]->n;
		sv[k]->n = 0;
	}
	for (tail = &dst->chunks; *tail != NULL; tail = &(*tail)->next)
		;
	*tail = src->chunks;
	src->chunks = NULL;
	dst->strbytes += src->strbytes;
	src->strbytes = 0;
	dst->stats.ifaces_skipped += src->stats.ifaces_skipped;
	dst->stats.bindings_skipped += src->stats.bindings_skipped;
	dst->stats.leases_skipped += src->stats.leases_skipped;
	memset(&src->stats, 0, sizeof(src->stats));
	return 0;
}

static int
strcmp_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return (a != NULL) - (b != NULL);
	return strcmp(a, b);
}

/* Sort key for pairing views: domain, uuid, MAC, then insertion order. */
static int
cmp_vm_identity(const void *pa, const void *pb)
{
	const struct vm_iface *a = *(const struct vm_iface *const *)pa;
	const struct vm_iface *b = *(const struct vm_iface *const *)pb;
	int c;

	if ((c = strcmp_null(a->domain, b->domain)) != 0 ||
	    (c = strcmp_null(a->uuid, b->uuid)) != 0 ||
	    (c = memcmp(a->mac, b->mac, 6)) != 0)
		return c;
	return (a > b) - (a < b);
}

static int
same_identity(const struct vm_iface *a, const struct vm_iface *b)
{
	return strcmp_null(a->domain, b->domain) == 0 &&
	    strcmp_null(a->uuid, b->uuid) == 0 && memcmp(a->mac, b->mac, 6) == 0;
}

/*
 * A running domain read twice (live and --inactive) must not look like two
 * interfaces with one MAC: pair the i-th live-only record of a (domain,
 * MAC) with its i-th config-only one. Two interfaces of one description
 * with one MAC stay two records: that is a real reuse.
 */
static int
merge_views(struct inventory *inv)
{
	struct vm_iface *v = inv->vms.v;
	size_t n = inv->vms.n, out = 0;
	struct vm_iface **p;
	bool *dead;

	if (n < 2)
		return 0;
	p = malloc(n * sizeof(*p));
	dead = calloc(n, sizeof(*dead));
	if (p == NULL || dead == NULL) {
		free(p);
		free(dead);
		inv->err = "out of memory";
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof(*p), cmp_vm_identity);
	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && same_identity(p[i], p[j]))
			j++;
		size_t live = i, conf = i;
		for (;;) {
			while (live < j && p[live]->views != VM_VIEW_LIVE)
				live++;
			while (conf < j && p[conf]->views != VM_VIEW_CONFIG)
				conf++;
			if (live == j || conf == j)
				break;
			struct vm_iface *l = p[live++], *c = p[conf++];

			l->views |= VM_VIEW_CONFIG;
			if (l->alias == NULL)
				l->alias = c->alias;
			if (l->source == NULL)
				l->source = c->source;
			if (l->state == VM_STATE_ACTIVE && c->state > VM_STATE_ACTIVE)
				l->state = c->state;
			dead[c - v] = true;
		}
		i = j;
	}
	for (size_t i = 0; i < n; i++)
		if (!dead[i])
			v[out++] = v[i];
	inv->vms.n = out;
	free(p);
	free(dead);
	return 0;
}

/* MAC, then position in the array (= insertion order). */
#define MAC_CMP(name, type)						\
static int								\
name(const void *pa, const void *pb)					\
{									\
	const type *a = *(const type *const *)pa;			\
	const type *b = *(const type *const *)pb;			\
	int c = memcmp(a->mac, b->mac, 6);				\
									\
	return c ? c : (a > b) - (a < b);				\
}
#define IP_CMP(name, type)						\
static int								\
name(const void *pa, const void *pb)					\
{									\
	const type *a = *(const type *const *)pa;			\
	const type *b = *(const type *const *)pb;			\
									\
	if (a->ip != b->ip)						\
		return a->ip < b->ip ? -1 : 1;				\
	return (a > b) - (a < b);					\
}
MAC_CMP(cmp_vm_mac, struct vm_iface)
MAC_CMP(cmp_b_mac, struct dhcp_binding)
MAC_CMP(cmp_l_mac, struct dhcp_lease)
IP_CMP(cmp_b_ip, struct dhcp_binding)
IP_CMP(cmp_l_ip, struct dhcp_lease)

/* Pointers to the records of v (only those with an IP when with_ip). */
static void *
build_index(const struct vec *v, bool with_ip, size_t ip_off, size_t *n,
    int (*cmp)(const void *, const void *))
{
	const char **p = malloc((v->n ? v->n : 1) * sizeof(*p));
	size_t k = 0;

	if (p == NULL)
		return NULL;
	for (size_t i = 0; i < v->n; i++) {
		const char *rec = (const char *)v->v + i * v->size;
		uint32_t ip;

		memcpy(&ip, rec + ip_off, sizeof(ip));
		if (!with_ip || ip != 0)
			p[k++] = rec;
	}
	qsort(p, k, sizeof(*p), cmp);
	*n = k;
	return p;
}

int
inventory_finish(struct inventory *inv)
{
	size_t n;

	if (inv->finished)
		return 0;
	if (merge_views(inv) == -1)
		return -1;
	inv->vm_mac = build_index(&inv->vms, false, 0, &n, cmp_vm_mac);
	inv->b_mac = build_index(&inv->binds, false, 0, &n, cmp_b_mac);
	inv->b_ip = build_index(&inv->binds, true,
	    offsetof(struct dhcp_binding, ip), &inv->nb_ip, cmp_b_ip);
	inv->l_mac = build_index(&inv->leases, false, 0, &n, cmp_l_mac);
	inv->l_ip = build_index(&inv->leases, true,
	    offsetof(struct dhcp_lease, ip), &inv->nl_ip, cmp_l_ip);
	if (inv->vm_mac == NULL || inv->b_mac == NULL || inv->b_ip == NULL ||
	    inv->l_mac == NULL || inv->l_ip == NULL) {
		free_indices(inv);
		inv->err = "out of memory";
		return -1;
	}
	inv->finished = true;
	return 0;
}

#define ACCESSORS(nfn, fn, type, field)					\
size_t									\
nfn(const struct inventory *inv)					\
{									\
	return inv->field.n;						\
}									\
									\
const type *								\
fn(const struct inventory *inv, size_t i)				\
{									\
	return i < inv->field.n ? (const type *)inv->field.v + i : NULL; \
}
ACCESSORS(inventory_nvms, inventory_vm, struct vm_iface, vms)
ACCESSORS(inventory_nnetworks, inventory_network, struct vm_network, nets)
ACCESSORS(inventory_nbindings, inventory_binding, struct dhcp_binding, binds)
ACCESSORS(inventory_nleases, inventory_lease, struct dhcp_lease, leases)

/* The run of index entries whose key equals key: lower bound, then scan. */
#define LOOKUP_MAC(fn, type, index, vec)				\
size_t									\
fn(const struct inventory *inv, const uint8_t mac[6],			\
    const type *const **first)						\
{									\
	const type *const *p = (const type *const *)inv->index;	\
	size_t lo = 0, hi = inv->finished ? inv->vec.n : 0, end;	\
									\
	while (lo < hi) {						\
		size_t mid = lo + (hi - lo) / 2;			\
									\
		if (memcmp(p[mid]->mac, mac, 6) < 0)			\
			lo = mid + 1;					\
		else							\
			hi = mid;					\
	}								\
	end = lo;							\
	while (inv->finished && end < inv->vec.n &&			\
	    memcmp(p[end]->mac, mac, 6) == 0)				\
		end++;							\
	*first = p ? p + lo : NULL;					\
	return end - lo;						\
}
#define LOOKUP_IP(fn, type, index, count)				\
size_t									\
fn(const struct inventory *inv, uint32_t ip, const type *const **first) \
{									\
	const type *const *p = (const type *const *)inv->index;	\
	size_t lo = 0, hi = inv->count, end;				\
									\
	while (lo < hi) {						\
		size_t mid = lo + (hi - lo) / 2;			\
									\
		if (p[mid]->ip < ip)					\
			lo = mid + 1;					\
		else							\
			hi = mid;					\
	}								\
	for (end = lo; end < inv->count && p[end]->ip == ip; end++)	\
		;							\
	*first = p ? p + lo : NULL;					\
	return end - lo;						\
}
LOOKUP_MAC(inventory_vms_by_mac, struct vm_iface, vm_mac, vms)
LOOKUP_MAC(inventory_bindings_by_mac, struct dhcp_binding, b_mac, binds)
LOOKUP_MAC(inventory_leases_by_mac, struct dhcp_lease, l_mac, leases)
LOOKUP_IP(inventory_bindings_by_ip, struct dhcp_binding, b_ip, nb_ip)
LOOKUP_IP(inventory_leases_by_ip, struct dhcp_lease, l_ip, nl_ip)

const struct vm_network *
inventory_network_by_name(const struct inventory *inv, const char *name)
{
	const struct vm_network *n = inv->nets.v;

	for (size_t i = 0; i < inv->nets.n; i++)
		if (n[i].name != NULL && strcmp(n[i].name, name) == 0)
			return &n[i];
	return NULL;
}

void
inventory_quote(char *dst, size_t dstlen, const char *s, size_t len)
{
	size_t j = 0, i;

	if (dstlen == 0)
		return;
	for (i = 0; i < len && s[i] != '\0' && j + 1 < dstlen; i++) {
		unsigned char c = (unsigned char)s[i];

		dst[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	if (i < len && s[i] != '\0' && dstlen > 4) {
		j = j > dstlen - 4 ? dstlen - 4 : j;
		memcpy(dst + j, "...", 3);
		j += 3;
	}
	dst[j] = '\0';
}

int
inventory_read_fd(int fd, const char *name, size_t max, char **buf,
    size_t *len, char *errbuf, size_t errlen)
{
	char safe[256];
	struct stat st;
	size_t cap, n = 0;
	char *p;

	inventory_quote(safe, sizeof(safe), name, strlen(name));
	if (fstat(fd, &st) == -1) {
		snprintf(errbuf, errlen, "%s: %s", safe, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: not a regular file", safe);
		return -1;
	}
	if ((uint64_t)st.st_size > max) {
		snprintf(errbuf, errlen, "%s: larger than %zu MiB; not a "
		    "configuration file arpsweep reads", safe, max >> 20);
		return -1;
	}
	cap = (size_t)st.st_size + 1;
	if ((p = malloc(cap)) == NULL) {
		snprintf(errbuf, errlen, "%s: out of memory", safe);
		return -1;
	}
	/* The file may grow while we read it: never past max. */
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			char *q;

			if (cap > max) {
				free(p);
				snprintf(errbuf, errlen, "%s: larger than %zu "
				    "MiB; not a configuration file arpsweep "
				    "reads", safe, max >> 20);
				return -1;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			if ((q = realloc(p, cap)) == NULL) {
				free(p);
				snprintf(errbuf, errlen, "%s: out of memory",
				    safe);
				return -1;
			}
			p = q;
		}
		r = read(fd, p + n, cap - 1 - n);
		if (r == 0)
			break;
		if (r < 0) {
			if (errno == EINTR)
				continue;
			snprintf(errbuf, errlen, "%s: %s", safe,
			    strerror(errno));
			free(p);
			return -1;
		}
		n += (size_t)r;
	}
	p[n] = '\0';
	*buf = p;
	*len = n;
	return 0;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int
inventory_parse_mac(const char *s, size_t len, uint8_t mac[6])
{
	size_t i = 0;
	char sep = 0;

	if (len == 12) {
		for (int k = 0; k < 6; k++) {
			int h = hexval((unsigned char)s[2 * k]);
			int l = hexval((unsigned char)s[2 * k + 1]);

			if (h < 0 || l < 0)
				return -1;
			mac[k] = (uint8_t)(h << 4 | l);
		}
		return 0;
	}
	for (int k = 0; k < 6; k++) {
		int v = 0, d = 0;

		if (k > 0) {
			if (i >= len || (s[i] != ':' && s[i] != '-'))
				return -1;
			if (sep == 0)
				sep = s[i];
			else if (s[i] != sep)
				return -1;
			i++;
		}
		while (i < len && d < 2 && hexval((unsigned char)s[i]) >= 0) {
			v = v << 4 | hexval((unsigned char)s[i]);
			i++;
			d++;
		}
		if (d == 0)
			return -1;
		mac[k] = (uint8_t)v;
	}
	return i == len ? 0 : -1;
}

int
inventory_parse_ip(const char *s, size_t len, uint32_t *ip)
{
	char tmp[16];
	struct in_addr a;

	if (len == 0 || len >= sizeof(tmp))
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET, tmp, &a) != 1)
		return -1;
	*ip = ntohl(a.s_addr);
	return 0;
}
