/* Unit tests for report/domxml: every interface type, live and inactive, status, networks, hostile XML. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../report/domxml.h"

#define FIX "tests/fixtures/"

static char err[512];

static struct inventory *
load(const char *path, unsigned accept, int expect)
{
	struct inventory *inv = inventory_new();

	assert_non_null(inv);
	err[0] = '\0';
	int n = domxml_load_path(inv, path, accept, err, sizeof(err));
	if (n != expect)
		print_message("%s: %d, %s\n", path, n, err);
	assert_int_equal(n, expect);
	return inv;
}

static struct inventory *
parse(const char *xml, unsigned accept, int expect)
{
	struct inventory *inv = inventory_new();

	assert_non_null(inv);
	err[0] = '\0';
	int n = domxml_parse(inv, xml, strlen(xml), "mem.xml", accept,
	    VM_STATE_DEFINED, err, sizeof(err));
	if (n != expect)
		print_message("%d, %s\n", n, err);
	assert_int_equal(n, expect);
	if (n < 0)	/* all or nothing */
		assert_int_equal(inventory_nvms(inv) + inventory_nnetworks(inv) +
		    inventory_nbindings(inv), 0);
	return inv;
}

static void
test_live_domain(void **state)
{
	struct inventory *inv = load(FIX "domain/web1-live.xml", DOMXML_DOMAIN, 2);
	const struct vm_iface *v;

	(void)state;
	v = inventory_vm(inv, 0);
	assert_string_equal(v->domain, "web1");
	assert_string_equal(v->uuid, "6f1c0a5e-2b7d-4c1a-9d0e-3a5b7c9d1e2f");
	assert_memory_equal(v->mac, "\x52\x54\x00\x6c\x3c\x01", 6);
	assert_int_equal(v->type, VM_IF_NETWORK);
	assert_string_equal(v->source, "default");
	assert_string_equal(v->target, "vnet2");
	assert_string_equal(v->alias, "net0");
	assert_int_equal(v->views, VM_VIEW_LIVE);
	assert_int_equal(v->state, VM_STATE_ACTIVE);
	assert_int_equal(v->index, 0);
	assert_int_equal(v->line, 38);
	assert_string_equal(v->origin, FIX "domain/web1-live.xml");
	v = inventory_vm(inv, 1);
	assert_int_equal(v->type, VM_IF_BRIDGE);
	assert_string_equal(v->source, "br0");
	assert_string_equal(v->target, "vnet3");
	assert_int_equal(v->index, 1);
	assert_int_equal(v->line, 46);
	inventory_free(inv);
}

static void
test_live_and_inactive_are_one(void **state)
{
	struct inventory *inv = load(FIX "domain/web1-live.xml", DOMXML_DOMAIN, 2);
	const struct vm_iface *const *run;

	(void)state;
	assert_int_equal(domxml_load_path(inv, FIX "domain/web1-inactive.xml",
	    DOMXML_DOMAIN, err, sizeof(err)), 2);
	assert_int_equal(inventory_vm(inv, 2)->views, VM_VIEW_CONFIG);
	assert_null(inventory_vm(inv, 2)->target);
	assert_int_equal(inventory_vm(inv, 2)->state, VM_STATE_DEFINED);
	assert_int_equal(inventory_finish(inv), 0);
	assert_int_equal(inventory_nvms(inv), 2);
	assert_int_equal(inventory_vms_by_mac(inv,
	    (const uint8_t *)"\x52\x54\x00\x6c\x3c\x01", &run), 1);
	assert_int_equal(run[0]->views, VM_VIEW_LIVE | VM_VIEW_CONFIG);
	assert_string_equal(run[0]->target, "vnet2");
	inventory_free(inv);
}

static void
test_direct_definition(void **state)
{
	struct inventory *inv = load(FIX "domain/db1-direct.xml", DOMXML_DOMAIN, 1);
	const struct vm_iface *v = inventory_vm(inv, 0);

	(void)state;
	assert_string_equal(v->domain, "db1");
	assert_int_equal(v->type, VM_IF_DIRECT);
	assert_string_equal(v->source, "eno1");
	assert_null(v->target);
	assert_null(v->alias);
	assert_int_equal(v->state, VM_STATE_DEFINED);
	assert_int_equal(v->views, VM_VIEW_CONFIG);
	inventory_free(inv);
}

static void
test_every_type(void **state)
{
	static const struct {
		unsigned type;
		const char *source, *target;
	} want[] = {
		{ VM_IF_ETHERNET, NULL, "tap7" },
		{ VM_IF_USER, NULL, NULL },
		{ VM_IF_VHOSTUSER, "/run/vhost-user0.sock", NULL },
		{ VM_IF_HOSTDEV, "pci 0x0000:0x03:0x10.0x1", NULL },
		{ VM_IF_MCAST, "230.0.0.1:5558", NULL },
		{ VM_IF_UDP, "192.0.2.1:5555", NULL },
		{ VM_IF_SERVER, "192.0.2.1:5558", NULL },
		{ VM_IF_CLIENT, "192.0.2.1:5558", NULL },
		{ VM_IF_VDPA, "/dev/vhost-vdpa-0", NULL },
		{ VM_IF_NULL, NULL, NULL },
		{ VM_IF_DIRECT, "eth0", "macvtap0" },
	};
	struct inventory *inv = load(FIX "domain/lab-every-type.xml",
	    DOMXML_DOMAIN, 11);

	(void)state;
	for (size_t i = 0; i < 11; i++) {
		const struct vm_iface *v = inventory_vm(inv, i);

		assert_int_equal(v->type, want[i].type);
		if (want[i].source)
			assert_string_equal(v->source, want[i].source);
		else
			assert_null(v->source);
		if (want[i].target)
			assert_string_equal(v->target, want[i].target);
		else
			assert_null(v->target);
		assert_int_equal(v->mac[5], i < 10 ? i + 1 : 11);
	}
	/* The interface without a MAC is counted, not indexed; it still
	 * takes its position. */
	assert_int_equal(inventory_stats(inv)->ifaces_skipped, 1);
	assert_int_equal(inventory_vm(inv, 10)->index, 11);
	inventory_free(inv);
}

static void
test_domstatus(void **state)
{
	struct inventory *inv = load(FIX "domain/app2-status.xml", DOMXML_DOMAIN, 1);
	const struct vm_iface *v = inventory_vm(inv, 0);

	(void)state;
	assert_string_equal(v->domain, "app2");
	assert_int_equal(v->state, VM_STATE_PAUSED);
	assert_int_equal(v->views, VM_VIEW_LIVE);
	assert_string_equal(v->target, "vnet5");
	inventory_free(inv);
}

static void
test_directory(void **state)
{
	struct inventory *inv = load(FIX "domain/qemu", DOMXML_DOMAIN, 2);
	const struct vm_iface *const *run;

	(void)state;
	assert_int_equal(inventory_finish(inv), 0);
	assert_int_equal(inventory_vms_by_mac(inv,
	    (const uint8_t *)"\x52\x54\x00\x12\x34\x56", &run), 2);
	assert_string_equal(run[0]->domain, "clone-a");
	assert_string_equal(run[1]->domain, "clone-b");
	assert_string_equal(run[1]->origin, FIX "domain/qemu/clone-b.xml");
	inventory_free(inv);
}

static void
test_directory_all_or_nothing(void **state)
{
	char dir[] = "/tmp/test_domxml.XXXXXX", path[64];
	struct inventory *inv = inventory_new();
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/a.xml", dir);
	f = fopen(path, "w");
	fputs("<domain><name>a</name><devices><interface type='bridge'>"
	    "<mac address='52:54:00:00:00:01'/></interface></devices></domain>",
	    f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/b.xml", dir);
	f = fopen(path, "w");
	fputs("<domain><name>b</name>\n<devices>\n<interface type='bridge'>"
	    "<mac address='52:54:00:00:00:zz'/></interface></devices></domain>",
	    f);
	fclose(f);
	assert_int_equal(domxml_load_path(inv, dir, DOMXML_DOMAIN, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "/b.xml:3: interface mac address "
	    "'52:54:00:00:00:zz' is not valid"));
	assert_int_equal(inventory_nvms(inv), 0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/a.xml", dir);
	unlink(path);
	rmdir(dir);
	inventory_free(inv);
}

static void
test_network(void **state)
{
	struct inventory *inv = load(FIX "network/default.xml", DOMXML_NETWORK, 4);
	const struct vm_network *n;
	const struct dhcp_binding *b;

	(void)state;
	assert_int_equal(inventory_nnetworks(inv), 1);
	n = inventory_network(inv, 0);
	assert_string_equal(n->name, "default");
	assert_string_equal(n->bridge, "virbr0");
	assert_int_equal(n->ip, 0xc0a87a01u);
	assert_int_equal(n->prefix, 24);
	assert_int_equal(inventory_nbindings(inv), 3);
	b = inventory_binding(inv, 0);
	assert_int_equal(b->kind, BINDING_LIBVIRT);
	assert_string_equal(b->name, "web1");
	assert_int_equal(b->ip, 0xc0a87a0bu);
	assert_int_equal(b->line, 14);
	assert_null(inventory_binding(inv, 2)->name);
	assert_int_not_equal(inventory_binding(inv, 0)->group,
	    inventory_binding(inv, 1)->group);
	/* The IPv6 <host> is keyed by a DUID: skipped, not an error. */
	assert_int_equal(inventory_stats(inv)->bindings_skipped, 0);
	assert_int_equal(domxml_load_path(inv, FIX "network/isolated.xml",
	    DOMXML_NETWORK | DOMXML_DOMAIN, err, sizeof(err)), 1);
	n = inventory_network_by_name(inv, "isolated");
	assert_non_null(n);
	assert_string_equal(n->bridge, "virbr1");
	assert_int_equal(n->prefix, 24);
	assert_null(inventory_network_by_name(inv, "nope"));
	inventory_free(inv);
}

static void
test_wrong_root(void **state)
{
	struct inventory *inv;

	(void)state;
	inv = load(FIX "network/default.xml", DOMXML_DOMAIN, -1);
	assert_string_equal(err, FIX "network/default.xml:1: root element "
	    "<network> is not a libvirt <domain>");
	inventory_free(inv);
	inv = load(FIX "domain/db1-direct.xml", DOMXML_NETWORK, -1);
	assert_non_null(strstr(err, "db1-direct.xml:9: root element <domain> "
	    "is not a libvirt <network>"));
	inventory_free(inv);
	inventory_free(parse("<node/>", DOMXML_DOMAIN | DOMXML_NETWORK, -1));
	assert_string_equal(err, "mem.xml:1: root element <node> is not a "
	    "libvirt <domain> or <network>");
}

static void
test_errors(void **state)
{
	(void)state;
	inventory_free(parse("<domain>\n<name>x</name>\n<devices>\n</domain>",
	    DOMXML_DOMAIN, -1));
	assert_non_null(strstr(err, "mem.xml:4: not well-formed XML: "));
	inventory_free(parse("<domain><devices/></domain>", DOMXML_DOMAIN, -1));
	assert_string_equal(err, "mem.xml:1: <domain> has no <name>");
	inventory_free(parse("<network><ip address='10.0.0.1' netmask="
	    "'255.0.255.0'/></network>", DOMXML_NETWORK, -1));
	assert_string_equal(err, "mem.xml:1: <network> has no <name>");
	inventory_free(parse("<network><name>n</name><ip address='10.0.0.1' "
	    "netmask='255.0.255.0'/></network>", DOMXML_NETWORK, -1));
	assert_string_equal(err, "mem.xml:1: <ip netmask> '255.0.255.0' is not "
	    "valid");
	inventory_free(parse("<network><name>n</name><ip address='10.0.0.1'>"
	    "<dhcp>\n<host mac='52:54:00:00:00:01' ip='10.0.0.300'/></dhcp></ip>"
	    "</network>", DOMXML_NETWORK, -1));
	assert_string_equal(err, "mem.xml:2: <host ip> '10.0.0.300' is not "
	    "valid");
	/* A control character in bad input is never echoed. */
	inventory_free(parse("<domain><name>x</name><devices><interface>"
	    "<mac address='&#x9b;[31m'/></interface></devices></domain>",
	    DOMXML_DOMAIN, -1));
	assert_string_equal(err, "mem.xml:1: interface mac address '?[31m' is "
	    "not valid");
	inventory_free(parse("<domain><name>\x1b[31m</name></domain>",
	    DOMXML_DOMAIN, -1));
	assert_string_equal(err, "mem.xml:1: not well-formed XML: PCDATA "
	    "invalid Char value 27");
	inventory_free(parse("", DOMXML_DOMAIN, -1));
	assert_non_null(strstr(err, "mem.xml:"));
	/* Names with control characters are kept, made printable. */
	struct inventory *inv = parse("<domain><name>evil&#x9b;]0;x&#10;</name>"
	    "<devices><interface type='bridge'><mac address='52:54:00:00:00:01'/>"
	    "</interface></devices></domain>", DOMXML_DOMAIN, 1);
	assert_string_equal(inventory_vm(inv, 0)->domain, "evil?]0;x");
	inventory_free(inv);
}

static void
test_no_dtd_no_entities(void **state)
{
	(void)state;
	/* Billion laughs. */
	inventory_free(parse("<?xml version='1.0'?>\n<!DOCTYPE lolz [\n"
	    "<!ENTITY lol 'lol'>\n"
	    "<!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>\n"
	    "<!ENTITY lol3 '&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;'>\n"
	    "]>\n<domain><name>&lol3;</name></domain>", DOMXML_DOMAIN, -1));
	assert_string_equal(err, "mem.xml: has a <!DOCTYPE>; libvirt XML has "
	    "none and arpsweep reads no DTD");
	/* XXE: an external entity naming a local file. */
	inventory_free(parse("<!DOCTYPE d [<!ENTITY x SYSTEM "
	    "'file:///etc/passwd'>]><domain><name>&x;</name></domain>",
	    DOMXML_DOMAIN, -1));
	assert_non_null(strstr(err, "<!DOCTYPE>"));
	inventory_free(parse("<!DOCTYPE domain SYSTEM 'http://198.18.0.1/d.dtd'>"
	    "<domain><name>x</name></domain>", DOMXML_DOMAIN, -1));
	assert_non_null(strstr(err, "<!DOCTYPE>"));
	/* An undeclared entity is an error, not an expansion. */
	inventory_free(parse("<domain><name>&x;</name></domain>", DOMXML_DOMAIN,
	    -1));
	assert_non_null(strstr(err, "not well-formed XML"));
}

/* Thousands of documents (a big /etc/libvirt/qemu, a host's libvirt API)
 * into one inventory: each merge must cost its records, not a chunk. */
static void
test_many_documents(void **state)
{
	struct inventory *inv = inventory_new();
	char xml[256];

	(void)state;
	for (int i = 0; i < 5000; i++) {
		int len = snprintf(xml, sizeof(xml), "<domain><name>vm%d</name>"
		    "<devices><interface type='bridge'><mac address="
		    "'52:54:00:00:%02x:%02x'/><source bridge='br0'/>"
		    "</interface></devices></domain>", i, i >> 8, i & 0xff);

		assert_int_equal(domxml_parse(inv, xml, (size_t)len, "/etc/"
		    "libvirt/qemu/vm.xml", DOMXML_DOMAIN, VM_STATE_DEFINED, err,
		    sizeof(err)), 1);
	}
	assert_int_equal(inventory_finish(inv), 0);
	assert_int_equal(inventory_nvms(inv), 5000);
	assert_string_equal(inventory_vm(inv, 4999)->domain, "vm4999");
	inventory_free(inv);
}

static void
test_size_bound(void **state)
{
	struct inventory *inv = inventory_new();
	size_t len = DOMXML_MAX_SIZE + 1;
	char *big = malloc(len);

	(void)state;
	memset(big, ' ', len);
	assert_int_equal(domxml_parse(inv, big, len, "big.xml", DOMXML_DOMAIN,
	    VM_STATE_DEFINED, err, sizeof(err)), -1);
	assert_string_equal(err, "big.xml: larger than 16 MiB; not libvirt XML");
	free(big);
	inventory_free(inv);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_live_domain),
		cmocka_unit_test(test_live_and_inactive_are_one),
		cmocka_unit_test(test_direct_definition),
		cmocka_unit_test(test_every_type),
		cmocka_unit_test(test_domstatus),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_directory_all_or_nothing),
		cmocka_unit_test(test_network),
		cmocka_unit_test(test_wrong_root),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_no_dtd_no_entities),
		cmocka_unit_test(test_many_documents),
		cmocka_unit_test(test_size_bound),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
