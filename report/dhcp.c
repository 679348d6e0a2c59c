/* dhcp: ISC dhcpd.conf, dnsmasq (conf, hostsfile, leases), libvirt (network XML,
 * status), Kea DHCPv4: each parsed into a scratch inventory, merged on success. */
#include "dhcp.h"

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

#include <json.h>

#include "domxml.h"

/* Deeper than any real dhcpd.conf; keeps the recursion bounded. */
#define ISC_MAX_NESTING	64
/* Addresses in one fixed-address statement. */
#define ISC_MAX_ADDRS	64
#define JSON_MAX_DEPTH	32

/* One run over a top-level file and everything it includes. */
struct run {
	struct inventory	*inv;		/* scratch */
	char			*errbuf;
	size_t			errlen;
	int			added;
	bool			files;		/* includes may be opened */
	size_t			depth;
	struct { dev_t dev; ino_t ino; } chain[DHCP_MAX_INCLUDE_DEPTH + 1];
};

/* One file (or buffer) being parsed. */
struct file {
	struct run		*r;
	const char		*name;		/* as given: includes resolve against it */
	const char		*origin;	/* interned copy for records */
	char			safe[256];	/* name, printable */
	bool			show;		/* its content may be quoted */
	char			q[2][48];
	unsigned		qi;
};

static const char *const format_names[DHCP_NFORMATS] = {
	[DHCP_AUTO] = "auto", [DHCP_EMPTY] = "empty",
	[DHCP_ISC] = "ISC dhcpd.conf", [DHCP_DNSMASQ_CONF] = "dnsmasq.conf",
	[DHCP_DNSMASQ_HOSTS] = "dnsmasq hostsfile",
	[DHCP_DNSMASQ_LEASES] = "dnsmasq leases",
	[DHCP_LIBVIRT_XML] = "libvirt network XML",
	[DHCP_LIBVIRT_STATUS] = "libvirt dnsmasq status",
	[DHCP_KEA] = "Kea DHCPv4",
};

const char *
dhcp_format_name(int format)
{
	return format >= 0 && format < DHCP_NFORMATS ? format_names[format] :
	    "unknown";
}

static int
ferr(struct file *f, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
ferr(struct file *f, uint32_t line, const char *fmt, ...)
{
	char *e = f->r->errbuf;
	size_t n = f->r->errlen;
	va_list ap;
	int k;

	k = line ? snprintf(e, n, "%s:%u: ", f->safe, line) :
	    snprintf(e, n, "%s: ", f->safe);
	if (k < 0 || (size_t)k >= n)
		return -1;
	va_start(ap, fmt);
	vsnprintf(e + k, n - (size_t)k, fmt, ap);
	va_end(ap);
	return -1;
}

/* Content for a message: printable, short, and only from a file anyone may read. */
static const char *
quote(struct file *f, const char *s, size_t len)
{
	char *q = f->q[f->qi++ & 1];

	if (!f->show)
		return "(not shown: the file is not world-readable)";
	inventory_quote(q, sizeof(f->q[0]), s, len);
	return q;
}

static int
inv_fail(struct file *f, uint32_t line)
{
	return ferr(f, line, "%s", inventory_error(f->r->inv));
}

static const char *
sdup(struct file *f, const char *s, size_t len)
{
	return len ? inventory_strdup(f->r->inv, s, len) : NULL;
}

static bool
is_blank(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	    c == '\f';
}

static bool
is_digit(int c)
{
	return c >= '0' && c <= '9';
}

/* A DNS name, as dhcpd and dnsmasq take them (not resolved, just shaped). */
static bool
is_hostname(const char *s, size_t len)
{
	if (len == 0 || len > 253)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    is_digit(c) || c == '-' || c == '.' || c == '_'))
			return false;
	}
	return true;
}

static bool
all_digits_dots(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (!is_digit((unsigned char)s[i]) && s[i] != '.')
			return false;
	return len > 0;
}

static int parse_format(struct file *f, const char *buf, size_t len, int format);

/* ---- includes ---- */

static int
include(struct file *f, uint32_t line, const char *path, size_t plen,
    int format)
{
	struct run *r = f->r;
	char full[PATH_MAX], p[PATH_MAX];
	struct file sub;
	struct stat st;
	char *buf;
	size_t len;
	int fd, rc;

	if (!r->files)
		return ferr(f, line, "include '%s' is not followed when "
		    "parsing from memory", quote(f, path, plen));
	if (r->depth >= DHCP_MAX_INCLUDE_DEPTH)
		return ferr(f, line, "includes nested deeper than %d",
		    DHCP_MAX_INCLUDE_DEPTH);
	if (plen == 0 || plen >= sizeof(p) || memchr(path, '\0', plen))
		return ferr(f, line, "include of an empty or too long path");
	memcpy(p, path, plen);
	p[plen] = '\0';
	if (p[0] == '/')
		snprintf(full, sizeof(full), "%s", p);
	else {
		const char *slash = strrchr(f->name, '/');
		int dl = slash ? (int)(slash - f->name) : 1;

		if (snprintf(full, sizeof(full), "%.*s/%s", dl,
		    slash ? f->name : ".", p) >= (int)sizeof(full))
			return ferr(f, line, "include path too long");
	}
	if ((fd = open(full, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1)
		return ferr(f, line, "include '%s': %s", quote(f, p, plen),
		    strerror(errno));
	if (fstat(fd, &st) == -1) {
		close(fd);
		return ferr(f, line, "include '%s': %s", quote(f, p, plen),
		    strerror(errno));
	}
	for (size_t i = 0; i <= r->depth; i++)
		if (r->chain[i].dev == st.st_dev && r->chain[i].ino == st.st_ino) {
			close(fd);
			return ferr(f, line, "include '%s' includes itself "
			    "(a cycle)", quote(f, p, plen));
		}
	memset(&sub, 0, sizeof(sub));
	sub.r = r;
	sub.name = full;
	inventory_quote(sub.safe, sizeof(sub.safe), full, strlen(full));
	sub.show = f->show && (st.st_mode & S_IROTH);
	if ((sub.origin = sdup(&sub, full, strlen(full))) == NULL) {
		close(fd);
		return inv_fail(f, line);
	}
	rc = inventory_read_fd(fd, full, INV_MAX_FILE, &buf, &len, r->errbuf,
	    r->errlen);
	close(fd);
	if (rc == -1)
		return -1;
	r->depth++;
	r->chain[r->depth].dev = st.st_dev;
	r->chain[r->depth].ino = st.st_ino;
	rc = parse_format(&sub, buf, len, format);
	r->depth--;
	free(buf);
	return rc;
}

/* ---- ISC dhcpd.conf ---- */

enum { T_EOF, T_WORD, T_STRING, T_LBRACE, T_RBRACE, T_SEMI, T_COMMA };

struct tok {
	int		type;
	const char	*s;
	size_t		len;
	uint32_t	line;
};

struct lex {
	struct file	*f;
	const char	*p, *end;
	uint32_t	line;
};

static bool
is_word(int c)
{
	return !is_blank(c) && c != '{' && c != '}' && c != ';' && c != ',' &&
	    c != '"' && c != '#';
}

static int
lex_next(struct lex *lx, struct tok *t)
{
	for (;;) {
		while (lx->p < lx->end && is_blank((unsigned char)*lx->p)) {
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p < lx->end && *lx->p == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
			continue;
		}
		break;
	}
	t->line = lx->line;
	t->s = lx->p;
	t->len = 0;
	if (lx->p == lx->end) {
		t->type = T_EOF;
		return 0;
	}
	switch (*lx->p) {
	case '{': t->type = T_LBRACE; lx->p++; t->len = 1; return 0;
	case '}': t->type = T_RBRACE; lx->p++; t->len = 1; return 0;
	case ';': t->type = T_SEMI; lx->p++; t->len = 1; return 0;
	case ',': t->type = T_COMMA; lx->p++; t->len = 1; return 0;
	case '"':
		t->type = T_STRING;
		t->s = ++lx->p;
		while (lx->p < lx->end && *lx->p != '"') {
			if (*lx->p == '\\' && lx->p + 1 < lx->end)
				lx->p++;
			if (*lx->p == '\n')
				lx->line++;
			lx->p++;
		}
		if (lx->p == lx->end)
			return ferr(lx->f, t->line, "a quoted string is never "
			    "closed");
		t->len = (size_t)(lx->p - t->s);
		lx->p++;
		return 0;
	default:
		t->type = T_WORD;
		while (lx->p < lx->end && is_word((unsigned char)*lx->p))
			lx->p++;
		t->len = (size_t)(lx->p - t->s);
		return 0;
	}
}

static bool
tok_is(const struct tok *t, const char *w)
{
	return t->type == T_WORD && t->len == strlen(w) &&
	    memcmp(t->s, w, t->len) == 0;
}

static int isc_block(struct lex *lx, unsigned depth, uint32_t open_line);

/* The rest of a statement we do not read: up to ';' or through its block. */
static int
isc_skip(struct lex *lx, unsigned depth, uint32_t start)
{
	struct tok t;

	for (;;) {
		if (lex_next(lx, &t) == -1)
			return -1;
		switch (t.type) {
		case T_SEMI:
			return 0;
		case T_LBRACE:
			return isc_block(lx, depth + 1, t.line);
		case T_RBRACE:
			return ferr(lx->f, t.line, "missing ';' before '}' (the "
			    "statement starts on line %u)", start);
		case T_EOF:
			return ferr(lx->f, start, "statement never ends: missing "
			    "';'");
		}
	}
}

static int
isc_host(struct lex *lx, unsigned depth, uint32_t line)
{
	struct file *f = lx->f;
	struct tok name, t, addrs[ISC_MAX_ADDRS];
	size_t naddrs = 0;
	uint8_t mac[6];
	bool have_mac = false;
	struct dhcp_binding b;

	if (lex_next(lx, &name) == -1)
		return -1;
	if (name.type != T_WORD && name.type != T_STRING)
		return ferr(f, line, "host without a name");
	if (lex_next(lx, &t) == -1)
		return -1;
	if (t.type != T_LBRACE)
		return ferr(f, t.line, "expected '{' after host %s",
		    quote(f, name.s, name.len));
	for (;;) {
		uint32_t sl;

		if (lex_next(lx, &t) == -1)
			return -1;
		sl = t.line;
		if (t.type == T_RBRACE)
			break;
		if (t.type == T_EOF)
			return ferr(f, line, "host %s: '{' is never closed",
			    quote(f, name.s, name.len));
		if (t.type == T_SEMI)
			continue;
		if (t.type == T_LBRACE) {
			if (depth + 1 >= ISC_MAX_NESTING)
				return ferr(f, t.line, "blocks nested deeper "
				    "than %d", ISC_MAX_NESTING);
			if (isc_block(lx, depth + 1, t.line) == -1)
				return -1;
		} else if (tok_is(&t, "hardware")) {
			struct tok type, m;

			if (lex_next(lx, &type) == -1 || lex_next(lx, &m) == -1)
				return -1;
			if (type.type != T_WORD || m.type != T_WORD)
				return ferr(f, sl, "expected 'hardware TYPE "
				    "ADDRESS;'");
			if (tok_is(&type, "ethernet")) {
				if (inventory_parse_mac(m.s, m.len, mac) == -1)
					return ferr(f, sl, "hardware ethernet "
					    "'%s' is not a MAC address",
					    quote(f, m.s, m.len));
				have_mac = true;
			}
			if (lex_next(lx, &t) == -1)
				return -1;
			if (t.type != T_SEMI)
				return ferr(f, sl, "missing ';' after "
				    "hardware");
		} else if (tok_is(&t, "fixed-address")) {
			naddrs = 0;
			for (;;) {
				if (lex_next(lx, &t) == -1)
					return -1;
				if (t.type != T_WORD && t.type != T_STRING)
					return ferr(f, sl, "fixed-address: "
					    "expected an address");
				if (naddrs == ISC_MAX_ADDRS)
					return ferr(f, sl, "more than %d "
					    "addresses in one fixed-address",
					    ISC_MAX_ADDRS);
				uint32_t ip;

				if (inventory_parse_ip(t.s, t.len, &ip) == -1 &&
				    (all_digits_dots(t.s, t.len) ||
				    !is_hostname(t.s, t.len)))
					return ferr(f, t.line, "fixed-address "
					    "'%s' is neither an IPv4 address "
					    "nor a host name",
					    quote(f, t.s, t.len));
				addrs[naddrs++] = t;
				if (lex_next(lx, &t) == -1)
					return -1;
				if (t.type == T_SEMI)
					break;
				if (t.type != T_COMMA)
					return ferr(f, sl, "fixed-address: "
					    "expected ',' or ';'");
			}
		} else if (isc_skip(lx, depth + 1, sl) == -1)
			return -1;
	}
	if (!have_mac) {	/* keyed by a client identifier, or not Ethernet */
		inventory_stats(f->r->inv)->bindings_skipped++;
		return 0;
	}
	memset(&b, 0, sizeof(b));
	memcpy(b.mac, mac, 6);
	b.kind = BINDING_DHCPD;
	b.group = inventory_new_group(f->r->inv);
	b.origin = f->origin;
	b.line = line;
	if ((b.name = sdup(f, name.s, name.len)) == NULL)
		return inv_fail(f, line);
	for (size_t i = 0; i < (naddrs ? naddrs : 1); i++) {
		b.ip = 0;
		b.addr_name = NULL;
		if (naddrs) {
			const struct tok *a = &addrs[i];

			/* Checked as the statement was read. */
			if (inventory_parse_ip(a->s, a->len, &b.ip) == -1 &&
			    (b.addr_name = sdup(f, a->s, a->len)) == NULL)
				return inv_fail(f, a->line);
		}
		if (inventory_add_binding(f->r->inv, &b) == -1)
			return inv_fail(f, line);
		f->r->added++;
	}
	return 0;
}

static int
isc_include(struct lex *lx, uint32_t line)
{
	struct tok path, t;
	char p[PATH_MAX];
	size_t n = 0;

	if (lex_next(lx, &path) == -1)
		return -1;
	if (path.type != T_STRING)
		return ferr(lx->f, line, "include: expected a quoted file name");
	if (lex_next(lx, &t) == -1)
		return -1;
	if (t.type != T_SEMI)
		return ferr(lx->f, line, "missing ';' after include");
	for (size_t i = 0; i < path.len && n + 1 < sizeof(p); i++) {
		if (path.s[i] == '\\' && i + 1 < path.len)
			i++;
		p[n++] = path.s[i];
	}
	return include(lx->f, line, p, n, DHCP_ISC);
}

static int
isc_block(struct lex *lx, unsigned depth, uint32_t open_line)
{
	struct tok t;

	if (depth >= ISC_MAX_NESTING)
		return ferr(lx->f, open_line, "blocks nested deeper than %d",
		    ISC_MAX_NESTING);
	for (;;) {
		if (lex_next(lx, &t) == -1)
			return -1;
		switch (t.type) {
		case T_EOF:
			if (depth > 0)
				return ferr(lx->f, open_line, "'{' is never "
				    "closed");
			return 0;
		case T_RBRACE:
			if (depth == 0)
				return ferr(lx->f, t.line, "'}' without a "
				    "matching '{'");
			return 0;
		case T_SEMI:
			continue;
		case T_COMMA:
			return ferr(lx->f, t.line, "unexpected ','");
		case T_LBRACE:
			if (isc_block(lx, depth + 1, t.line) == -1)
				return -1;
			continue;
		}
		if (tok_is(&t, "host")) {
			if (isc_host(lx, depth, t.line) == -1)
				return -1;
		} else if (tok_is(&t, "include")) {
			if (isc_include(lx, t.line) == -1)
				return -1;
		} else if (isc_skip(lx, depth, t.line) == -1)
			return -1;
	}
}

static int
parse_isc(struct file *f, const char *buf, size_t len)
{
	struct lex lx = { f, buf, buf + len, 1 };

	return isc_block(&lx, 0, 1);
}

/* ---- dnsmasq ---- */

/* The next line of buf: [*s, *e) without its newline and trailing blanks. */
static bool
next_line(const char **p, const char *end, const char **s, const char **e)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t)(end - *p));
	*s = *p;
	*e = nl ? nl : end;
	*p = nl ? nl + 1 : end;
	while (*s < *e && is_blank((unsigned char)**s))
		(*s)++;
	while (*e > *s && is_blank((unsigned char)(*e)[-1]))
		(*e)--;
	return true;
}

static bool
has_prefix(const char *s, size_t len, const char *pre)
{
	size_t n = strlen(pre);

	return len >= n && memcmp(s, pre, n) == 0;
}

static bool
is_lease_time(const char *s, size_t len)
{
	size_t i = 0;

	if (len == 8 && memcmp(s, "infinite", 8) == 0)
		return true;
	while (i < len && is_digit((unsigned char)s[i]))
		i++;
	if (i == 0)
		return false;
	return i == len || (i + 1 == len && strchr("smhdw", s[i]) != NULL);
}

/*
 * One dhcp-host value: [hwaddr...][,id:ID|*][,set:TAG][,tag:TAG][,ADDR]
 * [,NAME][,LEASETIME][,ignore]. Fields are told apart by their shape,
 * as dnsmasq does.
 */
static int
dnsmasq_host(struct file *f, uint32_t line, const char *v, size_t len)
{
	uint8_t macs[16][6];
	size_t nmacs = 0;
	bool skipped = false, have_ip = false;
	struct dhcp_binding b;
	const char *p = v, *end = v + len;

	memset(&b, 0, sizeof(b));
	if (len == 0)
		return ferr(f, line, "dhcp-host with nothing after '='");
	while (p <= end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *fe = c ? c : end, *fs = p;

		p = fe + 1;
		while (fs < fe && is_blank((unsigned char)*fs))
			fs++;
		while (fe > fs && is_blank((unsigned char)fe[-1]))
			fe--;
		size_t fl = (size_t)(fe - fs);

		if (fl == 0)
			continue;
		if (has_prefix(fs, fl, "id:")) {
			skipped = true;	/* a client-id binding: no MAC to see */
			continue;
		}
		if (has_prefix(fs, fl, "set:") || has_prefix(fs, fl, "tag:") ||
		    has_prefix(fs, fl, "net:") || fs[0] == '[')
			continue;	/* tags; IPv6 addresses */
		if (fl == 6 && memcmp(fs, "ignore", 6) == 0) {
			b.ignore = true;
			continue;
		}
		if (memchr(fs, ':', fl) != NULL) {
			const char *m = fs;
			size_t ml = fl;

			/* A hardware type prefix: "1-" or "01-" is Ethernet. */
			if (fl > 3 && (fs[1] == '-' || fs[2] == '-')) {
				size_t pl = fs[1] == '-' ? 2 : 3;
				bool eth = (pl == 2 && fs[0] == '1') ||
				    (pl == 3 && fs[0] == '0' && fs[1] == '1');

				if (!eth) {
					skipped = true;
					continue;
				}
				m += pl;
				ml -= pl;
			}
			if (memchr(m, '*', ml) != NULL) {
				skipped = true;	/* a wildcard: not one MAC */
				continue;
			}
			if (nmacs == 16)
				return ferr(f, line, "more than 16 MAC "
				    "addresses in one dhcp-host");
			if (inventory_parse_mac(m, ml, macs[nmacs]) == -1)
				return ferr(f, line, "'%s' is not a MAC "
				    "address", quote(f, fs, fl));
			nmacs++;
			continue;
		}
		if (inventory_parse_ip(fs, fl, &b.ip) == 0) {
			if (have_ip)
				return ferr(f, line, "two IPv4 addresses in "
				    "one dhcp-host");
			have_ip = true;
			continue;
		}
		if (is_lease_time(fs, fl) || (fl == 7 &&
		    memcmp(fs, "deleted", 7) == 0))
			continue;
		if (all_digits_dots(fs, fl) || !is_hostname(fs, fl))
			return ferr(f, line, "'%s' is not a MAC, an IPv4 "
			    "address, a host name or a lease time",
			    quote(f, fs, fl));
		if (b.name != NULL)
			return ferr(f, line, "two host names in one dhcp-host");
		if ((b.name = sdup(f, fs, fl)) == NULL)
			return inv_fail(f, line);
	}
	if (nmacs == 0) {
		inventory_stats(f->r->inv)->bindings_skipped++;
		return 0;
	}
	(void)skipped;
	b.kind = BINDING_DNSMASQ;
	b.group = inventory_new_group(f->r->inv);
	b.origin = f->origin;
	b.line = line;
	for (size_t i = 0; i < nmacs; i++) {
		memcpy(b.mac, macs[i], 6);
		if (inventory_add_binding(f->r->inv, &b) == -1)
			return inv_fail(f, line);
		f->r->added++;
	}
	return 0;
}

static int
parse_dnsmasq(struct file *f, const char *buf, size_t len, bool conf)
{
	const char *p = buf, *end = buf + len, *s, *e;
	uint32_t line = 0;

	while (next_line(&p, end, &s, &e)) {
		line++;
		if (s == e || *s == '#')
			continue;
		if (!conf) {
			if (dnsmasq_host(f, line, s, (size_t)(e - s)) == -1)
				return -1;
			continue;
		}
		const char *eq = memchr(s, '=', (size_t)(e - s));
		const char *ke = eq ? eq : e, *v = eq ? eq + 1 : e;

		while (ke > s && is_blank((unsigned char)ke[-1]))
			ke--;
		while (v < e && is_blank((unsigned char)*v))
			v++;
		for (const char *k = s; k < ke; k++)
			if (!((*k >= 'a' && *k <= 'z') || is_digit(*k) ||
			    *k == '-'))
				return ferr(f, line, "'%s' is not a dnsmasq "
				    "option", quote(f, s, (size_t)(e - s)));
		size_t kl = (size_t)(ke - s), vl = (size_t)(e - v);

		if (kl == 9 && memcmp(s, "dhcp-host", 9) == 0) {
			if (dnsmasq_host(f, line, v, vl) == -1)
				return -1;
		} else if (kl == 9 && memcmp(s, "conf-file", 9) == 0) {
			if (include(f, line, v, vl, DHCP_DNSMASQ_CONF) == -1)
				return -1;
		} else if (kl == 14 && memcmp(s, "dhcp-hostsfile", 14) == 0) {
			if (include(f, line, v, vl, DHCP_DNSMASQ_HOSTS) == -1)
				return -1;
		}
	}
	return 0;
}

/* Split s..e at blanks into at most max fields; the count. */
static size_t
split(const char *s, const char *e, const char **fs, size_t *fl, size_t max)
{
	size_t n = 0;

	while (s < e && n < max) {
		while (s < e && is_blank((unsigned char)*s))
			s++;
		if (s == e)
			break;
		fs[n] = s;
		while (s < e && !is_blank((unsigned char)*s))
			s++;
		fl[n] = (size_t)(s - fs[n]);
		n++;
	}
	return n;
}

static int
parse_leases(struct file *f, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *s, *e, *fs[6];
	size_t fl[6];
	uint32_t line = 0;

	while (next_line(&p, end, &s, &e)) {
		struct dhcp_lease l;
		size_t n;
		char *x;

		line++;
		if (s == e)
			continue;
		n = split(s, e, fs, fl, 6);
		if (n >= 2 && fl[0] == 4 && memcmp(fs[0], "duid", 4) == 0)
			continue;	/* the server's DHCPv6 DUID */
		if (n < 4 || n > 5)
			return ferr(f, line, "expected 'EXPIRY MAC IP HOSTNAME "
			    "CLIENTID'");
		memset(&l, 0, sizeof(l));
		{
			char num[24];

			if (fl[0] >= sizeof(num))
				return ferr(f, line, "expiry time '%s' is not a "
				    "number", quote(f, fs[0], fl[0]));
			memcpy(num, fs[0], fl[0]);
			num[fl[0]] = '\0';
			errno = 0;
			l.expiry = strtoll(num, &x, 10);
			if (!is_digit((unsigned char)num[0]) || *x != '\0' ||
			    errno != 0)
				return ferr(f, line, "expiry time '%s' is not a "
				    "number", quote(f, fs[0], fl[0]));
		}
		/* DHCPv6 leases (IAID, an IPv6 address) and other hardware. */
		if (memchr(fs[2], ':', fl[2]) != NULL ||
		    inventory_parse_mac(fs[1], fl[1], l.mac) == -1) {
			if (memchr(fs[2], ':', fl[2]) == NULL &&
			    memchr(fs[1], ':', fl[1]) == NULL)
				return ferr(f, line, "'%s' is not a MAC "
				    "address", quote(f, fs[1], fl[1]));
			inventory_stats(f->r->inv)->leases_skipped++;
			continue;
		}
		if (inventory_parse_ip(fs[2], fl[2], &l.ip) == -1)
			return ferr(f, line, "'%s' is not an IPv4 address",
			    quote(f, fs[2], fl[2]));
		if (!(fl[3] == 1 && fs[3][0] == '*') &&
		    (l.hostname = sdup(f, fs[3], fl[3])) == NULL)
			return inv_fail(f, line);
		if (n == 5 && !(fl[4] == 1 && fs[4][0] == '*') &&
		    (l.client_id = sdup(f, fs[4], fl[4])) == NULL)
			return inv_fail(f, line);
		l.origin = f->origin;
		l.line = line;
		if (inventory_add_lease(f->r->inv, &l) == -1)
			return inv_fail(f, line);
		f->r->added++;
	}
	return 0;
}

/* ---- JSON: Kea and libvirt's status file ---- */

struct jpath {
	const char	*key;	/* NULL: an array index */
	size_t		idx;
};

struct jwalk {
	struct file	*f;
	struct jpath	path[JSON_MAX_DEPTH + 2];
	size_t		depth;
	uint32_t	*lines;		/* line of each '{' and '[', in order */
	size_t		nlines, counter;
	bool		lines_ok;	/* the tree's containers match them */
	int		(*visit)(struct jwalk *, json_object *, uint32_t);
};

/*
 * Kea takes //, # and / * * / comments: blank them out (newlines kept, so
 * json-c's offsets still give lines) outside strings, note where every
 * container opens, and count values before json-c builds a tree of them.
 */
static int
json_prepare(struct file *f, const char *buf, size_t len, bool comments,
    char **out, struct jwalk *w)
{
	char *o = malloc(len + 1);
	size_t values = 1, cap = 0;
	uint32_t line = 1;
	bool str = false;

	if (o == NULL)
		return ferr(f, 0, "out of memory");
	memcpy(o, buf, len);
	o[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		char c = o[i];

		if (c == '\n')
			line++;
		if (str) {
			if (c == '\\' && i + 1 < len && o[i + 1] != '\n')
				i++;
			else if (c == '"')
				str = false;
			continue;
		}
		if (c == '"') {
			str = true;
		} else if (comments && (c == '#' || (c == '/' && i + 1 < len &&
		    o[i + 1] == '/'))) {
			while (i < len && o[i] != '\n')
				o[i++] = ' ';
			i--;
		} else if (comments && c == '/' && i + 1 < len &&
		    o[i + 1] == '*') {
			uint32_t start = line;

			o[i++] = ' ';
			o[i] = ' ';
			for (;;) {
				if (++i >= len) {
					free(o);
					return ferr(f, start, "a /* comment "
					    "is never closed");
				}
				if (o[i] == '*' && i + 1 < len &&
				    o[i + 1] == '/') {
					o[i++] = ' ';
					o[i] = ' ';
					break;
				}
				if (o[i] == '\n')
					line++;
				else
					o[i] = ' ';
			}
		} else if (c == '{' || c == '[' || c == ',' || c == ':') {
			if (++values > DHCP_MAX_JSON_VALUES) {
				free(o);
				return ferr(f, line, "more than %u JSON values",
				    DHCP_MAX_JSON_VALUES);
			}
			if (c == '{' || c == '[') {
				if (w->nlines == cap) {
					uint32_t *l;

					cap = cap ? cap * 2 : 256;
					l = realloc(w->lines, cap * sizeof(*l));
					if (l == NULL) {
						free(o);
						return ferr(f, 0, "out of "
						    "memory");
					}
					w->lines = l;
				}
				w->lines[w->nlines++] = line;
			}
		}
	}
	*out = o;
	return 0;
}

static size_t
count_containers(json_object *o)
{
	size_t n = 0;

	if (json_object_is_type(o, json_type_object)) {
		n = 1;
		json_object_object_foreach(o, k, v) {
			(void)k;
			n += count_containers(v);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		n = 1;
		for (size_t i = 0; i < json_object_array_length(o); i++)
			n += count_containers(json_object_array_get_idx(o, i));
	}
	return n;
}

/* "Dhcp4.subnet4[2].reservations[0]" */
static const char *
path_str(struct jwalk *w, char *buf, size_t len)
{
	size_t k = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < w->depth && k + 1 < len; i++) {
		int r;

		if (w->path[i].key != NULL) {
			char q[48];

			inventory_quote(q, sizeof(q), w->path[i].key,
			    strlen(w->path[i].key));
			r = snprintf(buf + k, len - k, "%s%s", k ? "." : "", q);
		} else
			r = snprintf(buf + k, len - k, "[%zu]", w->path[i].idx);
		if (r < 0)
			break;
		k += (size_t)r;
	}
	return k ? buf : "the top level";
}

static int
jerr(struct jwalk *w, uint32_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
jerr(struct jwalk *w, uint32_t line, const char *fmt, ...)
{
	char path[160], msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ferr(w->f, w->lines_ok ? line : 0, "%s: %s",
	    path_str(w, path, sizeof(path)), msg);
}

/* Does the path match pat ("#" any index, else a key), all of it? */
static bool
path_is(const struct jwalk *w, const char *const *pat)
{
	size_t i = 0;

	for (; pat[i] != NULL; i++) {
		if (i >= w->depth)
			return false;
		if (strcmp(pat[i], "#") == 0) {
			if (w->path[i].key != NULL)
				return false;
		} else if (w->path[i].key == NULL ||
		    strcmp(w->path[i].key, pat[i]) != 0)
			return false;
	}
	return i == w->depth;
}

static int
walk(struct jwalk *w, json_object *o)
{
	bool obj = json_object_is_type(o, json_type_object);
	bool arr = json_object_is_type(o, json_type_array);
	uint32_t line;

	if (!obj && !arr)
		return 0;
	line = w->counter < w->nlines ? w->lines[w->counter] : 0;
	w->counter++;
	if (w->visit(w, o, line) == -1)
		return -1;
	if (w->depth >= JSON_MAX_DEPTH + 1)
		return 0;
	if (obj) {
		json_object_object_foreach(o, k, v) {
			w->path[w->depth].key = k;
			w->depth++;
			int rc = walk(w, v);

			w->depth--;
			if (rc == -1)
				return -1;
		}
	} else {
		for (size_t i = 0; i < json_object_array_length(o); i++) {
			w->path[w->depth].key = NULL;
			w->path[w->depth].idx = i;
			w->depth++;
			int rc = walk(w, json_object_array_get_idx(o, i));

			w->depth--;
			if (rc == -1)
				return -1;
		}
	}
	return 0;
}

/* A string member, or NULL; -1 if it is there but not a string. */
static int
jstring(struct jwalk *w, json_object *o, const char *key, uint32_t line,
    const char **s, size_t *len)
{
	json_object *v;

	*s = NULL;
	*len = 0;
	if (!json_object_object_get_ex(o, key, &v) ||
	    json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return jerr(w, line, "\"%s\" is not a string", key);
	*s = json_object_get_string(v);
	*len = (size_t)json_object_get_string_len(v);
	return 0;
}

static int
jarray_of_objects(struct jwalk *w, json_object *o, const char *key,
    uint32_t line)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return jerr(w, line, "\"%s\" is not a list", key);
	for (size_t i = 0; i < json_object_array_length(v); i++)
		if (!json_object_is_type(json_object_array_get_idx(v, i),
		    json_type_object))
			return jerr(w, line, "\"%s\"[%zu] is not an object",
			    key, i);
	return 0;
}

static int
kea_reservation(struct jwalk *w, json_object *o, uint32_t line)
{
	static const char *const ids[] = { "client-id", "duid", "circuit-id",
	    "flex-id" };
	struct file *f = w->f;
	struct dhcp_binding b;
	const char *hw, *ip, *name;
	size_t hl, il, nl;

	if (jstring(w, o, "hw-address", line, &hw, &hl) == -1 ||
	    jstring(w, o, "ip-address", line, &ip, &il) == -1 ||
	    jstring(w, o, "hostname", line, &name, &nl) == -1)
		return -1;
	if (hw == NULL) {
		for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
			if (json_object_object_get_ex(o, ids[i], NULL)) {
				inventory_stats(f->r->inv)->bindings_skipped++;
				return 0;
			}
		return jerr(w, line, "a reservation without hw-address, "
		    "client-id, duid, circuit-id or flex-id");
	}
	memset(&b, 0, sizeof(b));
	if (inventory_parse_mac(hw, hl, b.mac) == -1)
		return jerr(w, line, "hw-address '%s' is not a MAC address",
		    quote(f, hw, hl));
	if (ip != NULL && inventory_parse_ip(ip, il, &b.ip) == -1)
		return jerr(w, line, "ip-address '%s' is not an IPv4 address",
		    quote(f, ip, il));
	if (name != NULL && (b.name = sdup(f, name, nl)) == NULL && nl)
		return inv_fail(f, line);
	b.kind = BINDING_KEA;
	b.group = inventory_new_group(f->r->inv);
	b.origin = f->origin;
	b.line = w->lines_ok ? line : 0;
	if (inventory_add_binding(f->r->inv, &b) == -1)
		return inv_fail(f, line);
	f->r->added++;
	return 0;
}

static int
kea_visit(struct jwalk *w, json_object *o, uint32_t line)
{
	static const char *const root[] = { NULL };
	static const char *const dhcp4[] = { "Dhcp4", NULL };
	static const char *const net[] = { "Dhcp4", "shared-networks", "#",
	    NULL };
	static const char *const sub[] = { "Dhcp4", "subnet4", "#", NULL };
	static const char *const netsub[] = { "Dhcp4", "shared-networks", "#",
	    "subnet4", "#", NULL };
	static const char *const res[][8] = {
		{ "Dhcp4", "reservations", "#", NULL },
		{ "Dhcp4", "subnet4", "#", "reservations", "#", NULL },
		{ "Dhcp4", "shared-networks", "#", "subnet4", "#",
		  "reservations", "#", NULL },
	};
	json_object *d;

	if (path_is(w, root)) {
		if (!json_object_is_type(o, json_type_object) ||
		    !json_object_object_get_ex(o, "Dhcp4", &d) ||
		    !json_object_is_type(d, json_type_object))
			return ferr(w->f, 0, "JSON without a \"Dhcp4\" object: "
			    "not a Kea DHCPv4 configuration");
		return 0;
	}
	if (path_is(w, dhcp4))
		return jarray_of_objects(w, o, "reservations", line) == -1 ||
		    jarray_of_objects(w, o, "subnet4", line) == -1 ||
		    jarray_of_objects(w, o, "shared-networks", line) == -1 ?
		    -1 : 0;
	if (path_is(w, net))
		return jarray_of_objects(w, o, "subnet4", line);
	if (path_is(w, sub) || path_is(w, netsub))
		return jarray_of_objects(w, o, "reservations", line);
	for (size_t i = 0; i < 3; i++)
		if (path_is(w, res[i]))
			return kea_reservation(w, o, line);
	return 0;
}

static int
status_visit(struct jwalk *w, json_object *o, uint32_t line)
{
	static const char *const root[] = { NULL };
	static const char *const entry[] = { "#", NULL };
	struct file *f = w->f;
	const char *mac, *ip, *host, *cid;
	size_t ml, il, hl, cl;
	struct dhcp_lease l;
	json_object *exp;

	if (path_is(w, root)) {
		if (!json_object_is_type(o, json_type_array))
			return ferr(f, 0, "not a JSON list: not a libvirt "
			    "status file");
		for (size_t i = 0; i < json_object_array_length(o); i++)
			if (!json_object_is_type(json_object_array_get_idx(o,
			    i), json_type_object))
				return jerr(w, line, "entry %zu is not an "
				    "object", i);
		return 0;
	}
	if (!path_is(w, entry))
		return 0;
	if (jstring(w, o, "mac-address", line, &mac, &ml) == -1 ||
	    jstring(w, o, "ip-address", line, &ip, &il) == -1 ||
	    jstring(w, o, "hostname", line, &host, &hl) == -1 ||
	    jstring(w, o, "client-id", line, &cid, &cl) == -1)
		return -1;
	memset(&l, 0, sizeof(l));
	if (ip == NULL || memchr(ip, ':', il) != NULL || mac == NULL) {
		inventory_stats(f->r->inv)->leases_skipped++;	/* DHCPv6 */
		return 0;
	}
	if (inventory_parse_mac(mac, ml, l.mac) == -1)
		return jerr(w, line, "mac-address '%s' is not a MAC address",
		    quote(f, mac, ml));
	if (inventory_parse_ip(ip, il, &l.ip) == -1)
		return jerr(w, line, "ip-address '%s' is not an IPv4 address",
		    quote(f, ip, il));
	if (json_object_object_get_ex(o, "expiry-time", &exp)) {
		if (!json_object_is_type(exp, json_type_int))
			return jerr(w, line, "expiry-time is not a number");
		l.expiry = json_object_get_int64(exp);
	}
	if ((host != NULL && hl && (l.hostname = sdup(f, host, hl)) == NULL) ||
	    (cid != NULL && cl && (l.client_id = sdup(f, cid, cl)) == NULL))
		return inv_fail(f, line);
	l.origin = f->origin;
	l.line = w->lines_ok ? line : 0;
	if (inventory_add_lease(f->r->inv, &l) == -1)
		return inv_fail(f, line);
	f->r->added++;
	return 0;
}

static int
parse_json(struct file *f, const char *buf, size_t len, int format)
{
	struct jwalk w;
	struct json_tokener *tok;
	json_object *root = NULL;
	char *text = NULL;
	int rc = -1;

	memset(&w, 0, sizeof(w));
	w.f = f;
	w.visit = format == DHCP_KEA ? kea_visit : status_visit;
	if (len > INT_MAX / 2)
		return ferr(f, 0, "too large for JSON");
	if (json_prepare(f, buf, len, format == DHCP_KEA, &text, &w) == -1)
		goto out;
	if ((tok = json_tokener_new_ex(JSON_MAX_DEPTH)) == NULL) {
		ferr(f, 0, "out of memory");
		goto out;
	}
	root = json_tokener_parse_ex(tok, text, (int)len);
	enum json_tokener_error je = json_tokener_get_error(tok);
	size_t end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (root == NULL || je != json_tokener_success) {
		uint32_t line = 1;

		for (size_t i = 0; i < end && i < len; i++)
			line += text[i] == '\n';
		ferr(f, line, "not valid JSON: %s", je == json_tokener_continue ?
		    "it ends too early" : json_tokener_error_desc(je));
		goto out;
	}
	for (size_t i = end; i < len; i++)
		if (!is_blank((unsigned char)text[i])) {
			uint32_t line = 1;

			for (size_t k = 0; k < i; k++)
				line += text[k] == '\n';
			ferr(f, line, "not valid JSON: more after the end");
			goto out;
		}
	w.lines_ok = count_containers(root) == w.nlines;
	rc = walk(&w, root);
out:
	json_object_put(root);
	free(w.lines);
	free(text);
	return rc;
}

/* ---- detection and dispatch ---- */

/* The first line that is neither blank nor a '#' comment. */
static bool
significant(const char **p, const char *end, const char **s, const char **e,
    uint32_t *line)
{
	while (next_line(p, end, s, e)) {
		(*line)++;
		if (*s < *e && **s != '#')
			return true;
	}
	return false;
}

/* Does any line end a statement the ISC way (';', '{' or '}')? */
static bool
looks_isc(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *s, *e;

	while (next_line(&p, end, &s, &e)) {
		const char *h = s;
		bool str = false;

		for (; h < e; h++) {
			if (*h == '"')
				str = !str;
			else if (*h == '#' && !str)
				break;
		}
		while (h > s && is_blank((unsigned char)h[-1]))
			h--;
		if (h > s && (h[-1] == ';' || h[-1] == '{' || h[-1] == '}'))
			return true;
	}
	return false;
}

int
dhcp_detect(const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *s, *e;
	uint32_t line = 0;
	size_t n;

	if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	if (!significant(&p, end, &s, &e, &line))
		return DHCP_EMPTY;
	n = (size_t)(e - s);
	if (*s == '<')
		return DHCP_LIBVIRT_XML;
	if (*s == '[')
		return DHCP_LIBVIRT_STATUS;
	if (*s == '{' || has_prefix(s, n, "//") || has_prefix(s, n, "/*"))
		return DHCP_KEA;
	if (looks_isc(buf, len))
		return DHCP_ISC;
	/* "EXPIRY MAC ..." or the "duid ..." line of a lease file */
	{
		size_t i = 0;

		while (i < n && is_digit((unsigned char)s[i]))
			i++;
		if ((i > 0 && i < n && is_blank((unsigned char)s[i])) ||
		    has_prefix(s, n, "duid "))
			return DHCP_DNSMASQ_LEASES;
	}
	/* "option" or "option=value" */
	{
		size_t i = 0, k;

		while (i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
		    is_digit((unsigned char)s[i]) || (i > 0 && s[i] == '-')))
			i++;
		for (k = i; k < n && is_blank((unsigned char)s[k]); k++)
			;
		if (i > 0 && !is_digit((unsigned char)s[0]) &&
		    (i == n || s[k] == '='))
			return DHCP_DNSMASQ_CONF;
	}
	/* A hostsfile line starts with a MAC, an id:, a tag or a type. */
	{
		const char *c = memchr(s, ',', n);
		size_t fl = c ? (size_t)(c - s) : n;
		uint8_t mac[6];

		if (has_prefix(s, fl, "id:") || has_prefix(s, fl, "set:") ||
		    has_prefix(s, fl, "tag:") || has_prefix(s, fl, "net:") ||
		    (memchr(s, ':', fl) && (inventory_parse_mac(s, fl, mac) == 0 ||
		    memchr(s, '*', fl) || (fl > 3 && (s[1] == '-' ||
		    s[2] == '-')))))
			return DHCP_DNSMASQ_HOSTS;
	}
	return DHCP_UNKNOWN;
}

static int
parse_format(struct file *f, const char *buf, size_t len, int format)
{
	const char *nul = memchr(buf, '\0', len);

	if (nul != NULL) {
		uint32_t line = 1;

		for (const char *p = buf; p < nul; p++)
			line += *p == '\n';
		return ferr(f, line, "a NUL byte: not a text file");
	}
	if (format == DHCP_AUTO &&
	    (format = dhcp_detect(buf, len)) == DHCP_UNKNOWN)
		return ferr(f, 0, "not a DHCP file arpsweep knows (ISC "
		    "dhcpd.conf, dnsmasq conf, hostsfile or leases, libvirt "
		    "network XML or status, Kea DHCPv4)");
	switch (format) {
	case DHCP_EMPTY:
		return 0;
	case DHCP_ISC:
		return parse_isc(f, buf, len);
	case DHCP_DNSMASQ_CONF:
		return parse_dnsmasq(f, buf, len, true);
	case DHCP_DNSMASQ_HOSTS:
		return parse_dnsmasq(f, buf, len, false);
	case DHCP_DNSMASQ_LEASES:
		return parse_leases(f, buf, len);
	case DHCP_LIBVIRT_STATUS:
	case DHCP_KEA:
		return parse_json(f, buf, len, format);
	case DHCP_LIBVIRT_XML: {
		int n = domxml_parse(f->r->inv, buf, len, f->name,
		    DOMXML_NETWORK, VM_STATE_DEFINED, f->r->errbuf,
		    f->r->errlen);

		if (n < 0)
			return -1;
		f->r->added += n;
		return 0;
	}
	}
	return ferr(f, 0, "unknown format");
}

static int
run_top(struct inventory *inv, const char *buf, size_t len,
    const char *name, int format, bool files, bool show, const struct stat *st,
    char *errbuf, size_t errlen)
{
	struct run r;
	struct file f;
	int rc = -1;

	memset(&r, 0, sizeof(r));
	r.errbuf = errbuf;
	r.errlen = errlen;
	r.files = files;
	if (st != NULL) {
		r.chain[0].dev = st->st_dev;
		r.chain[0].ino = st->st_ino;
	}
	memset(&f, 0, sizeof(f));
	f.r = &r;
	f.name = name;
	f.show = show;
	inventory_quote(f.safe, sizeof(f.safe), name, strlen(name));
	if ((r.inv = inventory_new()) == NULL)
		return ferr(&f, 0, "out of memory");
	if ((f.origin = sdup(&f, name, strlen(name))) == NULL && name[0])
		inv_fail(&f, 0);
	else if (parse_format(&f, buf, len, format) == 0) {
		if (inventory_merge(inv, r.inv) == 0)
			rc = r.added;
		else
			ferr(&f, 0, "%s", inventory_error(inv));
	}
	inventory_free(r.inv);
	return rc;
}

int
dhcp_parse(struct inventory *inv, const char *buf, size_t len,
    const char *origin, int format, char *errbuf, size_t errlen)
{
	return run_top(inv, buf, len, origin, format, false, true, NULL,
	    errbuf, errlen);
}

int
dhcp_load(struct inventory *inv, int fd, const char *name, char *errbuf,
    size_t errlen)
{
	struct stat st;
	char *buf, safe[256];
	size_t len;
	int rc;

	if (fstat(fd, &st) == -1) {
		inventory_quote(safe, sizeof(safe), name, strlen(name));
		snprintf(errbuf, errlen, "%s: %s", safe, strerror(errno));
		return -1;
	}
	if (inventory_read_fd(fd, name, INV_MAX_FILE, &buf, &len, errbuf,
	    errlen) == -1)
		return -1;
	rc = run_top(inv, buf, len, name, DHCP_AUTO, true,
	    (st.st_mode & S_IROTH) != 0, &st, errbuf, errlen);
	free(buf);
	return rc;
}

int
dhcp_load_path(struct inventory *inv, const char *path, char *errbuf,
    size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	int rc;

	if (fd == -1) {
		char q[256];

		inventory_quote(q, sizeof(q), path, strlen(path));
		snprintf(errbuf, errlen, "%s: %s", q, strerror(errno));
		return -1;
	}
	rc = dhcp_load(inv, fd, path, errbuf, errlen);
	close(fd);
	return rc;
}
