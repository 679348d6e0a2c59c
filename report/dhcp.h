/* dhcp: DHCP server configurations and lease files -> inventory bindings and leases. */
#ifndef ARPSWEEP_DHCP_H
#define ARPSWEEP_DHCP_H

#include <stddef.h>

#include "inventory.h"

enum dhcp_format {
	DHCP_UNKNOWN = -1,
	DHCP_AUTO = 0,		/* recognise from the content */
	DHCP_EMPTY,		/* nothing but blanks and comments */
	DHCP_ISC,		/* ISC dhcpd.conf */
	DHCP_DNSMASQ_CONF,	/* dnsmasq.conf: dhcp-host= lines */
	DHCP_DNSMASQ_HOSTS,	/* --dhcp-hostsfile: the same without "dhcp-host=" */
	DHCP_DNSMASQ_LEASES,	/* EXPIRY MAC IP HOSTNAME CLIENTID */
	DHCP_LIBVIRT_XML,	/* libvirt network XML <dhcp><host> */
	DHCP_LIBVIRT_STATUS,	/* /var/lib/libvirt/dnsmasq/BRIDGE.status */
	DHCP_KEA,		/* Kea DHCPv4 JSON (with comments) */
	DHCP_NFORMATS
};

/* Nested includes (ISC include, dnsmasq conf-file, dhcp-hostsfile). */
#define DHCP_MAX_INCLUDE_DEPTH	8
/* JSON values in one file: json-c's tree costs ~100 bytes each. */
#define DHCP_MAX_JSON_VALUES	(1u << 21)

/* The format of buf, never DHCP_AUTO; DHCP_UNKNOWN when none fits. */
int dhcp_detect(const char *buf, size_t len);
const char *dhcp_format_name(int format);

/*
 * Parse buf as format (DHCP_AUTO: recognised from the content) into inv:
 * bindings from configurations, leases from lease files. origin names it
 * in records and messages. From memory, includes are refused. All or
 * nothing: on error inv is unchanged and errbuf holds one line
 * "ORIGIN:LINE: what is wrong" that quotes no control characters. Returns
 * the number of records added, -1 on error.
 */
int dhcp_parse(struct inventory *inv, const char *buf, size_t len,
    const char *origin, int format, char *errbuf, size_t errlen);

/*
 * Read fd (opened by the caller, still theirs) as dhcp_parse(DHCP_AUTO).
 * Includes are opened relative to the directory of name, at most
 * DHCP_MAX_INCLUDE_DEPTH deep; a file that includes itself is refused.
 * Error messages quote a file's content only when the file is readable by
 * everyone: root may read a file whose content the user may not see.
 */
int dhcp_load(struct inventory *inv, int fd, const char *name, char *errbuf,
    size_t errlen);

/* Open path and dhcp_load() it. */
int dhcp_load_path(struct inventory *inv, const char *path, char *errbuf,
    size_t errlen);

#endif
