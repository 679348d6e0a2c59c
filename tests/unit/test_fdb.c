/* fdb: RTM_NEWNEIGH messages (built with libmnl) -> forwarding entries; ports: the ifindex table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <cmocka.h>

#include <libmnl/libmnl.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>

#include "../../capture/ports.h"
#include "../../scanner/fdb.h"

static const uint8_t mac[6] = { 0x52, 0x54, 0, 0, 0, 0x20 };

static struct nlmsghdr *
neigh(char *buf, int family, int ifindex, uint16_t state, int master,
    const uint8_t *lladdr, size_t lllen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ndmsg *nd;

	nlh->nlmsg_type = RTM_NEWNEIGH;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = (uint8_t)family;
	nd->ndm_ifindex = ifindex;
	nd->ndm_state = state;
	if (lladdr != NULL)
		mnl_attr_put(nlh, NDA_LLADDR, lllen, lladdr);
	if (master > 0)
		mnl_attr_put_u32(nlh, NDA_MASTER, (uint32_t)master);
	return nlh;
}

static void
parse_entry(void **state)
{
	_Alignas(struct nlmsghdr) char buf[256];
	struct fdb_entry e;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_REACHABLE, 3, mac, 6);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 1);
	assert_memory_equal(e.mac, mac, 6);
	assert_int_equal(e.port, 7);
	assert_int_equal(e.vlan, 0);
}

static void
parse_skips(void **state)
{
	_Alignas(struct nlmsghdr) char buf[256];
	struct fdb_entry e;
	struct nlmsghdr *nlh;

	(void)state;
	/* Another bridge's, the bridge's own, a permanent (local) one, an
	 * IPv4 neighbour, no or a short address. */
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_REACHABLE, 4, mac, 6);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 0);
	nlh = neigh(buf, AF_BRIDGE, 3, NUD_REACHABLE, 3, mac, 6);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 0);
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_PERMANENT, 3, mac, 6);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 0);
	nlh = neigh(buf, AF_INET, 7, NUD_REACHABLE, 3, mac, 6);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 0);
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_REACHABLE, 3, NULL, 0);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 0);
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_REACHABLE, 3, mac, 4);
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 0);
}

static void
parse_malformed(void **state)
{
	_Alignas(struct nlmsghdr) char buf[256];
	struct fdb_entry e;
	struct nlmsghdr *nlh;

	(void)state;
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_REACHABLE, 3, mac, 6);
	/* Cut inside the ndmsg, and a length field beyond the buffer. */
	assert_int_equal(fdb_parse(nlh, 20, 3, &e), -1);
	nlh->nlmsg_len += 64;
	assert_int_equal(fdb_parse(nlh, nlh->nlmsg_len - 64, 3, &e), -1);
	/* An attribute whose length runs past the message: libmnl stops
	 * there, so the address is never read and there is no entry. */
	nlh = neigh(buf, AF_BRIDGE, 7, NUD_REACHABLE, 3, mac, 6);
	struct nlattr *a = mnl_nlmsg_get_payload_offset(nlh,
	    sizeof(struct ndmsg));
	a->nla_len = 200;
	assert_int_not_equal(fdb_parse(nlh, nlh->nlmsg_len, 3, &e), 1);
}

static void
lookup(void **state)
{
	struct fdb_entry v[3] = {
		{ { 0x52, 0x54, 0, 0, 0, 0x20 }, 10, 8 },
		{ { 0x52, 0x54, 0, 0, 0, 0x20 }, 0, 9 },
		{ { 0x52, 0x54, 0, 0, 0, 0x21 }, 5, 4 },
	};
	struct fdb db = { v, 3 };
	const uint8_t other[6] = { 1, 2, 3, 4, 5, 6 };

	(void)state;
	assert_int_equal(fdb_port(&db, mac), 9);	/* untagged first */
	assert_int_equal(fdb_port(&db, v[2].mac), 4);
	assert_int_equal(fdb_port(&db, other), -1);
}

static void
ports_table(void **state)
{
	static struct ports pt;
	char buf[24];

	(void)state;
	assert_non_null(ports_add(&pt, 3, "virbr0", true));
	assert_non_null(ports_add(&pt, 7, "vnet0-with-a-very-long-name", false));
	assert_string_equal(ports_find(&pt, 7)->name, "vnet0-with-a-ve");
	assert_string_equal(ports_name(&pt, 9, buf), "if9");
	assert_true(ports_find(&pt, 3)->bridge);
	for (int i = 10; pt.n < PORTS_MAX; i++)
		assert_non_null(ports_add(&pt, i, "p", false));
	assert_null(ports_add(&pt, 100000, "full", false));
	/* A known port is renamed even when full. */
	assert_non_null(ports_add(&pt, 7, "vnet0", false));
	assert_string_equal(ports_find(&pt, 7)->name, "vnet0");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_entry),
		cmocka_unit_test(parse_skips),
		cmocka_unit_test(parse_malformed),
		cmocka_unit_test(lookup),
		cmocka_unit_test(ports_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
