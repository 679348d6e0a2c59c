/* fuzz_kea: Kea DHCPv4 JSON with comments, from memory. */
#include "../../report/dhcp.h"
#include "fuzz_inv.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_dhcp_parse(data, size, DHCP_KEA);
}
