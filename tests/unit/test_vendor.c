/* Unit tests for report/vendor: IEEE CSV and arp-scan files, longest prefix, fallbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "../../report/vendor.h"

#define IEEE_OUI	"/usr/share/ieee-data/oui.csv"

/* Writes text to a fresh temporary file; the caller unlinks it. */
static char *
write_tmp(const char *text)
{
	const char *dir = getenv("TMPDIR");
	char *path;
	size_t len = strlen(text);
	int fd;

	if (dir == NULL || dir[0] == '\0')
		dir = "/tmp";
	path = malloc(strlen(dir) + 32);
	assert_non_null(path);
	sprintf(path, "%s/test_vendor.XXXXXX", dir);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
	return path;
}

static struct vendor_db *
load_text(const char *text, char *warn, size_t warnlen)
{
	char *path = write_tmp(text);
	struct vendor_db *db = vendor_load(path, warn, warnlen);

	unlink(path);
	free(path);
	assert_non_null(db);
	return db;
}

static const char *
lookup(const struct vendor_db *db, uint8_t a, uint8_t b, uint8_t c, uint8_t d,
       uint8_t e, uint8_t f)
{
	const uint8_t mac[6] = { a, b, c, d, e, f };

	return vendor_lookup(db, mac);
}

static void
test_csv_quoted_and_longest_prefix(void **state)
{
	/* CRLF rows, a quoted address spanning lines, an MA-L/MA-M/MA-S nest. */
	static const char csv[] =
		"Registry,Assignment,Organization Name,Organization Address\r\n"
		"MA-L,001122,\"Acme, Inc.\",\"1 Road, Town\r\nSecond line US\"\r\n"
		"MA-M,0011223,\"The \"\"Quoted\"\" Co\",Somewhere\r\n"
		"MA-S,001122345,  Tiny Block Ltd  ,\"x, y\"\r\n"
		"IAB,0050C27D5,DEUTA-WERKE GmbH,Street 1\r\n"
		"MA-L,0050C2,IEEE Registration Authority,Piscataway\r\n"
		"MA-L,aabbcc,lower case hex,\r\n"
		"MA-L,001122,Second Owner Of 001122,ignored duplicate\r\n"
		"MA-L,DDEEFF,\"\tTabbed\tName \",\r\n";
	char warn[256];
	struct vendor_db *db = load_text(csv, warn, sizeof(warn));

	(void)state;
	assert_string_equal(warn, "");
	assert_int_equal(vendor_count(db), 7);
	/* 36 bits beat 28 and 24. */
	assert_string_equal(lookup(db, 0x00, 0x11, 0x22, 0x34, 0x5f, 0xff),
			    "Tiny Block Ltd");
	/* Inside the MA-M block but outside the MA-S one. */
	assert_string_equal(lookup(db, 0x00, 0x11, 0x22, 0x33, 0x00, 0x01),
			    "The \"Quoted\" Co");
	assert_string_equal(lookup(db, 0x00, 0x11, 0x22, 0x34, 0x60, 0x00),
			    "The \"Quoted\" Co");
	/* Outside both: the MA-L, first row of the duplicate pair. */
	assert_string_equal(lookup(db, 0x00, 0x11, 0x22, 0x40, 0x00, 0x00),
			    "Acme, Inc.");
	assert_string_equal(lookup(db, 0x00, 0x50, 0xc2, 0x7d, 0x50, 0x00),
			    "DEUTA-WERKE GmbH");
	assert_string_equal(lookup(db, 0x00, 0x50, 0xc2, 0x7d, 0x60, 0x00),
			    "IEEE Registration Authority");
	assert_string_equal(lookup(db, 0xaa, 0xbb, 0xcc, 0, 0, 0),
			    "lower case hex");
	/* Control characters must not reach a terminal. */
	assert_string_equal(lookup(db, 0xdd, 0xee, 0xff, 0, 0, 0),
			    "Tabbed Name");
	assert_string_equal(lookup(db, 0x00, 0x11, 0x21, 0xff, 0xff, 0xff),
			    "(unknown)");
	vendor_free(db);
}

static void
test_arpscan_file(void **state)
{
	static const char txt[] =
		"# arp-scan style vendor file\n"
		"\n"
		"000000\tXEROX CORPORATION\n"
		"08002b   Digital Equipment\n"
		"741AE09\tPrivate\n"
		"70B3D5F2F\tTELEPLATFORMS   \r\n"
		"   # indented comment\n"
		"MA-L,00D0EF,IGT,Reno\n"		/* CSV rows may be mixed in */
		"12345\tfive digits is not a prefix\n"
		"0011223344\tten neither\n"
		"001122\n"				/* no name */
		"just some words\n";
	char warn[512];
	struct vendor_db *db = load_text(txt, warn, sizeof(warn));

	(void)state;
	assert_int_equal(vendor_count(db), 5);
	assert_string_equal(lookup(db, 0, 0, 0, 1, 2, 3), "XEROX CORPORATION");
	assert_string_equal(lookup(db, 0x08, 0x00, 0x2b, 6, 7, 8),
			    "Digital Equipment");
	assert_string_equal(lookup(db, 0x74, 0x1a, 0xe0, 0x90, 0, 0), "Private");
	assert_string_equal(lookup(db, 0x74, 0x1a, 0xe0, 0xa0, 0, 0),
			    "(unknown)");
	assert_string_equal(lookup(db, 0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0),
			    "TELEPLATFORMS");
	assert_string_equal(lookup(db, 0x00, 0xd0, 0xef, 0, 0, 0), "IGT");
	/* Four bad lines, counted, and the first one located. */
	assert_non_null(strstr(warn, "skipped 4 lines"));
	assert_non_null(strstr(warn, "first at line 9"));
	vendor_free(db);
}

static void
test_unterminated_quote(void **state)
{
	static const char csv[] =
		"Registry,Assignment,Organization Name,Organization Address\n"
		"MA-L,112233,\"Never closed,addr\n"
		"MA-L,445566,After The Bad One,addr\n";
	char warn[512];
	struct vendor_db *db = load_text(csv, warn, sizeof(warn));

	(void)state;
	/* The open quote must not swallow the valid row after it. */
	assert_int_equal(vendor_count(db), 1);
	assert_string_equal(lookup(db, 0x44, 0x55, 0x66, 0, 0, 0),
			    "After The Bad One");
	assert_string_equal(lookup(db, 0x10, 0x22, 0x33, 0, 0, 0),
			    "(unknown)");
	assert_non_null(strstr(warn, "skipped 1 line "));
	vendor_free(db);
}

/* Found by the vendor fuzz harness: control bytes become spaces, so a
 * name made of them alone was stored empty, and one starting with one
 * came out with a leading blank. From memory, as vendor_load_buffer(). */
static void
test_control_characters(void **state)
{
	static const char txt[] =
		"000000\t\001\002\n"			/* no name once cleaned */
		"000001\t\001Lead\x7f Tail\001\n"
		"MA-L,000002,\"\002\",addr\n";		/* CSV: the same */
	char warn[512];
	struct vendor_db *db = vendor_load_buffer(txt, sizeof(txt) - 1, "x.txt",
	    warn, sizeof(warn));

	(void)state;
	assert_non_null(db);
	assert_int_equal(vendor_count(db), 1);
	assert_string_equal(lookup(db, 0, 0, 1, 0, 0, 0), "Lead  Tail");
	assert_string_equal(lookup(db, 0, 0, 0, 0, 0, 0), "(unknown)");
	assert_non_null(strstr(warn, "x.txt: skipped 2 lines"));
	vendor_free(db);
}

static void
test_missing_file(void **state)
{
	static const char path[] = "/nonexistent/arpsweep-test/oui.csv";
	char warn[512];
	struct vendor_db *db = vendor_load(path, warn, sizeof(warn));

	(void)state;
	assert_non_null(db);
	assert_int_equal(vendor_count(db), 0);
	assert_non_null(strstr(warn, path));
	assert_non_null(strstr(warn, "No such file or directory"));
	assert_string_equal(lookup(db, 0x08, 0x00, 0x2b, 6, 7, 8), "(unknown)");
	assert_string_equal(lookup(db, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56),
			    "QEMU/KVM (locally administered)");
	assert_string_equal(lookup(db, 0x02, 0x42, 0xac, 0x11, 0x00, 0x02),
			    "(locally administered)");
	/* A tiny warning buffer is truncated, never overrun. */
	vendor_free(db);
	db = vendor_load(path, warn, 8);
	assert_non_null(db);
	assert_true(strlen(warn) < 8);
	vendor_free(db);
	db = vendor_load(path, NULL, 0);
	assert_non_null(db);
	vendor_free(db);
}

static void
test_fallbacks(void **state)
{
	static const char txt[] =
		"525400\tRegistered Over QEMU\n"
		"0A0B0C\tRegistered Local Block\n";
	char warn[256];
	struct vendor_db *db = load_text(txt, warn, sizeof(warn));

	(void)state;
	assert_string_equal(warn, "");
	/* Registry names win over both fallbacks. */
	assert_string_equal(lookup(db, 0x52, 0x54, 0x00, 1, 2, 3),
			    "Registered Over QEMU");
	assert_string_equal(lookup(db, 0x0a, 0x0b, 0x0c, 1, 2, 3),
			    "Registered Local Block");
	vendor_free(db);

	db = load_text("", warn, sizeof(warn));
	assert_int_equal(vendor_count(db), 0);
	assert_string_not_equal(warn, "");
	assert_string_equal(lookup(db, 0x52, 0x54, 0x00, 0xab, 0xcd, 0xef),
			    "QEMU/KVM (locally administered)");
	/* 52:54:01 is merely locally administered. */
	assert_string_equal(lookup(db, 0x52, 0x54, 0x01, 0, 0, 0),
			    "(locally administered)");
	assert_string_equal(lookup(db, 0x0e, 0, 0, 0, 0, 0),
			    "(locally administered)");
	assert_string_equal(lookup(db, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff),
			    "(locally administered)");
	/* The I/G bit alone does not make an address local. */
	assert_string_equal(lookup(db, 0x01, 0x00, 0x5e, 0, 0, 1), "(unknown)");
	assert_string_equal(lookup(db, 0x00, 0x00, 0x00, 0, 0, 0), "(unknown)");
	vendor_free(db);
}

static void
test_installed_ieee_data(void **state)
{
	/* The replies of arp-scan's pkt-ieee-regcheck.pcap: IAB, MA-M, MA-L, MA-S. */
	static const uint8_t macs[][6] = {
		{ 0x00, 0x50, 0xc2, 0x7d, 0x50, 0x00 },
		{ 0x74, 0x1a, 0xe0, 0x90, 0x00, 0x00 },
		{ 0x00, 0x22, 0x72, 0x00, 0x00, 0x00 },
		{ 0x70, 0xb3, 0xd5, 0xf2, 0xf0, 0x00 },
	};
	static const uint8_t dec[6] = { 0x08, 0x00, 0x2b, 0x06, 0x07, 0x08 };
	struct timespec t0, t1;
	struct vendor_db *db;
	char warn[512];
	size_t i;

	(void)state;
	if (access(IEEE_OUI, R_OK) != 0) {
		printf("skip: %s absent (install ieee-data)\n", IEEE_OUI);
		skip();
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	db = vendor_load(NULL, warn, sizeof(warn));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_non_null(db);
	assert_string_equal(warn, "");
	printf("ieee-data: %zu prefixes loaded in %.1f ms\n", vendor_count(db),
	       (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	assert_true(vendor_count(db) > 1000);
	assert_int_equal(strcasecmp(vendor_lookup(db, dec),
				    "DIGITAL EQUIPMENT CORPORATION"), 0);
	for (i = 0; i < sizeof(macs) / sizeof(macs[0]); i++) {
		const char *v = vendor_lookup(db, macs[i]);

		printf("  %02x:%02x:%02x:%02x:%02x:%02x  %s\n", macs[i][0],
		       macs[i][1], macs[i][2], macs[i][3], macs[i][4],
		       macs[i][5], v);
		assert_true(v[0] != '\0');
		assert_string_not_equal(v, "(unknown)");
		assert_string_not_equal(v, "(locally administered)");
		assert_string_not_equal(v, "QEMU/KVM (locally administered)");
	}
	vendor_free(db);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_quoted_and_longest_prefix),
		cmocka_unit_test(test_arpscan_file),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_control_characters),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_fallbacks),
		cmocka_unit_test(test_installed_ieee_data),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
