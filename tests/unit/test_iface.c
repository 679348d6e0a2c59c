/* test_iface: named-interface errors; automatic choice in a throwaway netns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../scanner/iface.h"

static void
test_loopback_is_not_ethernet(void **state)
{
	char err[256] = "";
	struct iface ifc;

	(void)state;
	assert_int_equal(iface_get("lo", &ifc, err, sizeof(err)), -1);
	assert_string_equal(err, "interface lo is not Ethernet (ARP type 772); "
	    "arpsweep sweeps Ethernet segments");
}

static void
test_missing(void **state)
{
	char err[256] = "";
	struct iface ifc;

	(void)state;
	assert_int_equal(iface_get("nonexistent0", &ifc, err, sizeof(err)), -1);
	assert_string_equal(err, "interface nonexistent0 does not exist; list "
	    "interfaces with 'ip link'");
	/* Too long for IFNAMSIZ: same answer, no overflow. */
	assert_int_equal(iface_get("averyveryverylongname0", &ifc, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "does not exist"));
}

static void
test_auto_never_crashes(void **state)
{
	char err[256] = "";
	struct iface ifc;

	(void)state;
	if (iface_get(NULL, &ifc, err, sizeof(err)) == 0) {
		assert_true(ifc.name[0] != '\0');
		assert_true(ifc.naddrs > 0 && ifc.naddrs <= IFACE_MAX_ADDRS);
		assert_true(ifc.ifindex > 0);
		assert_non_null(strstr(ifc.reason, ifc.name));
	} else {
		assert_non_null(strstr(err, "-I"));
	}
}

/* Checks in the forked child cannot use cmocka's longjmp: count instead. */
static int failures;

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__,	\
		    __LINE__, #cond);					\
		failures++;						\
	}								\
} while (0)

static int
run(const char *cmd)
{
	if (system(cmd) != 0) {
		fprintf(stderr, "lab setup failed: %s\n", cmd);
		failures++;
		return -1;
	}
	return 0;
}

static void
lab_checks(void)
{
	static const uint8_t brmac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x30 };
	static const uint8_t vmac[6] = { 0x02, 0x00, 0x5e, 0x10, 0x20, 0x31 };
	char err[256] = "";
	struct iface ifc;

	/* The veth comes first (lower ifindex); the bridge must still win. */
	if (run("ip link add h0veth address 02:00:5e:10:20:31 type veth "
	    "peer name h0vpeer") || run("ip link set h0veth up") ||
	    run("ip addr add 198.18.5.1/24 dev h0veth") ||
	    run("ip addr add 198.18.7.129/25 dev h0veth label h0veth:1") ||
	    run("ip link add h0br address 02:00:5e:10:20:30 type bridge") ||
	    run("ip link set h0br up") ||
	    run("ip addr add 198.18.6.1/23 dev h0br") ||
	    run("ip link add h0bare type bridge") ||
	    run("ip link set h0bare up"))
		return;

	CHECK(iface_get(NULL, &ifc, err, sizeof(err)) == 0);
	CHECK(strcmp(ifc.name, "h0br") == 0);
	CHECK(ifc.is_bridge);
	CHECK(ifc.naddrs == 1);
	CHECK(ifc.addr[0] == (198u << 24 | 18u << 16 | 6u << 8 | 1u));
	CHECK(ifc.prefix[0] == 23);
	CHECK(memcmp(ifc.mac, brmac, 6) == 0);
	CHECK(strcmp(ifc.reason, "h0br: first bridge that is up with an IPv4 "
	    "address") == 0);

	CHECK(iface_get("h0veth", &ifc, err, sizeof(err)) == 0);
	CHECK(!ifc.is_bridge);
	CHECK(ifc.naddrs == 2);
	CHECK(ifc.prefix[0] == 24 && ifc.prefix[1] == 25);
	CHECK(ifc.addr[1] == (198u << 24 | 18u << 16 | 7u << 8 | 129u));
	CHECK(memcmp(ifc.mac, vmac, 6) == 0);
	CHECK(strcmp(ifc.reason, "named with -I") == 0);

	/* A bridge without an address is fine when named... */
	CHECK(iface_get("h0bare", &ifc, err, sizeof(err)) == 0);
	CHECK(ifc.is_bridge && ifc.naddrs == 0);

	/* ...and a down interface is not. */
	CHECK(iface_get("h0vpeer", &ifc, err, sizeof(err)) == -1);
	CHECK(strcmp(err, "interface h0vpeer is down; bring it up with "
	    "'ip link set h0vpeer up'") == 0);

	/* Without the bridge, the first Ethernet interface with an address. */
	if (run("ip link del h0br"))
		return;
	CHECK(iface_get(NULL, &ifc, err, sizeof(err)) == 0);
	CHECK(strcmp(ifc.name, "h0veth") == 0);
	CHECK(strcmp(ifc.reason, "h0veth: first Ethernet interface that is up "
	    "with an IPv4 address (no bridge found)") == 0);

	/* Nothing usable left: the error says to pass -I. */
	if (run("ip link set h0veth down"))
		return;
	CHECK(iface_get(NULL, &ifc, err, sizeof(err)) == -1);
	CHECK(strstr(err, "-I") != NULL);
}

static void
test_choice_in_netns(void **state)
{
	int status;
	pid_t pid;

	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: needs root to create a bridge and a "
		    "veth in a private network namespace\n");
		skip();
	}
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* The namespace and its links vanish when this child exits. */
		if (unshare(CLONE_NEWNET) != 0) {
			fprintf(stderr, "unshare: %s\n", strerror(errno));
			_exit(2);
		}
		lab_checks();
		_exit(failures == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback_is_not_ethernet),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_auto_never_crashes),
		cmocka_unit_test(test_choice_in_netns),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
