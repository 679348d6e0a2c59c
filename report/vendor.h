/* vendor: MAC -> organisation, longest prefix over the IEEE registries. */
#ifndef ARPSWEEP_VENDOR_H
#define ARPSWEEP_VENDOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct vendor_db;

/*
 * Load the registries. With path == NULL: Debian's ieee-data (MA-L, MA-M,
 * MA-S, IAB CSV files under /usr/share/ieee-data); files that are missing
 * are skipped. With a path: that one file, either IEEE CSV
 * ("Registry,Assignment,Organization Name,...") or arp-scan style
 * "HEXPREFIX<whitespace>Name" lines (6, 7 or 9 hex digits).
 * Never fails for missing data: returns an empty db and writes a warning
 * into warn (warn[0] == '\0' when all went well). Returns NULL only when
 * out of memory.
 */
struct vendor_db *vendor_load(const char *path, char *warn, size_t warnlen);

/*
 * The same for one file the caller opened (before dropping privileges: a
 * --oui file only root can read), named name in warnings; f == NULL when
 * opening it failed with errno open_err. f is left open.
 */
struct vendor_db *vendor_load_file(FILE *f, int open_err, const char *name,
    char *warn, size_t warnlen);
/*
 * The same from bytes already in memory (either format, as for a path);
 * name stands for the file in warnings. Returns NULL only when out of memory.
 */
struct vendor_db *vendor_load_buffer(const char *buf, size_t len,
    const char *name, char *warn, size_t warnlen);
void vendor_free(struct vendor_db *db);

/* Number of prefixes loaded. */
size_t vendor_count(const struct vendor_db *db);

/*
 * The organisation for mac, longest prefix first (36, 28, then 24 bits).
 * When unknown: "QEMU/KVM (locally administered)" for 52:54:00,
 * "(locally administered)" when the U/L bit is set, else "(unknown)".
 * The string lives as long as db.
 */
const char *vendor_lookup(const struct vendor_db *db, const uint8_t mac[6]);

#endif
