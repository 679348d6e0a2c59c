/* fmt: addresses and times as every output format writes them. */
#ifndef ARPSWEEP_FMT_H
#define ARPSWEEP_FMT_H

#include <stdint.h>

/* "aa:bb:cc:dd:ee:ff" */
char *fmt_mac(char buf[18], const uint8_t mac[6]);
/* "a.b.c.d" from a host-order address */
char *fmt_ip(char buf[16], uint32_t ip);
/* RFC 3339 UTC with microseconds: "2026-01-01T00:00:00.000200Z" */
char *fmt_time(char buf[32], int64_t ns);

#endif
