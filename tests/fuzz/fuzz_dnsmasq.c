/* fuzz_dnsmasq: dnsmasq conf, hostsfile and lease file, from memory; the first byte picks which. */
#include "../../report/dhcp.h"
#include "fuzz_inv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int formats[] = { DHCP_DNSMASQ_CONF, DHCP_DNSMASQ_HOSTS,
	    DHCP_DNSMASQ_LEASES };
	struct inventory *inv;
	char err[512];
	int n;

	if (size == 0 || (inv = inventory_new()) == NULL)
		return 0;
	err[0] = '\0';
	n = dhcp_parse(inv, (const char *)data + 1, size - 1, "fuzz",
	    formats[data[0] % 3], err, sizeof(err));
	fuzz_check_result(inv, n, err, sizeof(err));
	inventory_free(inv);
	return 0;
}
