/* Unit tests for scanner/virt: libvirt's test driver (no daemon), or the LIBVIRT=no build's refusal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../scanner/virt.h"

static char err[512];

#if defined(__SANITIZE_THREAD__)
#define TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define TSAN 1
#endif
#endif
#ifdef TSAN
/*
 * libvirt (not built with TSan) destroys a mutex it still holds on the
 * test driver's failure path; that is its own business, not a race of ours.
 */
const char *__tsan_default_suppressions(void);
const char *
__tsan_default_suppressions(void)
{
	return "mutex:libvirt.so\n";
}
#endif

/* Runs f with stderr sent to a file; returns how many bytes it wrote. */
static long
stderr_bytes(int (*f)(struct inventory *, const char *), struct inventory *inv,
    const char *uri, int *rc)
{
	char path[] = "/tmp/test_virt.XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	long n;

	assert_true(fd >= 0 && saved >= 0);
	fflush(stderr);
	dup2(fd, 2);
	*rc = f(inv, uri);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = lseek(fd, 0, SEEK_END);
	close(fd);
	unlink(path);
	return n;
}

static int
load(struct inventory *inv, const char *uri)
{
	return virt_load(inv, uri, err, sizeof(err));
}

#if HAVE_LIBVIRT
static void
test_node(void **state)
{
	char cwd[PATH_MAX], uri[PATH_MAX + 64];
	struct inventory *inv = inventory_new();
	const struct vm_iface *const *run;
	const struct dhcp_binding *const *b;
	const struct vm_network *net;
	int rc;

	(void)state;
	assert_true(virt_available());
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(uri, sizeof(uri), "test://%s/tests/fixtures/libvirt/node.xml",
	    cwd);
	assert_int_equal(stderr_bytes(load, inv, uri, &rc), 0);
	if (rc < 0)
		print_message("%s\n", err);
	assert_int_equal(rc, 3);
	assert_int_equal(inventory_finish(inv), 0);
	/* Two running domains with one MAC, each seen live and defined. */
	assert_int_equal(inventory_vms_by_mac(inv,
	    (const uint8_t *)"\x52\x54\x00\x12\x34\x56", &run), 2);
	assert_string_equal(run[0]->domain, "clone-a");
	assert_string_equal(run[1]->domain, "clone-b");
	for (int i = 0; i < 2; i++) {
		assert_int_equal(run[i]->state, VM_STATE_RUNNING);
		assert_int_equal(run[i]->views, VM_VIEW_LIVE | VM_VIEW_CONFIG);
		assert_int_equal(run[i]->type, VM_IF_NETWORK);
		assert_string_equal(run[i]->source, "default");
		/* The test driver names every tap testnet0. */
		assert_string_equal(run[i]->target, "testnet0");
		assert_string_equal(run[i]->origin, uri);
	}
	assert_int_equal(inventory_vms_by_mac(inv,
	    (const uint8_t *)"\x52\x54\x00\x12\x34\x57", &run), 1);
	assert_int_equal(run[0]->index, 1);
	/* The domain that is only defined. */
	assert_int_equal(inventory_vms_by_mac(inv,
	    (const uint8_t *)"\x52\x54\x00\x00\xde\xad", &run), 1);
	assert_string_equal(run[0]->domain, "stopped");
	assert_int_equal(run[0]->state, VM_STATE_SHUTOFF);
	assert_int_equal(run[0]->views, VM_VIEW_CONFIG);
	assert_int_equal(inventory_nvms(inv), 4);
	/* The network, its bridge and its DHCP host; no leases here. */
	net = inventory_network_by_name(inv, "default");
	assert_non_null(net);
	assert_string_equal(net->bridge, "virbr0");
	assert_int_equal(inventory_bindings_by_mac(inv,
	    (const uint8_t *)"\x52\x54\x00\x12\x34\x56", &b), 1);
	assert_int_equal(b[0]->ip, 0xc0a87a58u);
	assert_string_equal(b[0]->name, "clone");
	assert_int_equal(b[0]->kind, BINDING_LIBVIRT);
	assert_int_equal(inventory_nleases(inv), 0);
	inventory_free(inv);
}

static void
test_unreachable(void **state)
{
	struct inventory *inv = inventory_new();
	int rc;

	(void)state;
	/* libvirt's own error printing stays off: one line, in errbuf. */
	assert_int_equal(stderr_bytes(load, inv,
	    "test:///nonexistent/node.xml", &rc), 0);
	assert_int_equal(rc, -1);
	assert_non_null(strstr(err, "libvirt test:///nonexistent/node.xml: "
	    "cannot connect read-only"));
	assert_null(strchr(err, '\n'));
	assert_int_equal(inventory_nvms(inv), 0);
	inventory_free(inv);
}
#else
static void
test_built_without(void **state)
{
	struct inventory *inv = inventory_new();
	int rc;

	(void)state;
	assert_false(virt_available());
	assert_int_equal(stderr_bytes(load, inv, "qemu:///system", &rc), 0);
	assert_int_equal(rc, -1);
	assert_string_equal(err, "libvirt qemu:///system: this arpsweep was "
	    "built without libvirt (LIBVIRT=no or no libvirt-dev); rebuild "
	    "with libvirt-dev, or give saved domain XML with --vm-xml");
	inventory_free(inv);
}
#endif

int
main(void)
{
	const struct CMUnitTest tests[] = {
#if HAVE_LIBVIRT
		cmocka_unit_test(test_node),
		cmocka_unit_test(test_unreachable),
#else
		cmocka_unit_test(test_built_without),
#endif
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
