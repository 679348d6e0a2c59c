/* Unit tests for report/dhcp: each format on real-world shaped files, detection, includes, errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../report/dhcp.h"

#define FIX "tests/fixtures/dhcp/"

static char err[512];

static struct inventory *
load(const char *path, int expect)
{
	struct inventory *inv = inventory_new();

	assert_non_null(inv);
	err[0] = '\0';
	int n = dhcp_load_path(inv, path, err, sizeof(err));
	if (n != expect)
		print_message("%s: %d, %s\n", path, n, err);
	assert_int_equal(n, expect);
	return inv;
}

/* Parse text from memory; on failure, check nothing was kept and the
 * message is one printable line. */
static struct inventory *
parse(const char *text, int format, int expect)
{
	struct inventory *inv = inventory_new();

	err[0] = '\0';
	int n = dhcp_parse(inv, text, strlen(text), "mem", format, err,
	    sizeof(err));
	if (n != expect)
		print_message("%d, %s\n", n, err);
	assert_int_equal(n, expect);
	if (n < 0) {
		assert_int_equal(inventory_nbindings(inv) +
		    inventory_nleases(inv), 0);
		for (const char *p = err; *p; p++)
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	}
	return inv;
}

static void
fails(const char *text, int format, const char *msg)
{
	inventory_free(parse(text, format, -1));
	if (strcmp(err, msg) != 0)
		print_message("want: %s\n", msg);
	assert_string_equal(err, msg);
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = malloc(1 << 16);

	assert_non_null(f);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

static void
test_detect(void **state)
{
	static const struct { const char *file; int format; } want[] = {
		{ FIX "dhcpd.conf", DHCP_ISC },
		{ FIX "dhcpd-hosts.conf", DHCP_ISC },
		{ FIX "dnsmasq.conf", DHCP_DNSMASQ_CONF },
		{ FIX "dnsmasq.hostsfile", DHCP_DNSMASQ_HOSTS },
		{ FIX "dnsmasq.leases", DHCP_DNSMASQ_LEASES },
		{ FIX "virbr0.status", DHCP_LIBVIRT_STATUS },
		{ FIX "kea-dhcp4.conf", DHCP_KEA },
		{ "tests/fixtures/network/default.xml", DHCP_LIBVIRT_XML },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t len;
		char *buf = slurp(want[i].file, &len);

		if (dhcp_detect(buf, len) != want[i].format)
			print_message("%s: %s\n", want[i].file,
			    dhcp_format_name(dhcp_detect(buf, len)));
		assert_int_equal(dhcp_detect(buf, len), want[i].format);
		free(buf);
	}
	assert_int_equal(dhcp_detect("", 0), DHCP_EMPTY);
	assert_int_equal(dhcp_detect("# nothing\n\n  \n", 14), DHCP_EMPTY);
	assert_int_equal(dhcp_detect("# kea\n{\"Dhcp4\": {}}", 19), DHCP_KEA);
	assert_int_equal(dhcp_detect("/* x */ {}", 10), DHCP_KEA);
	assert_int_equal(dhcp_detect("id:01:02,10.0.0.1\n", 18),
	    DHCP_DNSMASQ_HOSTS);
	assert_int_equal(dhcp_detect("hello world\n", 12), DHCP_UNKNOWN);
	assert_int_equal(dhcp_detect("bind-interfaces\n", 16), DHCP_DNSMASQ_CONF);
	assert_int_equal(dhcp_detect("authoritative;\n", 15), DHCP_ISC);
	assert_int_equal(dhcp_detect("duid 00:01\n", 11), DHCP_DNSMASQ_LEASES);
	fails("hello world\n", DHCP_AUTO, "mem: not a DHCP file arpsweep knows "
	    "(ISC dhcpd.conf, dnsmasq conf, hostsfile or leases, libvirt "
	    "network XML or status, Kea DHCPv4)");
	inventory_free(parse("# only comments\n", DHCP_AUTO, 0));
}

static const struct dhcp_binding *
binding(struct inventory *inv, size_t i)
{
	const struct dhcp_binding *b = inventory_binding(inv, i);

	assert_non_null(b);
	return b;
}

static void
test_isc(void **state)
{
	struct inventory *inv = load(FIX "dhcpd.conf", 7);
	const struct dhcp_binding *b;

	(void)state;
	b = binding(inv, 0);
	assert_string_equal(b->name, "printer-1");
	assert_int_equal(b->ip, 0x0a000032u);
	assert_int_equal(b->kind, BINDING_DHCPD);
	assert_int_equal(b->line, 15);
	assert_string_equal(b->origin, FIX "dhcpd.conf");
	assert_string_equal(binding(inv, 1)->name, "pool-host");
	assert_int_equal(binding(inv, 1)->line, 26);
	assert_string_equal(binding(inv, 2)->name, "web1");
	/* Two addresses, one declaration: one group. */
	assert_string_equal(binding(inv, 3)->name, "multi");
	assert_string_equal(binding(inv, 4)->name, "multi");
	assert_memory_equal(binding(inv, 3)->mac, "\x52\x54\x00\x01\x02\x03", 6);
	assert_int_equal(binding(inv, 3)->ip, 0x0a00000cu);
	assert_int_equal(binding(inv, 4)->ip, 0x0a00010cu);
	assert_int_equal(binding(inv, 3)->group, binding(inv, 4)->group);
	assert_int_not_equal(binding(inv, 2)->group, binding(inv, 3)->group);
	/* A host name in fixed-address: recorded, not resolved. */
	b = binding(inv, 5);
	assert_string_equal(b->name, "named");
	assert_int_equal(b->ip, 0);
	assert_string_equal(b->addr_name, "db.example.org");
	/* From the include, relative to the including file. */
	b = binding(inv, 6);
	assert_string_equal(b->name, "clone-a");
	assert_int_equal(b->ip, 0x0a000058u);
	assert_string_equal(b->origin, FIX "dhcpd-hosts.conf");
	assert_int_equal(b->line, 3);
	/* The host keyed by a client identifier. */
	assert_int_equal(inventory_stats(inv)->bindings_skipped, 1);
	inventory_free(inv);
}

static void
test_isc_errors(void **state)
{
	(void)state;
	fails("host a {\n hardware ethernet 52:54:00:00:00:01\n fixed-address "
	    "10.0.0.1;\n}\n", DHCP_ISC, "mem:2: missing ';' after hardware");
	fails("subnet 10.0.0.0 netmask 255.0.0.0 {\n  range 10.0.0.1 10.0.0.9\n}\n",
	    DHCP_ISC, "mem:3: missing ';' before '}' (the statement starts on "
	    "line 2)");
	fails("host a {\n  hardware ethernet 52:54:00:00:00:zz;\n}\n", DHCP_ISC,
	    "mem:2: hardware ethernet '52:54:00:00:00:zz' is not a MAC address");
	fails("group {\n host a { hardware ethernet 52:54:00:00:00:01; }\n",
	    DHCP_ISC, "mem:1: '{' is never closed");
	fails("option x 1;\n}\n", DHCP_ISC, "mem:2: '}' without a matching '{'");
	fails("option domain-name \"never closed;\n\n", DHCP_ISC,
	    "mem:1: a quoted string is never closed");
	fails("host a {\n hardware ethernet 52:54:00:00:00:01;\n fixed-address "
	    "10.0.0.300;\n}\n", DHCP_ISC, "mem:3: fixed-address '10.0.0.300' is "
	    "neither an IPv4 address nor a host name");
	fails("host a {\n fixed-address bad\x1b[2J;\n}\n", DHCP_ISC,
	    "mem:2: fixed-address 'bad?[2J' is neither an IPv4 address nor a "
	    "host name");
	fails("include \"other.conf\";\n", DHCP_ISC, "mem:1: include "
	    "'other.conf' is not followed when parsing from memory");
	fails("include other.conf;\n", DHCP_ISC,
	    "mem:1: include: expected a quoted file name");
	/* All or nothing: the good host before the error is not kept. */
	fails("host ok { hardware ethernet 52:54:00:00:00:01; fixed-address "
	    "10.0.0.1; }\nhost bad {\n", DHCP_ISC,
	    "mem:2: host bad: '{' is never closed");
	/* Nesting is bounded. */
	char deep[300];
	memset(deep, '{', 200);
	deep[200] = '\0';
	fails(deep, DHCP_ISC, "mem:1: blocks nested deeper than 64");
	fails("authoritative", DHCP_ISC,
	    "mem:1: statement never ends: missing ';'");
}

static void
test_nul_byte(void **state)
{
	struct inventory *inv = inventory_new();

	(void)state;
	assert_int_equal(dhcp_parse(inv, "authoritative;\n\0x", 17, "mem",
	    DHCP_AUTO, err, sizeof(err)), -1);
	assert_string_equal(err, "mem:2: a NUL byte: not a text file");
	inventory_free(inv);
}

/* A scratch directory of files that include one another. */
static char dir[] = "/tmp/test_dhcp.XXXXXX";

static void
put(const char *name, const char *text, mode_t mode)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
test_includes(void **state)
{
	char path[128], buf[64];
	struct inventory *inv;

	(void)state;
	assert_non_null(mkdtemp(dir));
	/* A cycle: a -> b -> a. */
	put("a.conf", "authoritative;\ninclude \"b.conf\";\n", 0644);
	put("b.conf", "# b\ninclude \"a.conf\";\n", 0644);
	snprintf(path, sizeof(path), "%s/a.conf", dir);
	inv = load(path, -1);
	assert_non_null(strstr(err, "/b.conf:2: include 'a.conf' includes "
	    "itself (a cycle)"));
	inventory_free(inv);
	/* A chain deeper than the bound. */
	for (int i = 0; i <= DHCP_MAX_INCLUDE_DEPTH + 1; i++) {
		char name[16];

		snprintf(name, sizeof(name), "d%d.conf", i);
		snprintf(buf, sizeof(buf), "include \"d%d.conf\";\n", i + 1);
		put(name, buf, 0644);
	}
	snprintf(path, sizeof(path), "%s/d0.conf", dir);
	inv = load(path, -1);
	assert_non_null(strstr(err, "/d8.conf:1: includes nested deeper than 8"));
	inventory_free(inv);
	/* A missing include. */
	put("m.conf", "\n\ninclude \"missing.conf\";\n", 0644);
	snprintf(path, sizeof(path), "%s/m.conf", dir);
	inv = load(path, -1);
	assert_non_null(strstr(err, "/m.conf:3: include 'missing.conf': No such "
	    "file or directory"));
	inventory_free(inv);
	/* Content of a file not everyone may read is not quoted. */
	put("secret.conf", "host a {\n fixed-address root:$y$secret;\n}\n", 0600);
	snprintf(path, sizeof(path), "%s/secret.conf", dir);
	inv = load(path, -1);
	assert_non_null(strstr(err, "/secret.conf:2: fixed-address '(not shown: "
	    "the file is not world-readable)' is neither"));
	assert_null(strstr(err, "secret;"));
	inventory_free(inv);
	/* dnsmasq: conf-file and dhcp-hostsfile are followed. */
	put("dm.conf", "conf-file=dm2.conf\n", 0644);
	put("dm2.conf", "dhcp-hostsfile=hosts\n", 0644);
	put("hosts", "52:54:00:00:00:01,10.0.0.1,x\n", 0644);
	snprintf(path, sizeof(path), "%s/dm.conf", dir);
	inv = load(path, 1);
	assert_non_null(strstr(binding(inv, 0)->origin, "/hosts"));
	inventory_free(inv);
	static const char *const names[] = { "a.conf", "b.conf", "m.conf",
	    "secret.conf", "dm.conf", "dm2.conf", "hosts", "d0.conf", "d1.conf",
	    "d2.conf", "d3.conf", "d4.conf", "d5.conf", "d6.conf", "d7.conf",
	    "d8.conf", "d9.conf" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void
test_dnsmasq(void **state)
{
	struct inventory *inv = load(FIX "dnsmasq.conf", 10);
	const struct dhcp_binding *b;

	(void)state;
	b = binding(inv, 0);
	assert_int_equal(b->kind, BINDING_DNSMASQ);
	assert_string_equal(b->name, "vm-a");
	assert_int_equal(b->ip, 0xc0a8320bu);
	assert_int_equal(b->line, 7);
	assert_string_equal(binding(inv, 1)->name, "vm-b");
	assert_int_equal(binding(inv, 1)->ip, 0xc0a8320cu);
	assert_null(binding(inv, 2)->name);
	assert_int_equal(binding(inv, 2)->ip, 0xc0a8320du);
	/* From the hostsfile. */
	b = binding(inv, 3);
	assert_string_equal(b->name, "laptop");
	assert_string_equal(b->origin, FIX "dnsmasq.hostsfile");
	assert_int_equal(b->line, 2);
	/* Two MACs, one line: one group. */
	assert_int_equal(binding(inv, 4)->group, binding(inv, 5)->group);
	assert_memory_equal(binding(inv, 5)->mac, "\x52\x54\x00\x60\x00\x03", 6);
	assert_string_equal(binding(inv, 5)->name, "dock");
	assert_true(binding(inv, 6)->ignore);
	assert_int_equal(binding(inv, 6)->ip, 0);
	assert_memory_equal(binding(inv, 7)->mac, "\x52\x54\x00\x60\x00\x05", 6);
	assert_int_equal(binding(inv, 7)->ip, 0xc0a83219u);
	assert_int_equal(binding(inv, 8)->ip, 0xc0a8321au);
	assert_string_equal(binding(inv, 9)->name, "v6host");
	assert_int_equal(binding(inv, 9)->ip, 0);
	/* id: in the conf, the wildcard in the hostsfile. */
	assert_int_equal(inventory_stats(inv)->bindings_skipped, 2);
	inventory_free(inv);
	fails("dhcp-host=52:54:00:00:00:01,10.0.0.1,10.0.0.2\n", DHCP_AUTO,
	    "mem:1: two IPv4 addresses in one dhcp-host");
	fails("# x\ndhcp-host=52:54:00:00:00:01,bad name!\n", DHCP_AUTO,
	    "mem:2: 'bad name!' is not a MAC, an IPv4 address, a host name or a "
	    "lease time");
	fails("dhcp-host=52:54:00:00:00:0g,10.0.0.1\n", DHCP_DNSMASQ_CONF,
	    "mem:1: '52:54:00:00:00:0g' is not a MAC address");
	fails("interface=br0\nDhcp-Host=x\n", DHCP_AUTO,
	    "mem:2: 'Dhcp-Host=x' is not a dnsmasq option");
	fails("dhcp-host=\n", DHCP_DNSMASQ_CONF,
	    "mem:1: dhcp-host with nothing after '='");
	fails("52:54:00:00:00:01,10.0.0.1,a,b\n", DHCP_AUTO,
	    "mem:1: two host names in one dhcp-host");
}

static void
test_leases(void **state)
{
	struct inventory *inv = load(FIX "dnsmasq.leases", 3);
	const struct dhcp_lease *l;

	(void)state;
	l = inventory_lease(inv, 0);
	assert_int_equal(l->expiry, 1764633600);
	assert_int_equal(l->ip, 0xc0a87a0bu);
	assert_string_equal(l->hostname, "web1");
	assert_string_equal(l->client_id, "01:52:54:00:6c:3c:01");
	assert_int_equal(l->line, 1);
	l = inventory_lease(inv, 1);
	assert_null(l->hostname);
	assert_null(l->client_id);
	assert_int_equal(inventory_lease(inv, 2)->expiry, 0);
	assert_int_equal(inventory_stats(inv)->leases_skipped, 1);
	inventory_free(inv);
	fails("1764633600 52:54:00:6c:3c:01 192.168.122.11\n",
	    DHCP_DNSMASQ_LEASES, "mem:1: expected 'EXPIRY MAC IP HOSTNAME "
	    "CLIENTID'");
	fails("1764633600 52:54:00:6c:3c:01 192.168.122.11 a *\n"
	    "17x 52:54:00:6c:3c:01 192.168.122.11 a *\n", DHCP_AUTO,
	    "mem:2: expiry time '17x' is not a number");
	fails("1 nonsense 192.168.122.11 a *\n", DHCP_AUTO,
	    "mem:1: 'nonsense' is not a MAC address");
	fails("1 52:54:00:6c:3c:01 192.168.122 a *\n", DHCP_AUTO,
	    "mem:1: '192.168.122' is not an IPv4 address");
}

static void
test_status(void **state)
{
	struct inventory *inv = load(FIX "virbr0.status", 2);
	const struct dhcp_lease *l = inventory_lease(inv, 0);

	(void)state;
	assert_string_equal(l->hostname, "web1");
	assert_int_equal(l->ip, 0xc0a87a0bu);
	assert_int_equal(l->expiry, 1764633600);
	assert_int_equal(l->line, 2);
	assert_null(inventory_lease(inv, 1)->hostname);
	assert_int_equal(inventory_lease(inv, 1)->line, 9);
	assert_int_equal(inventory_stats(inv)->leases_skipped, 1);
	inventory_free(inv);
	inventory_free(parse("[]", DHCP_AUTO, 0));
	fails("[\n {\"ip-address\": \"192.168.122.11\", \"mac-address\": 7}\n]",
	    DHCP_AUTO, "mem:2: [0]: \"mac-address\" is not a string");
	fails("[\n 5\n]", DHCP_AUTO, "mem:1: the top level: entry 0 is not an "
	    "object");
	fails("[\n {\"ip-address\": \"192.168.122.11\",\n", DHCP_AUTO,
	    "mem:3: not valid JSON: it ends too early");
	fails("{\"a\": 1}", DHCP_LIBVIRT_STATUS, "mem: not a JSON list: not a "
	    "libvirt status file");
}

static void
test_kea(void **state)
{
	struct inventory *inv = load(FIX "kea-dhcp4.conf", 4);
	const struct dhcp_binding *b;

	(void)state;
	b = binding(inv, 0);
	assert_int_equal(b->kind, BINDING_KEA);
	assert_string_equal(b->name, "global-1");
	assert_int_equal(b->ip, 0xc00002c9u);
	assert_int_equal(b->line, 16);
	b = binding(inv, 1);
	assert_string_equal(b->name, "special-snowflake");
	assert_memory_equal(b->mac, "\x1a\x1b\x1c\x1d\x1e\x1f", 6);
	assert_int_equal(b->line, 29);
	b = binding(inv, 2);
	assert_int_equal(b->ip, 0);
	assert_string_equal(b->name, "a-url-http://x/#not-a-comment");
	assert_int_equal(b->line, 42);
	b = binding(inv, 3);
	assert_int_equal(b->ip, 0xc633640au);
	assert_int_equal(b->line, 57);
	/* client-id and duid reservations. */
	assert_int_equal(inventory_stats(inv)->bindings_skipped, 2);
	inventory_free(inv);
	fails("{\"Dhcp4\": {\n\"subnet4\": [{\n\"reservations\": [\n"
	    "{\"hw-address\": \"zz\"}]}]}}", DHCP_KEA,
	    "mem:4: Dhcp4.subnet4[0].reservations[0]: hw-address 'zz' is not a "
	    "MAC address");
	fails("{\"Dhcp4\": {\"reservations\": [{\"hw-address\": "
	    "\"aa:bb:cc:dd:ee:ff\", \"ip-address\": \"1.2.3\"}]}}", DHCP_KEA,
	    "mem:1: Dhcp4.reservations[0]: ip-address '1.2.3' is not an IPv4 "
	    "address");
	fails("{\"Dhcp4\": {\"reservations\": [{\"hostname\": \"x\"}]}}",
	    DHCP_KEA, "mem:1: Dhcp4.reservations[0]: a reservation without "
	    "hw-address, client-id, duid, circuit-id or flex-id");
	fails("{\"Dhcp4\": {\"subnet4\": {}}}", DHCP_KEA,
	    "mem:1: Dhcp4: \"subnet4\" is not a list");
	fails("// x\n{\"Dhcp6\": {}}", DHCP_AUTO, "mem: JSON without a \"Dhcp4\" "
	    "object: not a Kea DHCPv4 configuration");
	fails("{\n/* never closed\n\n", DHCP_KEA,
	    "mem:2: a /* comment is never closed");
	fails("{\"Dhcp4\":\n {\"a\": 1,,}}", DHCP_KEA,
	    "mem:2: not valid JSON: quoted object property name expected");
	fails("{\"Dhcp4\": {}} x", DHCP_KEA,
	    "mem:1: not valid JSON: more after the end");
	/* A duplicate key: json-c keeps the last; the line is then unknown. */
	fails("{\"Dhcp4\": {\"reservations\": [{}],\n\"reservations\": "
	    "[{\"hw-address\": 5}]}}", DHCP_KEA,
	    "mem: Dhcp4.reservations[0]: \"hw-address\" is not a string");
	/* Depth and size are bounded. */
	char deep[200];
	memset(deep, '[', 100);
	deep[100] = '\0';
	fails(deep, DHCP_LIBVIRT_STATUS, "mem:1: not valid JSON: nesting too "
	    "deep");
}

static void
test_json_value_bound(void **state)
{
	size_t n = DHCP_MAX_JSON_VALUES + 10, len = 2 * n + 2;
	char *big = malloc(len + 1);
	struct inventory *inv = inventory_new();

	(void)state;
	big[0] = '[';
	for (size_t i = 0; i < n; i++) {
		big[1 + 2 * i] = '0';
		big[2 + 2 * i] = ',';
	}
	big[len - 1] = ']';
	big[len] = '\0';
	assert_int_equal(dhcp_parse(inv, big, len, "big", DHCP_AUTO, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "big:1: more than 2097152 JSON values");
	free(big);
	inventory_free(inv);
}

static void
test_libvirt_xml(void **state)
{
	struct inventory *inv = load("tests/fixtures/network/default.xml", 4);

	(void)state;
	assert_int_equal(inventory_nbindings(inv), 3);
	inventory_free(inv);
	inv = load("tests/fixtures/domain/db1-direct.xml", -1);
	assert_non_null(strstr(err, "root element <domain> is not a libvirt "
	    "<network>"));
	inventory_free(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_isc),
		cmocka_unit_test(test_isc_errors),
		cmocka_unit_test(test_nul_byte),
		cmocka_unit_test(test_includes),
		cmocka_unit_test(test_dnsmasq),
		cmocka_unit_test(test_leases),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_kea),
		cmocka_unit_test(test_json_value_bound),
		cmocka_unit_test(test_libvirt_xml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
