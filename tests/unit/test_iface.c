/* test_iface: the pure choice (iface_pick), named-interface errors, the choice in a throwaway netns. */
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
	assert_int_equal(iface_get("lo", NULL, &ifc, err, sizeof(err)), -1);
	assert_string_equal(err, "interface lo is not Ethernet (ARP type 772); "
	    "arpsweep sweeps Ethernet segments");
}

static void
test_missing(void **state)
{
	char err[256] = "";
	struct iface ifc;

	(void)state;
	assert_int_equal(iface_get("nonexistent0", NULL, &ifc, err, sizeof(err)), -1);
	assert_string_equal(err, "interface nonexistent0 does not exist; list "
	    "interfaces with 'ip link'");
	/* Too long for IFNAMSIZ: same answer, no overflow. */
	assert_int_equal(iface_get("averyveryverylongname0", NULL, &ifc, err,
	    sizeof(err)), -1);
	assert_non_null(strstr(err, "does not exist"));
}

static void
test_auto_never_crashes(void **state)
{
	char err[256] = "";
	struct iface ifc;

	(void)state;
	if (iface_get(NULL, NULL, &ifc, err, sizeof(err)) == 0) {
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

	CHECK(iface_get(NULL, NULL, &ifc, err, sizeof(err)) == 0);
	CHECK(strcmp(ifc.name, "h0br") == 0);
	CHECK(ifc.is_bridge);
	CHECK(ifc.naddrs == 1);
	CHECK(ifc.addr[0] == (198u << 24 | 18u << 16 | 6u << 8 | 1u));
	CHECK(ifc.prefix[0] == 23);
	CHECK(memcmp(ifc.mac, brmac, 6) == 0);
	CHECK(strcmp(ifc.reason, "h0br: first bridge that is up with an IPv4 "
	    "address") == 0);

	CHECK(iface_get("h0veth", NULL, &ifc, err, sizeof(err)) == 0);
	CHECK(!ifc.is_bridge);
	CHECK(ifc.naddrs == 2);
	CHECK(ifc.prefix[0] == 24 && ifc.prefix[1] == 25);
	CHECK(ifc.addr[1] == (198u << 24 | 18u << 16 | 7u << 8 | 129u));
	CHECK(memcmp(ifc.mac, vmac, 6) == 0);
	CHECK(strcmp(ifc.reason, "h0veth: named with -I") == 0);

	/* A bridge without an address is fine when named... */
	CHECK(iface_get("h0bare", NULL, &ifc, err, sizeof(err)) == 0);
	CHECK(ifc.is_bridge && ifc.naddrs == 0);

	/* ...and a down interface is not. */
	CHECK(iface_get("h0vpeer", NULL, &ifc, err, sizeof(err)) == -1);
	CHECK(strcmp(err, "interface h0vpeer is down; bring it up with "
	    "'ip link set h0vpeer up'") == 0);

	/* Without the bridge and without targets: no sweep of the LAN
	 * behind the veth unasked. */
	if (run("ip link del h0br"))
		return;
	CHECK(iface_get(NULL, NULL, &ifc, err, sizeof(err)) == -1);
	CHECK(strstr(err, "-I h0veth") != NULL);
	/* With a target, the Ethernet interface whose subnet holds it. */
	struct iface_hint h = { .have_target = true,
	    .target = 198u << 24 | 18u << 16 | 5u << 8 | 9u };
	CHECK(iface_get(NULL, &h, &ifc, err, sizeof(err)) == 0);
	CHECK(strcmp(ifc.name, "h0veth") == 0);
	CHECK(strcmp(ifc.reason, "h0veth: its subnet 198.18.5.0/24 holds the "
	    "first target 198.18.5.9") == 0);
	CHECK(memcmp(ifc.mac, vmac, 6) == 0);

	/* Nothing usable left: the error says to pass -I. */
	if (run("ip link set h0veth down"))
		return;
	CHECK(iface_get(NULL, &h, &ifc, err, sizeof(err)) == -1);
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


/* ---- iface_pick(): the pure choice ---- */

#define IP4(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | \
	(uint32_t)(c) << 8 | (uint32_t)(d))

/* Flags: U up, L loopback, E Ethernet, B bridge. */
static struct iface_cand
cand(const char *name, const char *flags, uint32_t addr, uint8_t prefix)
{
	struct iface_cand c;

	memset(&c, 0, sizeof(c));
	snprintf(c.name, sizeof(c.name), "%s", name);
	c.up = strchr(flags, 'U') != NULL;
	c.loopback = strchr(flags, 'L') != NULL;
	c.ether = strchr(flags, 'E') != NULL;
	c.is_bridge = strchr(flags, 'B') != NULL;
	if (addr != 0) {
		c.addr[0] = addr;
		c.prefix[0] = prefix;
		c.naddrs = 1;
	}
	return c;
}

static char reason[256], err[512];

/* The name picked, or NULL (err then says why). */
static const char *
pick(const struct iface_cand *c, size_t n, const struct iface_hint *h)
{
	int k;

	reason[0] = err[0] = '\0';
	k = iface_pick(c, n, h, reason, sizeof(reason), err, sizeof(err));
	if (k < 0) {
		assert_string_equal(reason, "");
		assert_true(strlen(err) > 0 && strchr(err, '\n') == NULL);
		return NULL;
	}
	assert_true((size_t)k < n);
	assert_string_equal(err, "");
	/* Every reason starts with the name it explains. */
	assert_int_equal(strncmp(reason, c[k].name, strlen(c[k].name)), 0);
	assert_int_equal(reason[strlen(c[k].name)], ':');
	return c[k].name;
}

static void
test_pick_nothing(void **state)
{
	(void)state;
	assert_null(pick(NULL, 0, NULL));
	assert_string_equal(err, "no bridge is up with an IPv4 address; name "
	    "the interface with -I (-I IFACE sweeps its subnet) or the targets "
	    "(e.g. 198.18.0.0/24)");
}

static void
test_pick_refuses_eth0_without_targets(void **state)
{
	struct iface_cand c[] = {
		cand("lo", "ULE", IP4(127, 0, 0, 1), 8),
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
	};

	(void)state;
	assert_null(pick(c, 2, NULL));
	assert_non_null(strstr(err, "-I eth0"));
	assert_non_null(strstr(err, "targets"));
	assert_null(strstr(err, "docker"));
}

static void
test_pick_first_bridge(void **state)
{
	struct iface_cand c[] = {
		cand("lo", "ULE", IP4(127, 0, 0, 1), 8),
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
		cand("virbr1", "UEB", IP4(192, 168, 100, 1), 24),
	};

	(void)state;
	assert_string_equal(pick(c, 4, NULL), "virbr0");
	assert_string_equal(reason, "virbr0: first bridge that is up with an "
	    "IPv4 address");
}

static void
test_pick_skips_docker(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
		cand("docker0", "UEB", IP4(172, 17, 0, 1), 16),
		cand("br-abc", "UEB", IP4(172, 18, 0, 1), 16),
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
	};

	(void)state;
	assert_string_equal(pick(c, 4, NULL), "virbr0");
	assert_string_equal(reason, "virbr0: first bridge that is up with an "
	    "IPv4 address; docker0, br-abc skipped (docker's: name one with "
	    "-I)");
	/* Only docker's: refused, and the message says why. */
	assert_null(pick(c, 3, NULL));
	assert_non_null(strstr(err, "but docker's, which are never chosen "
	    "unasked"));
	assert_non_null(strstr(err, "-I eth0"));
	/* One of docker's skipped. */
	struct iface_cand d[] = { c[1], c[3] };
	assert_string_equal(pick(d, 2, NULL), "virbr0");
	assert_non_null(strstr(reason, "; docker0 skipped (docker's: name it "
	    "with -I)"));
}

static void
test_pick_skips_unusable(void **state)
{
	struct iface_cand c[] = {
		cand("down0", "EB", IP4(198, 18, 1, 1), 24),	/* down */
		cand("bare0", "UEB", 0, 0),			/* no IPv4 */
		cand("ib0", "UB", IP4(198, 18, 2, 1), 24),	/* not Ethernet */
		cand("lo", "ULEB", IP4(127, 0, 0, 1), 8),	/* loopback */
		cand("br9", "UEB", IP4(198, 18, 3, 1), 24),
	};

	(void)state;
	assert_string_equal(pick(c, 5, NULL), "br9");
	assert_null(pick(c, 4, NULL));
}

static void
test_pick_running_domains(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
		cand("br0", "UEB", IP4(10, 1, 0, 1), 24),
	};
	struct iface_want w[] = {
		{ "gone0", "bridge of running domain old" },
		{ "br0", "bridge of running domains test, web" },
		{ "virbr0", "bridge of running domain x" },
	};
	struct iface_hint h = { .wants = w, .nwants = 3 };

	(void)state;
	/* The first wanted bridge that exists wins over the first bridge. */
	assert_string_equal(pick(c, 3, &h), "br0");
	assert_string_equal(reason, "br0: bridge of running domains test, web");
	/* None exists: back to the first bridge. */
	h.nwants = 1;
	assert_string_equal(pick(c, 3, &h), "virbr0");
	assert_non_null(strstr(reason, "first bridge"));
}

static void
test_pick_wanted_needs_ipv4_without_targets(void **state)
{
	struct iface_cand c[] = {
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
		cand("br0", "UEB", 0, 0),
	};
	struct iface_want w[] = { { "br0", "bridge of running domain a" } };
	struct iface_hint h = { .wants = w, .nwants = 1 };

	(void)state;
	/* No subnet of br0 to sweep by default: the next rule. */
	assert_string_equal(pick(c, 2, &h), "virbr0");
	/* With targets outside every subnet, the domains' bridge. */
	h.have_target = true;
	h.target = IP4(203, 0, 113, 7);
	assert_string_equal(pick(c, 2, &h), "br0");
	assert_string_equal(reason, "br0: bridge of running domain a");
}

static void
test_pick_wanted_docker_name(void **state)
{
	struct iface_cand c[] = {
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
		cand("br-lan", "UEB", IP4(10, 9, 0, 1), 24),
	};
	struct iface_want w[] = { { "br-lan", "bridge of running domain a" } };
	struct iface_hint h = { .wants = w, .nwants = 1 };

	(void)state;
	/* Named by the inventory, a br-* bridge is the domains' own. */
	assert_string_equal(pick(c, 2, &h), "br-lan");
	assert_string_equal(pick(c, 2, NULL), "virbr0");
}

static void
test_pick_vm_bridge(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
		cand("br1", "UEB", 0, 0),
		cand("br2", "EB", 0, 0),
		cand("tun0", "U", IP4(10, 8, 0, 1), 24),
	};
	struct iface_want w[] = { { "br1", "bridge of VM test's interface "
	    "net0" } };
	struct iface_hint h = { .wants = w, .nwants = 1, .want_only = true };

	(void)state;
	/* --vm: that bridge, even without IPv4 (the targets then say). */
	assert_string_equal(pick(c, 5, &h), "br1");
	assert_string_equal(reason, "br1: bridge of VM test's interface net0");
	/* Targets elsewhere do not move it. */
	h.have_target = true;
	h.target = IP4(10, 0, 0, 9);
	assert_string_equal(pick(c, 5, &h), "br1");
	/* Missing, down, not Ethernet: refused, never another interface. */
	w[0].bridge = "virbr7";
	assert_null(pick(c, 5, &h));
	assert_string_equal(err, "bridge virbr7 (bridge of VM test's interface "
	    "net0) does not exist here; run arpsweep on the VM's host, or "
	    "name the interface with -I");
	w[0].bridge = "br2";
	assert_null(pick(c, 5, &h));
	assert_non_null(strstr(err, "is down; bring it up with 'ip link set "
	    "br2 up'"));
	w[0].bridge = "tun0";
	assert_null(pick(c, 5, &h));
	assert_non_null(strstr(err, "tun0 (bridge of VM test's interface net0) "
	    "is not Ethernet"));
}

static void
test_pick_subnet_holds_target(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
	};
	struct iface_want w[] = { { "virbr0", "bridge of running domain a" } };
	struct iface_hint h = { .wants = w, .nwants = 1, .have_target = true,
	    .target = IP4(10, 0, 0, 200) };

	(void)state;
	/* The targets name eth0's LAN: it wins over every bridge. */
	assert_string_equal(pick(c, 2, &h), "eth0");
	assert_string_equal(reason, "eth0: its subnet 10.0.0.0/24 holds the "
	    "first target 10.0.0.200");
	/* Just outside the /24. */
	h.target = IP4(10, 0, 1, 0);
	assert_string_equal(pick(c, 2, &h), "virbr0");
	assert_string_equal(reason, "virbr0: bridge of running domain a");
}

static void
test_pick_subnet_prefers_bridge(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 16),
		cand("br0", "UEB", IP4(10, 0, 3, 1), 24),
	};
	struct iface_hint h = { .have_target = true, .target = IP4(10, 0, 3, 9) };

	(void)state;
	assert_string_equal(pick(c, 2, &h), "br0");
	/* A second address of an interface counts as well. */
	c[1].addr[1] = IP4(198, 18, 9, 1);
	c[1].prefix[1] = 30;
	c[1].naddrs = 2;
	h.target = IP4(198, 18, 9, 2);
	assert_string_equal(pick(c, 2, &h), "br0");
	assert_string_equal(reason, "br0: its subnet 198.18.9.0/30 holds the "
	    "first target 198.18.9.2");
	h.target = IP4(198, 18, 9, 4);
	assert_string_equal(pick(c, 2, &h), "br0");
	assert_non_null(strstr(reason, "first bridge"));
}

static void
test_pick_docker_subnet_target(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 24),
		cand("docker0", "UEB", IP4(172, 17, 0, 1), 16),
	};
	struct iface_hint h = { .have_target = true,
	    .target = IP4(172, 17, 0, 2) };

	(void)state;
	/* Targets in docker's subnet name it as clearly as -I would. */
	assert_string_equal(pick(c, 2, &h), "docker0");
	/* Elsewhere: never docker's, the Ethernet interface. */
	h.target = IP4(203, 0, 113, 1);
	assert_string_equal(pick(c, 2, &h), "eth0");
	assert_string_equal(reason, "eth0: first Ethernet interface that is up "
	    "with an IPv4 address (no bridge found)");
}

static void
test_pick_targets_nothing_usable(void **state)
{
	struct iface_cand c[] = {
		cand("lo", "ULE", IP4(127, 0, 0, 1), 8),
		cand("docker0", "UEB", IP4(172, 17, 0, 1), 16),
		cand("eth0", "E", IP4(10, 0, 0, 5), 24),
	};
	struct iface_hint h = { .have_target = true,
	    .target = IP4(198, 18, 0, 1) };

	(void)state;
	assert_null(pick(c, 3, &h));
	assert_string_equal(err, "no Ethernet interface is up with an IPv4 "
	    "address; name one with -I");
}

static void
test_pick_prefix_edges(void **state)
{
	struct iface_cand c[] = {
		cand("eth0", "UE", IP4(10, 0, 0, 5), 32),
		cand("eth1", "UE", IP4(10, 0, 0, 1), 0),
	};
	struct iface_hint h = { .have_target = true, .target = IP4(10, 0, 0, 5) };

	(void)state;
	assert_string_equal(pick(c, 2, &h), "eth0");
	assert_string_equal(reason, "eth0: its subnet 10.0.0.5/32 holds the "
	    "first target 10.0.0.5");
	h.target = IP4(8, 8, 8, 8);
	assert_string_equal(pick(c, 2, &h), "eth1");
	assert_string_equal(reason, "eth1: its subnet 0.0.0.0/0 holds the "
	    "first target 8.8.8.8");
	/* A prefix beyond 32 (never from the kernel) is read as 32. */
	c[0].prefix[0] = 200;
	h.target = IP4(10, 0, 0, 5);
	assert_string_equal(pick(c, 1, &h), "eth0");
}

static void
test_pick_short_buffers(void **state)
{
	struct iface_cand c[] = {
		cand("docker0", "UEB", IP4(172, 17, 0, 1), 16),
		cand("virbr0", "UEB", IP4(192, 168, 122, 1), 24),
	};
	char r[12], e[8];

	(void)state;
	assert_int_equal(iface_pick(c, 2, NULL, r, sizeof(r), e, sizeof(e)), 1);
	assert_string_equal(r, "virbr0: fir");
	assert_int_equal(iface_pick(c, 1, NULL, r, sizeof(r), e, sizeof(e)), -1);
	assert_string_equal(e, "no brid");
}

static void
test_is_docker(void **state)
{
	(void)state;
	assert_true(iface_is_docker("docker0"));
	assert_true(iface_is_docker("br-0123456789ab"));
	assert_true(iface_is_docker("br-abc"));
	assert_false(iface_is_docker("br0"));
	assert_false(iface_is_docker("docker1"));
	assert_false(iface_is_docker("virbr0"));
	assert_false(iface_is_docker("xbr-1"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_loopback_is_not_ethernet),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_auto_never_crashes),
		cmocka_unit_test(test_choice_in_netns),
		cmocka_unit_test(test_pick_nothing),
		cmocka_unit_test(test_pick_refuses_eth0_without_targets),
		cmocka_unit_test(test_pick_first_bridge),
		cmocka_unit_test(test_pick_skips_docker),
		cmocka_unit_test(test_pick_skips_unusable),
		cmocka_unit_test(test_pick_running_domains),
		cmocka_unit_test(test_pick_wanted_needs_ipv4_without_targets),
		cmocka_unit_test(test_pick_wanted_docker_name),
		cmocka_unit_test(test_pick_vm_bridge),
		cmocka_unit_test(test_pick_subnet_holds_target),
		cmocka_unit_test(test_pick_subnet_prefers_bridge),
		cmocka_unit_test(test_pick_docker_subnet_target),
		cmocka_unit_test(test_pick_targets_nothing_usable),
		cmocka_unit_test(test_pick_prefix_edges),
		cmocka_unit_test(test_pick_short_buffers),
		cmocka_unit_test(test_is_docker),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
