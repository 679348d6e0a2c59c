/* sendbench: arpsweep's sender alone (scanner/sender.c, no capture) sweeping a range at --rate max, for the benchmark. */

/*
 * The benchmark's "send path alone": the same sender_open/sender_run a sweep
 * runs, driven without the receiver, so the packets/s it prints is the
 * sender's own, comparable with tests/tools/rawsend on the same link. In a
 * real sweep the receiver's capture also sees every request as it leaves
 * (the kernel copies each one to the packet tap), which the benchmark
 * measures separately. Nothing answers here: every pass asks every target.
 */

#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../../scanner/sender.h"
#include "../../scanner/targets.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: sendbench -i IFACE [-t NET/LEN] [-p PASSES] [-s SENDER_IP]\n"
	    "  -t NET/LEN   targets (default 198.18.0.0/15)\n"
	    "  -p PASSES    passes over them, 1 + retries (default 2)\n"
	    "  -s IP        sender IP in the requests (default 198.18.0.1)\n"
	    "Prints: sent N frames in S s: P pps (send phase, as stats.send_s)\n");
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int
main(int argc, char **argv)
{
	const char *ifname = NULL, *spec = "198.18.0.0/15", *src = "198.18.0.1";
	char err[512] = "";
	struct sender_config cfg;
	struct sweep_state st;
	struct in_addr a;
	struct ifreq ifr;
	unsigned passes = 2;
	struct targets *t;
	struct sender *s;
	int opt, fd;

	while ((opt = getopt(argc, argv, "i:t:p:s:h")) != -1) {
		switch (opt) {
		case 'i': ifname = optarg; break;
		case 't': spec = optarg; break;
		case 'p': passes = (unsigned)strtoul(optarg, NULL, 10); break;
		case 's': src = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (ifname == NULL || strlen(ifname) >= IFNAMSIZ || passes == 0 ||
	    passes > 100 || inet_pton(AF_INET, src, &a) != 1) {
		usage(stderr);
		return 2;
	}
	if ((t = targets_new()) == NULL ||
	    targets_add_spec(t, spec, err) == -1) {
		fprintf(stderr, "sendbench: targets %s: %s\n", spec, err);
		return 2;
	}
	targets_finish(t);

	memset(&cfg, 0, sizeof(cfg));
	cfg.ifname = ifname;
	cfg.spa = ntohl(a.s_addr);
	cfg.vlan = -1;
	cfg.rate = 1;
	cfg.rate_max = true;
	cfg.retries = passes - 1;
	cfg.timeout_ns = 1000000;	/* nothing will answer */
	cfg.targets = t;
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd == -1 || ioctl(fd, SIOCGIFHWADDR, &ifr) == -1) {
		fprintf(stderr, "sendbench: interface %s: no hardware address\n",
		    ifname);
		return 2;
	}
	close(fd);
	memcpy(cfg.mac, ifr.ifr_hwaddr.sa_data, 6);

	memset(&st, 0, sizeof(st));
	uint64_t words = (targets_count(t) + 63) / 64;
	st.answered = calloc(words, sizeof(*st.answered));
	st.suspect = calloc(words, sizeof(*st.suspect));
	if (st.answered == NULL || st.suspect == NULL) {
		fprintf(stderr, "sendbench: out of memory\n");
		return 2;
	}
	atomic_init(&st.eta_ns, -1);
	if ((s = sender_open(&cfg, err, sizeof(err))) == NULL) {
		fprintf(stderr, "sendbench: %s\n", err);
		return 2;
	}
	int64_t t0 = now_ns();
	sender_run(s, &st);
	int64_t wall = now_ns() - t0;
	sender_close(s);

	uint64_t sent = atomic_load(&st.sent);
	double busy = (double)atomic_load(&st.send_ns) / 1e9;
	printf("sent %" PRIu64 " frames in %.6f s: %.0f pps (%" PRIu64
	    " errors; %.6f s with the waits)\n", sent, busy,
	    busy > 0 ? (double)sent / busy : 0.0,
	    (uint64_t)atomic_load(&st.send_errors), (double)wall / 1e9);
	free(st.answered);
	free(st.suspect);
	targets_free(t);
	return atomic_load(&st.send_errors) > 0;
}
