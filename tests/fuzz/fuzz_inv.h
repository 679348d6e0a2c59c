/* fuzz_inv: invariants every inventory harness checks after a parse. */
#ifndef ARPSWEEP_FUZZ_INV_H
#define ARPSWEEP_FUZZ_INV_H

#include <string.h>

#include "../../report/dhcp.h"
#include "../../report/inventory.h"
#include "fuzz.h"

/* Strings from hostile files reach terminals: printable, bounded. */
static inline void
fuzz_check_str(const char *s)
{
	if (s == NULL)
		return;
	FUZZ_ASSERT(strlen(s) <= INV_MAX_STR);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		FUZZ_ASSERT(*p >= 0x20 && *p != 0x7f &&
		    !(p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f));
}

/* An error is one printable line; nothing of a failed parse is kept. */
static inline void
fuzz_check_result(struct inventory *inv, int n, const char *err, size_t errlen)
{
	size_t total = inventory_nvms(inv) + inventory_nnetworks(inv) +
	    inventory_nbindings(inv) + inventory_nleases(inv);

	if (n < 0) {
		FUZZ_ASSERT(total == 0);
		FUZZ_ASSERT(strlen(err) > 0 && strlen(err) < errlen);
		for (const unsigned char *p = (const unsigned char *)err; *p; p++)
			FUZZ_ASSERT(*p >= 0x20 && *p < 0x7f);
		return;
	}
	FUZZ_ASSERT((size_t)n == total);
	FUZZ_ASSERT(inventory_finish(inv) == 0);
	for (size_t i = 0; i < inventory_nvms(inv); i++) {
		const struct vm_iface *v = inventory_vm(inv, i), *const *run;
		size_t k = inventory_vms_by_mac(inv, v->mac, &run), j;

		for (j = 0; j < k && run[j] != v; j++)
			;
		FUZZ_ASSERT(j < k);
		fuzz_check_str(v->domain);
		fuzz_check_str(v->source);
		fuzz_check_str(v->target);
		fuzz_check_str(v->alias);
		FUZZ_ASSERT(v->type < VM_IF_NTYPES && v->state < VM_STATE_NSTATES);
	}
	for (size_t i = 0; i < inventory_nnetworks(inv); i++) {
		fuzz_check_str(inventory_network(inv, i)->name);
		fuzz_check_str(inventory_network(inv, i)->bridge);
	}
	for (size_t i = 0; i < inventory_nbindings(inv); i++) {
		const struct dhcp_binding *b = inventory_binding(inv, i), *const *run;
		size_t k = inventory_bindings_by_mac(inv, b->mac, &run), j;

		for (j = 0; j < k && run[j] != b; j++)
			;
		FUZZ_ASSERT(j < k);
		if (b->ip != 0) {
			k = inventory_bindings_by_ip(inv, b->ip, &run);
			for (j = 0; j < k && run[j] != b; j++)
				;
			FUZZ_ASSERT(j < k);
		}
		FUZZ_ASSERT(b->kind < BINDING_NKINDS);
		fuzz_check_str(b->name);
		fuzz_check_str(b->addr_name);
	}
	for (size_t i = 0; i < inventory_nleases(inv); i++) {
		const struct dhcp_lease *l = inventory_lease(inv, i), *const *run;
		size_t k = inventory_leases_by_mac(inv, l->mac, &run);

		FUZZ_ASSERT(k > 0);
		fuzz_check_str(l->hostname);
		fuzz_check_str(l->client_id);
	}
}

/*
 * The whole of a DHCP-format harness: parse the bytes as fmt into a fresh
 * inventory and check the result.
 */
static inline int
fuzz_dhcp_parse(const uint8_t *data, size_t size, enum dhcp_format fmt)
{
	struct inventory *inv = inventory_new();
	char err[512];
	int n;

	if (inv == NULL)
		return 0;
	err[0] = '\0';
	n = dhcp_parse(inv, (const char *)data, size, "fuzz", fmt, err,
	    sizeof(err));
	fuzz_check_result(inv, n, err, sizeof(err));
	inventory_free(inv);
	return 0;
}

#endif
