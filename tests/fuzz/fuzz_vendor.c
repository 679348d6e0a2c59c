/*
 * fuzz_vendor: the --oui parser (IEEE CSV with quoted fields, and arp-scan
 * "HEX<tab>Name" lines, mixed as a file may mix them) from memory, then
 * lookups of prefixes taken from the input.
 */
#include <string.h>

#include "../../report/vendor.h"
#include "fuzz.h"

/* Names reach a terminal and CSV: no control characters, no edge spaces. */
static void
check_name(const char *name)
{
	size_t len = strlen(name);

	FUZZ_ASSERT(len > 0);
	FUZZ_ASSERT(name[0] != ' ' && name[len - 1] != ' ');
	for (size_t i = 0; i < len; i++)
		FUZZ_ASSERT((unsigned char)name[i] >= 0x20 && name[i] != 0x7f);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char warn[512];
	struct vendor_db *db;
	uint8_t mac[6];

	db = vendor_load_buffer((const char *)data, size, "fuzz.txt", warn,
	    sizeof(warn));
	if (db == NULL)
		return 0;
	FUZZ_ASSERT(strlen(warn) < sizeof(warn));
	FUZZ_ASSERT(strchr(warn, '\n') == NULL);
	FUZZ_ASSERT((vendor_count(db) == 0) == (strstr(warn,
	    "no prefixes found") != NULL));
	/* Every 6-byte window as a MAC; a few hundred at most. */
	for (size_t i = 0; i + 6 <= size && i < 256; i++) {
		memcpy(mac, data + i, 6);
		check_name(vendor_lookup(db, mac));
	}
	memset(mac, 0, sizeof(mac));
	check_name(vendor_lookup(db, mac));
	vendor_free(db);
	return 0;
}
