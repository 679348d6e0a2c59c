/* fmt: address and time formatting shared by findings and output. */
#include "fmt.h"

#include <stdio.h>
#include <time.h>

char *
fmt_mac(char buf[18], const uint8_t mac[6])
{
	snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1],
	    mac[2], mac[3], mac[4], mac[5]);
	return buf;
}

char *
fmt_ip(char buf[16], uint32_t ip)
{
	snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff,
	    (ip >> 8) & 0xff, ip & 0xff);
	return buf;
}

char *
fmt_time(char buf[32], int64_t ns)
{
	/* Floor division keeps pre-1970 stamps (forged files) well-formed. */
	int64_t sec = ns / 1000000000;
	int64_t rem = ns % 1000000000;
	struct tm tm;

	if (rem < 0) {
		rem += 1000000000;
		sec--;
	}
	time_t t = (time_t)sec;
	if (gmtime_r(&t, &tm) == NULL) {
		snprintf(buf, 32, "invalid");
		return buf;
	}
	/* strftime bounds the year's width, which snprintf cannot prove. */
	size_t n = strftime(buf, 32, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, 32 - n, ".%06ldZ", (long)(rem / 1000));
	return buf;
}
