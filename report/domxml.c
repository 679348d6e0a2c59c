/* domxml: walk libxml2's tree of a domain, domstatus or network document. */
#include "domxml.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

struct ctx {
	struct inventory	*inv;		/* the scratch inventory */
	const char		*origin;	/* interned */
	char			safe[256];	/* origin, printable */
	char			*errbuf;
	size_t			errlen;
	int			added;
};

static int
fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct ctx *c, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (n != NULL)
		k = snprintf(c->errbuf, c->errlen, "%s:%ld: ", c->safe,
		    xmlGetLineNo(n));
	else
		k = snprintf(c->errbuf, c->errlen, "%s: ", c->safe);
	if (k < 0 || (size_t)k >= c->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(c->errbuf + k, c->errlen - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
is_elem(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && n->ns == NULL &&
	    xmlStrEqual(n->name, (const xmlChar *)name);
}

static const xmlNode *
child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c != NULL; c = c->next)
		if (is_elem(c, name))
			return c;
	return NULL;
}

/*
 * Attribute or text of n, trimmed, interned in the scratch inventory.
 * *out is NULL when absent; -1 only when the inventory refuses.
 */
static int
intern(struct ctx *c, const xmlNode *n, xmlChar *raw, const char **out)
{
	const char *s = (const char *)raw;
	size_t len;

	*out = NULL;
	if (raw == NULL)
		return 0;
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	if (len > 0 && (*out = inventory_strdup(c->inv, s, len)) == NULL) {
		xmlFree(raw);
		return fail(c, n, "%s", inventory_error(c->inv));
	}
	xmlFree(raw);
	return 0;
}

static int
attr(struct ctx *c, const xmlNode *n, const char *name, const char **out)
{
	*out = NULL;
	if (n == NULL)
		return 0;
	return intern(c, n, xmlGetNoNsProp(n, (const xmlChar *)name), out);
}

static int
text(struct ctx *c, const xmlNode *n, const char **out)
{
	*out = NULL;
	if (n == NULL)
		return 0;
	return intern(c, n, xmlNodeGetContent(n), out);
}

static int
bad_value(struct ctx *c, const xmlNode *n, const char *what, const char *v)
{
	char q[48];

	inventory_quote(q, sizeof(q), v, strlen(v));
	return fail(c, n, "%s '%s' is not valid", what, q);
}

/*
 * What an interface is attached to, whatever its type: a network, a
 * bridge, a host device (direct, vdpa), a socket path (vhostuser), an
 * address (mcast, udp, server, client), a PCI address (hostdev).
 */
static int
iface_source(struct ctx *c, const xmlNode *iface, const char **out)
{
	static const char *const attrs[] = { "network", "bridge", "dev",
	    "path", "address" };
	const xmlNode *src = child(iface, "source");
	const char *port;

	*out = NULL;
	if (src == NULL)
		return 0;
	for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (attr(c, src, attrs[i], out) == -1)
			return -1;
		if (*out == NULL)
			continue;
		if (strcmp(attrs[i], "address") != 0)
			return 0;
		if (attr(c, src, "port", &port) == -1)
			return -1;
		if (port != NULL) {
			char buf[2 * INV_MAX_STR + 2];
			int k = snprintf(buf, sizeof(buf), "%s:%s", *out, port);

			if ((*out = inventory_strdup(c->inv, buf,
			    (size_t)k)) == NULL)
				return fail(c, src, "%s",
				    inventory_error(c->inv));
		}
		return 0;
	}
	const xmlNode *pci = child(src, "address");
	if (pci != NULL) {
		const char *d, *b, *s, *f;
		char buf[4 * INV_MAX_STR + 8];
		int k;

		if (attr(c, pci, "domain", &d) == -1 ||
		    attr(c, pci, "bus", &b) == -1 ||
		    attr(c, pci, "slot", &s) == -1 ||
		    attr(c, pci, "function", &f) == -1)
			return -1;
		if (b == NULL || s == NULL)
			return 0;
		k = snprintf(buf, sizeof(buf), "pci %s:%s:%s.%s",
		    d ? d : "0x0000", b, s, f ? f : "0x0");
		if ((*out = inventory_strdup(c->inv, buf, (size_t)k)) == NULL)
			return fail(c, pci, "%s", inventory_error(c->inv));
	}
	return 0;
}

static unsigned
state_from_word(const char *s)
{
	static const struct { const char *w; unsigned st; } m[] = {
		{ "running", VM_STATE_RUNNING }, { "blocked", VM_STATE_IDLE },
		{ "paused", VM_STATE_PAUSED }, { "shutdown", VM_STATE_SHUTDOWN },
		{ "shutoff", VM_STATE_SHUTOFF }, { "crashed", VM_STATE_CRASHED },
		{ "pmsuspended", VM_STATE_PMSUSPENDED },
	};

	for (size_t i = 0; s != NULL && i < sizeof(m) / sizeof(m[0]); i++)
		if (strcmp(s, m[i].w) == 0)
			return m[i].st;
	return VM_STATE_ACTIVE;
}

static int
parse_domain(struct ctx *c, const xmlNode *dom, unsigned state)
{
	const xmlNode *devices;
	const char *name, *uuid, *id, *type;
	unsigned views = VM_VIEW_CONFIG;
	uint16_t index = 0;

	if (text(c, child(dom, "name"), &name) == -1 ||
	    text(c, child(dom, "uuid"), &uuid) == -1 ||
	    attr(c, dom, "id", &id) == -1)
		return -1;
	if (name == NULL)
		return fail(c, dom, "<domain> has no <name>");
	/* libvirt writes an id only into the XML of a running domain. */
	if (id != NULL && strcmp(id, "-1") != 0) {
		views = VM_VIEW_LIVE;
		if (state == VM_STATE_DEFINED)
			state = VM_STATE_ACTIVE;
	}
	if ((devices = child(dom, "devices")) == NULL)
		return 0;
	for (const xmlNode *n = devices->children; n != NULL; n = n->next) {
		struct vm_iface v;
		const char *mac;

		if (!is_elem(n, "interface"))
			continue;
		memset(&v, 0, sizeof(v));
		if (attr(c, n, "type", &type) == -1 ||
		    attr(c, child(n, "mac"), "address", &mac) == -1 ||
		    iface_source(c, n, &v.source) == -1 ||
		    attr(c, child(n, "target"), "dev", &v.target) == -1 ||
		    attr(c, child(n, "alias"), "name", &v.alias) == -1)
			return -1;
		v.index = index;
		if (index < UINT16_MAX)
			index++;
		if (mac == NULL) {
			inventory_stats(c->inv)->ifaces_skipped++;
			continue;
		}
		if (inventory_parse_mac(mac, strlen(mac), v.mac) == -1)
			return bad_value(c, n, "interface mac address", mac);
		v.type = (uint8_t)inventory_if_type(type);
		v.state = (uint8_t)state;
		v.views = (uint8_t)views;
		v.domain = name;
		v.uuid = uuid;
		v.origin = c->origin;
		v.line = (uint32_t)xmlGetLineNo(n);
		if (inventory_add_vm(c->inv, &v) == -1)
			return fail(c, n, "%s", inventory_error(c->inv));
		c->added++;
	}
	return 0;
}

static int
prefix_from_mask(uint32_t mask)
{
	int p = 0;

	while (p < 32 && (mask & (0x80000000u >> p)))
		p++;
	return (p == 32 ? 0xffffffffu : ~(0xffffffffu >> p)) == mask ? p : -1;
}

static int
parse_ip(struct ctx *c, const xmlNode *ipn, struct vm_network *net)
{
	const char *addr, *mask, *prefix;
	uint32_t a, m;

	if (attr(c, ipn, "address", &addr) == -1 ||
	    attr(c, ipn, "netmask", &mask) == -1 ||
	    attr(c, ipn, "prefix", &prefix) == -1)
		return -1;
	if (addr == NULL || net->ip != 0)
		return 0;
	if (inventory_parse_ip(addr, strlen(addr), &a) == -1)
		return bad_value(c, ipn, "<ip address>", addr);
	net->ip = a;
	net->prefix = 32;
	if (mask != NULL) {
		int p;

		if (inventory_parse_ip(mask, strlen(mask), &m) == -1 ||
		    (p = prefix_from_mask(m)) < 0)
			return bad_value(c, ipn, "<ip netmask>", mask);
		net->prefix = (uint8_t)p;
	} else if (prefix != NULL) {
		char *end;
		long p = strtol(prefix, &end, 10);

		if (*end != '\0' || p < 0 || p > 32)
			return bad_value(c, ipn, "<ip prefix>", prefix);
		net->prefix = (uint8_t)p;
	}
	return 0;
}

static int
parse_hosts(struct ctx *c, const xmlNode *dhcp)
{
	for (const xmlNode *h = dhcp->children; h != NULL; h = h->next) {
		struct dhcp_binding b;
		const char *mac, *ip;

		if (!is_elem(h, "host"))
			continue;
		memset(&b, 0, sizeof(b));
		if (attr(c, h, "mac", &mac) == -1 ||
		    attr(c, h, "ip", &ip) == -1 ||
		    attr(c, h, "name", &b.name) == -1)
			return -1;
		if (mac == NULL) {	/* keyed by a DHCPv6 id */
			inventory_stats(c->inv)->bindings_skipped++;
			continue;
		}
		if (inventory_parse_mac(mac, strlen(mac), b.mac) == -1)
			return bad_value(c, h, "<host mac>", mac);
		if (ip != NULL && inventory_parse_ip(ip, strlen(ip), &b.ip) == -1)
			return bad_value(c, h, "<host ip>", ip);
		b.kind = BINDING_LIBVIRT;
		b.group = inventory_new_group(c->inv);
		b.origin = c->origin;
		b.line = (uint32_t)xmlGetLineNo(h);
		if (inventory_add_binding(c->inv, &b) == -1)
			return fail(c, h, "%s", inventory_error(c->inv));
		c->added++;
	}
	return 0;
}

static int
parse_network(struct ctx *c, const xmlNode *root)
{
	struct vm_network net;

	memset(&net, 0, sizeof(net));
	if (text(c, child(root, "name"), &net.name) == -1 ||
	    attr(c, child(root, "bridge"), "name", &net.bridge) == -1)
		return -1;
	if (net.name == NULL)
		return fail(c, root, "<network> has no <name>");
	for (const xmlNode *n = root->children; n != NULL; n = n->next) {
		const char *family;
		const xmlNode *dhcp;

		if (!is_elem(n, "ip"))
			continue;
		if (attr(c, n, "family", &family) == -1)
			return -1;
		/* IPv6 <host>s carry DUIDs, not MACs: nothing ARP can see. */
		if (family != NULL && strcmp(family, "ipv4") != 0)
			continue;
		if (parse_ip(c, n, &net) == -1)
			return -1;
		if ((dhcp = child(n, "dhcp")) != NULL &&
		    parse_hosts(c, dhcp) == -1)
			return -1;
	}
	net.origin = c->origin;
	net.line = (uint32_t)xmlGetLineNo(root);
	if (inventory_add_network(c->inv, &net) == -1)
		return fail(c, root, "%s", inventory_error(c->inv));
	c->added++;
	return 0;
}

/* A DTD is where entities are declared: libvirt writes none, we take none. */
static void
refuse_dtd(void *ctx, const xmlChar *name, const xmlChar *ext,
    const xmlChar *sys)
{
	xmlParserCtxtPtr p = ctx;

	(void)name, (void)ext, (void)sys;
	p->_private = p;
	xmlStopParser(p);
}

static int
parse_into(struct ctx *c, const char *buf, size_t len, unsigned accept,
    unsigned state)
{
	xmlParserCtxtPtr p;
	xmlDocPtr doc;
	const xmlNode *root;
	int rc = -1;

	if (len > DOMXML_MAX_SIZE)
		return fail(c, NULL, "larger than %u MiB; not libvirt XML",
		    DOMXML_MAX_SIZE >> 20);
	if ((p = xmlNewParserCtxt()) == NULL)
		return fail(c, NULL, "out of memory");
	p->sax->internalSubset = refuse_dtd;
	p->sax->externalSubset = NULL;
	doc = xmlCtxtReadMemory(p, buf, (int)len, NULL, NULL, XML_PARSE_NONET |
	    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES);
	if (p->_private != NULL) {
		fail(c, NULL, "has a <!DOCTYPE>; libvirt XML has none and "
		    "arpsweep reads no DTD");
		goto out;
	}
	if (doc == NULL || !p->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(p);
		char msg[160];

		if (e != NULL && e->message != NULL) {
			inventory_quote(msg, sizeof(msg), e->message,
			    strcspn(e->message, "\n"));
			snprintf(c->errbuf, c->errlen, "%s:%d: not well-formed "
			    "XML: %s", c->safe, e->line, msg);
		} else
			fail(c, NULL, "not well-formed XML");
		goto out;
	}
	if ((root = xmlDocGetRootElement(doc)) == NULL) {
		fail(c, NULL, "no root element");
		goto out;
	}
	if ((accept & DOMXML_DOMAIN) && is_elem(root, "domstatus")) {
		const char *st;
		const xmlNode *dom = child(root, "domain");

		if (attr(c, root, "state", &st) == -1)
			goto out;
		if (dom == NULL) {
			fail(c, root, "<domstatus> without a <domain>");
			goto out;
		}
		rc = parse_domain(c, dom, state != VM_STATE_DEFINED ? state :
		    state_from_word(st));
	} else if ((accept & DOMXML_DOMAIN) && is_elem(root, "domain"))
		rc = parse_domain(c, root, state);
	else if ((accept & DOMXML_NETWORK) && is_elem(root, "network"))
		rc = parse_network(c, root);
	else {
		char q[48];

		inventory_quote(q, sizeof(q), (const char *)root->name,
		    strlen((const char *)root->name));
		fail(c, root, "root element <%s> is not %s", q,
		    accept == DOMXML_NETWORK ? "a libvirt <network>" :
		    accept == DOMXML_DOMAIN ? "a libvirt <domain>" :
		    "a libvirt <domain> or <network>");
	}
out:
	xmlFreeDoc(doc);
	xmlFreeParserCtxt(p);
	return rc;
}

static void
ctx_init(struct ctx *c, struct inventory *scratch, const char *origin,
    char *errbuf, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->inv = scratch;
	c->errbuf = errbuf;
	c->errlen = errlen;
	inventory_quote(c->safe, sizeof(c->safe), origin, strlen(origin));
	c->origin = inventory_strdup(scratch, origin, strlen(origin));
}

int
domxml_parse(struct inventory *inv, const char *buf, size_t len,
    const char *origin, unsigned accept, unsigned state, char *errbuf,
    size_t errlen)
{
	struct inventory *scratch = inventory_new();
	struct ctx c;
	int rc = -1;

	if (scratch == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	ctx_init(&c, scratch, origin, errbuf, errlen);
	if (c.origin == NULL)
		fail(&c, NULL, "%s", inventory_error(scratch));
	else if (parse_into(&c, buf, len, accept, state) == 0) {
		if (inventory_merge(inv, scratch) == 0)
			rc = c.added;
		else
			fail(&c, NULL, "%s", inventory_error(inv));
	}
	inventory_free(scratch);
	return rc;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.xml of the directory, in name order, all or nothing. */
static int
load_dir(struct inventory *inv, int fd, const char *name, unsigned accept,
    char *errbuf, size_t errlen)
{
	char safe[256], **names = NULL;
	size_t n = 0, cap = 0;
	int dfd, total = 0, rc = -1;
	struct inventory *scratch = NULL;
	struct dirent *e;
	DIR *d;

	inventory_quote(safe, sizeof(safe), name, strlen(name));
	/* fdopendir() takes the fd it is given; the caller keeps theirs. */
	if ((dfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    (d = fdopendir(dfd)) == NULL) {
		snprintf(errbuf, errlen, "%s: %s", safe, strerror(errno));
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l < 5 || e->d_name[0] == '.' ||
		    strcmp(e->d_name + l - 4, ".xml") != 0)
			continue;
		if (n == cap) {
			char **p;

			if (cap >= INV_MAX_ENTRIES) {
				snprintf(errbuf, errlen, "%s: more than %u "
				    "files", safe, INV_MAX_ENTRIES);
				goto out;
			}
			cap = cap ? cap * 2 : 32;
			if ((p = realloc(names, cap * sizeof(*p))) == NULL)
				goto oom;
			names = p;
		}
		if ((names[n] = strdup(e->d_name)) == NULL)
			goto oom;
		n++;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	if ((scratch = inventory_new()) == NULL)
		goto oom;
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX];
		int ffd, r;

		if (snprintf(path, sizeof(path), "%s/%s", name, names[i]) >=
		    (int)sizeof(path)) {
			snprintf(errbuf, errlen, "%s: path too long", safe);
			goto out;
		}
		if ((ffd = openat(dirfd(d), names[i], O_RDONLY | O_CLOEXEC |
		    O_NONBLOCK)) == -1) {
			char q[256];

			inventory_quote(q, sizeof(q), path, strlen(path));
			snprintf(errbuf, errlen, "%s: %s", q, strerror(errno));
			goto out;
		}
		r = domxml_load(scratch, ffd, path, accept, errbuf, errlen);
		close(ffd);
		if (r < 0)
			goto out;
		total += r;
	}
	if (inventory_merge(inv, scratch) == -1) {
		snprintf(errbuf, errlen, "%s: %s", safe, inventory_error(inv));
		goto out;
	}
	rc = total;
	goto out;
oom:
	snprintf(errbuf, errlen, "%s: out of memory", safe);
out:
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	inventory_free(scratch);
	closedir(d);
	return rc;
}

int
domxml_load(struct inventory *inv, int fd, const char *name, unsigned accept,
    char *errbuf, size_t errlen)
{
	struct stat st;
	char *buf;
	size_t len;
	int rc;

	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode))
		return load_dir(inv, fd, name, accept, errbuf, errlen);
	if (inventory_read_fd(fd, name, DOMXML_MAX_SIZE, &buf, &len, errbuf,
	    errlen) == -1)
		return -1;
	rc = domxml_parse(inv, buf, len, name, accept, VM_STATE_DEFINED,
	    errbuf, errlen);
	free(buf);
	return rc;
}

int
domxml_load_path(struct inventory *inv, const char *path, unsigned accept,
    char *errbuf, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc;

	if (fd == -1) {
		char q[256];

		inventory_quote(q, sizeof(q), path, strlen(path));
		snprintf(errbuf, errlen, "%s: %s", q, strerror(errno));
		return -1;
	}
	rc = domxml_load(inv, fd, path, accept, errbuf, errlen);
	close(fd);
	return rc;
}
