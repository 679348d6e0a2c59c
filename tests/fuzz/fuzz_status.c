/* fuzz_status: libvirt's dnsmasq status JSON, from memory. */
#include "../../report/dhcp.h"
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
	n = dhcp_parse(inv, (const char *)data, size, "fuzz", DHCP_LIBVIRT_STATUS, err,
	    sizeof(err));
	fuzz_check_result(inv, n, err, sizeof(err));
	inventory_free(inv);
	return 0;
}
