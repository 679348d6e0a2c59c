/* fuzz_domxml: libvirt domain (and domstatus) XML from memory, as --vm-xml reads it. */
#include "../../report/domxml.h"
#include "fuzz_inv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inventory *inv = inventory_new();
	char err[512];
	int n;

	if (inv == NULL)
		return 0;
	err[0] = '\0';
	n = domxml_parse(inv, (const char *)data, size, "fuzz.xml",
	    DOMXML_DOMAIN, VM_STATE_DEFINED, err, sizeof(err));
	fuzz_check_result(inv, n, err, sizeof(err));
	inventory_free(inv);
	return 0;
}
