/* Unit tests for report/inventory: records, view merging, lookups, bounds, helpers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../report/inventory.h"

static const uint8_t MAC_A[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
static const uint8_t MAC_B[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x57 };

static struct vm_iface
vm(struct inventory *inv, const char *dom, const uint8_t mac[6], unsigned views)
{
	struct vm_iface v;

	memset(&v, 0, sizeof(v));
	memcpy(v.mac, mac, 6);
	v.domain = inventory_strdup(inv, dom, strlen(dom));
	v.views = (uint8_t)views;
	v.type = VM_IF_BRIDGE;
	return v;
}

static void
test_views_merge(void **state)
{
	struct inventory *inv = inventory_new();
	const struct vm_iface *const *run;
	struct vm_iface v;

	(void)state;
	/* web1 read live and --inactive: one interface, both views. */
	v = vm(inv, "web1", MAC_A, VM_VIEW_LIVE);
	v.target = "vnet0";
	v.state = VM_STATE_RUNNING;
	assert_int_equal(inventory_add_vm(inv, &v), 0);
	v = vm(inv, "other", MAC_B, VM_VIEW_CONFIG);
	assert_int_equal(inventory_add_vm(inv, &v), 0);
	v = vm(inv, "web1", MAC_A, VM_VIEW_CONFIG);
	v.alias = "net0";
	assert_int_equal(inventory_add_vm(inv, &v), 0);
	/* A clone of web1: another domain with the same MAC stays apart. */
	v = vm(inv, "web1-clone", MAC_A, VM_VIEW_CONFIG);
	assert_int_equal(inventory_add_vm(inv, &v), 0);
	/* Two interfaces of one description with one MAC: a real reuse. */
	v = vm(inv, "twice", MAC_B, VM_VIEW_CONFIG);
	assert_int_equal(inventory_add_vm(inv, &v), 0);
	assert_int_equal(inventory_add_vm(inv, &v), 0);
	assert_int_equal(inventory_vms_by_mac(inv, MAC_A, &run), 0);
	assert_int_equal(inventory_finish(inv), 0);
	assert_int_equal(inventory_nvms(inv), 5);
	assert_int_equal(inventory_vms_by_mac(inv, MAC_A, &run), 2);
	assert_string_equal(run[0]->domain, "web1");
	assert_int_equal(run[0]->views, VM_VIEW_LIVE | VM_VIEW_CONFIG);
	assert_string_equal(run[0]->target, "vnet0");
	assert_string_equal(run[0]->alias, "net0");
	assert_int_equal(run[0]->state, VM_STATE_RUNNING);
	assert_string_equal(run[1]->domain, "web1-clone");
	assert_int_equal(inventory_vms_by_mac(inv, MAC_B, &run), 3);
	assert_string_equal(run[0]->domain, "other");
	assert_string_equal(run[1]->domain, "twice");
	assert_string_equal(run[2]->domain, "twice");
	/* Iteration keeps insertion order. */
	assert_string_equal(inventory_vm(inv, 1)->domain, "other");
	assert_null(inventory_vm(inv, 5));
	/* Finished: no more adds. */
	assert_int_equal(inventory_add_vm(inv, &v), -1);
	inventory_free(inv);
}

static void
test_bindings_by_mac_and_ip(void **state)
{
	struct inventory *inv = inventory_new();
	const struct dhcp_binding *const *run;
	const struct dhcp_lease *const *lrun;
	struct dhcp_binding b;
	struct dhcp_lease l;

	(void)state;
	memset(&b, 0, sizeof(b));
	for (uint32_t i = 0; i < 1000; i++) {
		b.mac[5] = (uint8_t)(i % 7);
		b.ip = 0x0a000000u + i % 13;
		b.line = i;
		b.group = inventory_new_group(inv);
		assert_int_equal(inventory_add_binding(inv, &b), 0);
	}
	b.ip = 0;	/* a name-only binding is not indexed by IP */
	assert_int_equal(inventory_add_binding(inv, &b), 0);
	memset(&l, 0, sizeof(l));
	memcpy(l.mac, MAC_A, 6);
	l.ip = 0xc0a87a0bu;
	assert_int_equal(inventory_add_lease(inv, &l), 0);
	assert_int_equal(inventory_finish(inv), 0);
	uint8_t m[6] = { 0 };
	m[5] = 3;
	size_t n = inventory_bindings_by_mac(inv, m, &run);
	assert_int_equal(n, 143);	/* i % 7 == 3 for i < 1000 */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(run[i]->mac[5], 3);
		if (i > 0)	/* insertion order within a run */
			assert_true(run[i]->line > run[i - 1]->line);
	}
	n = inventory_bindings_by_ip(inv, 0x0a000005u, &run);
	assert_int_equal(n, 77);	/* i % 13 == 5 */
	for (size_t i = 0; i < n; i++)
		assert_int_equal(run[i]->ip, 0x0a000005u);
	assert_int_equal(inventory_bindings_by_ip(inv, 0, &run), 0);
	assert_int_equal(inventory_bindings_by_ip(inv, 0x0a0000ffu, &run), 0);
	m[5] = 200;
	assert_int_equal(inventory_bindings_by_mac(inv, m, &run), 0);
	assert_int_equal(inventory_leases_by_mac(inv, MAC_A, &lrun), 1);
	assert_int_equal(inventory_leases_by_ip(inv, 0xc0a87a0bu, &lrun), 1);
	assert_int_equal(inventory_leases_by_mac(inv, MAC_B, &lrun), 0);
	inventory_free(inv);
}

static void
test_entry_cap(void **state)
{
	struct inventory *inv = inventory_new();
	struct dhcp_lease l;

	(void)state;
	memset(&l, 0, sizeof(l));
	for (uint32_t i = 0; i < INV_MAX_ENTRIES; i++)
		assert_int_equal(inventory_add_lease(inv, &l), 0);
	assert_int_equal(inventory_add_lease(inv, &l), -1);
	assert_string_equal(inventory_error(inv), "more than 262144 DHCP leases");
	inventory_free(inv);
}

static void
test_strdup_sanitises(void **state)
{
	struct inventory *inv = inventory_new();
	char big[600];
	const char *s;

	(void)state;
	s = inventory_strdup(inv, "a\x1b[2Jb\x7f" "c\xc2\x9b" "d\xff" "e\xc3\xa9", 15);
	assert_string_equal(s, "a?[2Jb?c?d?e\xc3\xa9");
	s = inventory_strdup(inv, "x\0y", 3);
	assert_string_equal(s, "x?y");
	/* Cut at INV_MAX_STR, never inside a character. */
	memset(big, 'a', sizeof(big));
	big[253] = '\xc3';
	big[254] = '\xa9';
	s = inventory_strdup(inv, big, sizeof(big));
	assert_int_equal(strlen(s), 255);
	big[254] = '\xe2';
	big[255] = '\x82';
	big[256] = '\xac';
	s = inventory_strdup(inv, big + 1, sizeof(big) - 1);
	assert_int_equal(strlen(s), 253);
	/* The arena is bounded as a whole. */
	size_t k = 0;
	while ((s = inventory_strdup(inv, big, 200)) != NULL)
		k++;
	assert_true(k > 100000 && k < INV_MAX_STRBYTES / 200 + 1);
	assert_string_equal(inventory_error(inv), "more than 32 MiB of names");
	inventory_free(inv);
}

static void
test_merge(void **state)
{
	struct inventory *a = inventory_new(), *b = inventory_new();
	const struct dhcp_binding *const *run;
	struct dhcp_binding x;

	(void)state;
	memset(&x, 0, sizeof(x));
	memcpy(x.mac, MAC_A, 6);
	x.group = inventory_new_group(a);
	x.name = inventory_strdup(a, "first", 5);
	assert_int_equal(inventory_add_binding(a, &x), 0);
	x.group = inventory_new_group(b);
	x.name = inventory_strdup(b, "second", 6);
	assert_int_equal(inventory_add_binding(b, &x), 0);
	inventory_stats(b)->bindings_skipped = 2;
	assert_int_equal(inventory_merge(a, b), 0);
	assert_int_equal(inventory_nbindings(b), 0);
	inventory_free(b);	/* its strings now belong to a */
	assert_int_equal(inventory_finish(a), 0);
	assert_int_equal(inventory_bindings_by_mac(a, MAC_A, &run), 2);
	assert_string_equal(run[0]->name, "first");
	assert_string_equal(run[1]->name, "second");
	assert_int_not_equal(run[0]->group, run[1]->group);
	assert_int_equal(inventory_stats(a)->bindings_skipped, 2);
	inventory_free(a);
}

static void
test_parse_helpers(void **state)
{
	uint8_t m[6];
	uint32_t ip;
	char q[48];

	(void)state;
	assert_int_equal(inventory_parse_mac("52:54:00:AB:cd:ef", 17, m), 0);
	assert_memory_equal(m, "\x52\x54\x00\xab\xcd\xef", 6);
	assert_int_equal(inventory_parse_mac("52:54:0:1:2:3", 13, m), 0);
	assert_memory_equal(m, "\x52\x54\x00\x01\x02\x03", 6);
	assert_int_equal(inventory_parse_mac("52-54-00-01-02-03", 17, m), 0);
	assert_int_equal(inventory_parse_mac("525400010203", 12, m), 0);
	assert_int_equal(inventory_parse_mac("52:54-00:01:02:03", 17, m), -1);
	assert_int_equal(inventory_parse_mac("52:54:00:01:02", 14, m), -1);
	assert_int_equal(inventory_parse_mac("52:54:00:01:02:03:04", 20, m), -1);
	assert_int_equal(inventory_parse_mac("52:54:00:*:*:*", 14, m), -1);
	assert_int_equal(inventory_parse_mac("525:4:00:01:02:03", 17, m), -1);
	assert_int_equal(inventory_parse_ip("192.168.122.1", 13, &ip), 0);
	assert_int_equal(ip, 0xc0a87a01u);
	assert_int_equal(inventory_parse_ip("192.168.122.256", 15, &ip), -1);
	assert_int_equal(inventory_parse_ip("192.168.122", 11, &ip), -1);
	assert_int_equal(inventory_parse_ip("1.2.3.4 ", 8, &ip), -1);
	inventory_quote(q, sizeof(q), "ok\x1b]0;pwn\a", 10);
	assert_string_equal(q, "ok?]0;pwn?");
	inventory_quote(q, 8, "0123456789", 10);
	assert_string_equal(q, "0123...");
	assert_string_equal(inventory_if_type_name(inventory_if_type("direct")),
	    "direct");
	assert_int_equal(inventory_if_type("nonsense"), VM_IF_OTHER);
	assert_string_equal(inventory_state_name(VM_STATE_SHUTOFF), "shut off");
	assert_string_equal(inventory_kind_name(BINDING_LIBVIRT),
	    "libvirt-network");
}

static void
test_read_fd(void **state)
{
	char err[256], *buf;
	size_t len;
	int fd;

	(void)state;
	fd = open("tests", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(inventory_read_fd(fd, "tests", 100, &buf, &len, err,
	    sizeof(err)), -1);
	assert_string_equal(err, "tests: not a regular file");
	close(fd);
	fd = open("Makefile", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(inventory_read_fd(fd, "Makefile", 100, &buf, &len,
	    err, sizeof(err)), -1);
	assert_non_null(strstr(err, "Makefile: larger than"));
	assert_int_equal(inventory_read_fd(fd, "Makefile", 1 << 20, &buf, &len,
	    err, sizeof(err)), 0);
	assert_true(len > 100);
	assert_int_equal(buf[len], '\0');
	free(buf);
	close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_views_merge),
		cmocka_unit_test(test_bindings_by_mac_and_ip),
		cmocka_unit_test(test_entry_cap),
		cmocka_unit_test(test_strdup_sanitises),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_parse_helpers),
		cmocka_unit_test(test_read_fd),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
