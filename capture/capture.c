/* capture: libpcap file/live handles, ARP BPF filter, receive loop, counters and -w recording. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <stdatomic.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

#include <poll.h>
#include <pthread.h>
#include <unistd.h>

#include <linux/filter.h>
#include <linux/if_packet.h>
#include <pcap/pcap.h>

#include "ports.h"

#include "atomic_out.h"
#include "escape.h"
#include "capture.h"

#define LIVE_SNAPLEN	256
/* TPACKET_V3 hands over a block only when it is full or its timer fires;
 * pcap_create's default timeout 0 means a 49-day timer (notes §2.1). */
#define LIVE_TIMEOUT_MS	5
#define STATS_EVERY	1024	/* frames between pcap_stats() refreshes */

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING	23	/* Linux >= 4.20 */
#endif

/*
 * Bridge mode merges two handles by time stamp: a frame is held until the
 * other handle can no longer deliver an earlier one. The `any` handle's
 * ring hands over a block when its LIVE_TIMEOUT_MS timer fires, so a
 * frame of it may surface that late (and later under load): hold the
 * bridge's frames this long past their stamp unless `any` has a later one.
 * The bridge's handle is in immediate mode: what it stamped before we
 * started reading it is in its ring, give or take the copy (MERGE_SLACK).
 */
#define MERGE_WINDOW_NS	30000000LL
#define MERGE_SLACK_NS	1000000LL
#define MQ_MIN		1024u
#define MQ_MAX		65536u	/* frames held per handle, at most */
#define SLL2_LEN	20
#define MQ_SNAP		(LIVE_SNAPLEN + SLL2_LEN + 4)

/*
 * The kernel strips the outer tag (802.1Q or 802.1ad) before BPF runs, so
 * plain `arp` already matches single-tagged ARP live; the last clause catches
 * the inner 802.1Q tag of a QinQ frame, which stays inline. Constant offsets
 * only: the `vlan` keyword is miscompiled inside `or` by libpcap 1.10.3
 * (notes §2.3).
 */
static const char live_filter[] =
    "arp or (ether[12:2] <= 1500 and ether[14:4] = 0xaaaa0300 and "
    "ether[20:2] = 0x0806) or (ether[12:2] = 0x8100 and "
    "ether[16:2] = 0x0806)";

/* One frame held for the merge, in SLL2 form. */
struct mframe {
	int64_t		ts_ns;
	struct pcap_pkthdr h;
	uint8_t		b[MQ_SNAP];
};

/* A handle's frames waiting for the merge: a ring that grows. */
struct mqueue {
	struct mframe	*f;
	unsigned	cap, head, n;
};

struct capture {
	pcap_t		*p;
	pcap_dumper_t	*dumper;	/* -w recording, or NULL */
	struct atomic_out *record;	/* its file, renamed in place at close */
	int		record_err;	/* errno of the first failed write */
	char		*name;		/* file path or interface, for messages */
	int		link;
	bool		live;
	bool		nano;		/* tv_usec holds nanoseconds */
	capture_cb	cb;
	void		*user;
	struct capture_stats stats;
	/* Bridge mode: `any` with SLL2, frames of the bridge's ports only. */
	bool		bridge;
	int32_t		br_ifindex;
	struct ports	ports;		/* live: learnt; replay: from pcapng */
	FILE		*ng;		/* -w in bridge mode: pcapng by hand */
	uint32_t	ng_id[PORTS_MAX + 1]; /* interface id of ports.p[i], +1;
					   [PORTS_MAX]: frames of no known port */
	uint32_t	ng_nif;
	/*
	 * Bridge mode, live: p is `any`, told to ignore outgoing frames (so
	 * our flooded requests are not copied once per port), and p2 the
	 * bridge itself, outgoing frames only: what the bridge sent, once.
	 * vlan >= 0: `any` passes only frames tagged vlan (the kernel took
	 * the tag off, into metadata libpcap does not show) and the tag is
	 * put back into each frame's bytes before it is recorded or decoded.
	 */
	pcap_t		*p2;
	bool		nano2;
	int		vlan;
	struct mqueue	mq[2];
	int		filling;	/* the queue read into: 0 any, 1 bridge */
	_Atomic bool	stop;
	/* Set by capture_stop once pcap_breakloop has returned: until then
	 * it may still write to libpcap's wake-up eventfd, which the
	 * receiver's pcap_setnonblock closes (and the number could be
	 * reused by the next open: the recording, say). */
	_Atomic bool	broken;
	uint64_t	drops2;
	bool		ng_stream;	/* replay of a pcapng SLL2 read once:
					   ports are learnt as it is read */
};

static void seterr(char *errbuf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
seterr(char *errbuf, const char *fmt, ...)
{
	va_list ap;

	if (errbuf == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(errbuf, CAPTURE_ERRBUF_SIZE, fmt, ap);
	va_end(ap);
}

static struct capture *
capture_new(pcap_t *p, const char *name, bool live, char *errbuf)
{
	struct capture *c = calloc(1, sizeof(*c));

	if (c == NULL || (c->name = strdup(name)) == NULL) {
		free(c);
		seterr(errbuf, "'%s': out of memory", name);
		return NULL;
	}
	c->p = p;
	c->vlan = -1;
	c->live = live;
	c->link = pcap_datalink(p);
	c->nano = pcap_get_tstamp_precision(p) == PCAP_TSTAMP_PRECISION_NANO;
	return c;
}

struct capture *
capture_open_file(const char *path, char *errbuf)
{
	FILE *fp;

	/* Open the file ourselves so "cannot open" and "not a capture" get
	 * distinct messages with a reliable errno. */
	if (strcmp(path, "-") == 0) {
		fp = stdin;
	} else if ((fp = fopen(path, "rb")) == NULL) {
		seterr(errbuf, "cannot read capture '%s': %s", ESC(path),
		    strerror(errno));
		return NULL;
	}
	return capture_open_stream(fp, path, errbuf);
}

/* Turn a failed pcap_activate() into a message that says what to do. */
static void
activate_error(pcap_t *p, const char *ifname, int rc, char *errbuf)
{
	const char *why = pcap_geterr(p);

	if (rc == PCAP_ERROR_PERM_DENIED ||
	    (rc == PCAP_ERROR && strstr(why, strerror(EPERM)) != NULL)) {
		seterr(errbuf, "interface %s: permission denied: arpsweep "
		    "needs CAP_NET_RAW; run it as root (sudo) or grant it with "
		    "'setcap cap_net_raw,cap_setpcap+ep arpsweep'", ifname);
	} else if (rc == PCAP_ERROR_NO_SUCH_DEVICE) {
		seterr(errbuf, "interface %s does not exist; list interfaces "
		    "with 'ip link'", ifname);
	} else if (rc == PCAP_ERROR_IFACE_NOT_UP) {
		seterr(errbuf, "interface %s is down; bring it up with "
		    "'ip link set %s up'", ifname, ifname);
	} else {
		seterr(errbuf, "interface %s: cannot capture: %s", ifname,
		    why[0] != '\0' ? why : pcap_statustostr(rc));
	}
}

/* A created handle's common settings, then pcap_activate(). Setters only
 * fail on an activated handle; a refused nanosecond precision is not fatal
 * (capture_new() records the real one). */
static int
activate(pcap_t *p, size_t ring_bytes)
{
	pcap_set_snaplen(p, LIVE_SNAPLEN);
	pcap_set_buffer_size(p, ring_bytes > INT_MAX ? INT_MAX : (int)ring_bytes);
	pcap_set_timeout(p, LIVE_TIMEOUT_MS);
	pcap_set_promisc(p, 0);
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	return pcap_activate(p);
}

/* An activated handle is Ethernet, or the one-line refusal. */
static int
check_ethernet(pcap_t *p, const char *ifname, char *errbuf)
{
	int dlt = pcap_datalink(p);
	const char *name;

	if (dlt == DLT_EN10MB)
		return 0;
	name = pcap_datalink_val_to_name(dlt);
	seterr(errbuf, "interface %s: link type %s (%d) is not Ethernet; "
	    "arpsweep sweeps Ethernet interfaces only", ifname,
	    name != NULL ? name : "unknown", dlt);
	return -1;
}

static int
set_filter(pcap_t *p, const char *ifname, const char *filter, char *errbuf)
{
	struct bpf_program prog;
	int rc;

	if (pcap_compile(p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		seterr(errbuf, "interface %s: cannot compile the ARP filter: %s",
		    ifname, pcap_geterr(p));
		return -1;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		seterr(errbuf, "interface %s: cannot install the ARP filter: %s",
		    ifname, pcap_geterr(p));
		return -1;
	}
	return 0;
}

struct capture *
capture_open_live(const char *ifname, size_t ring_bytes, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	pcap_t *p;
	int rc;

	p = pcap_create(ifname, perr);
	if (p == NULL) {
		seterr(errbuf, "interface %s: cannot capture: %s", ifname, perr);
		return NULL;
	}
	if ((rc = activate(p, ring_bytes)) < 0) {
		activate_error(p, ifname, rc, errbuf);
		goto fail;
	}
	if (check_ethernet(p, ifname, errbuf) == -1 ||
	    set_filter(p, ifname, live_filter, errbuf) == -1)
		goto fail;
	c = capture_new(p, ifname, true, errbuf);
	if (c == NULL)
		goto fail;
	return c;
fail:
	pcap_close(p);
	return NULL;
}

/*
 * The name of interface ifindex when it is a port of bridge br, or false.
 * Runs in the receiver after the privilege drop and under seccomp, so it
 * only reads files (no socket for if_indextoname, no directory listing):
 * the namespace's interface names from /proc/net/dev, each one's index
 * from sysfs, and whether the bridge lists it in brif/.
 */
static bool
port_name(const char *br, int32_t ifindex, char name[IF_NAMESIZE])
{
	char line[512], path[96];
	bool found = false;
	FILE *dev = fopen("/proc/net/dev", "r");

	if (dev == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), dev) != NULL) {
		char *colon = strchr(line, ':'), *n = line;
		FILE *fp;
		int ix;
		struct stat st;

		if (colon == NULL)
			continue;
		*colon = '\0';
		while (*n == ' ')
			n++;
		if (*n == '\0' || strlen(n) >= IF_NAMESIZE)
			continue;
		snprintf(path, sizeof(path), "/sys/class/net/%s/ifindex", n);
		if ((fp = fopen(path, "r")) == NULL)
			continue;
		if (fscanf(fp, "%d", &ix) == 1 && ix == ifindex) {
			snprintf(path, sizeof(path), "/sys/class/net/%s/brif/%s",
			    br, n);
			if (stat(path, &st) == 0) {
				snprintf(name, IF_NAMESIZE, "%s", n);
				found = true;
			}
		}
		fclose(fp);
	}
	fclose(dev);
	return found;
}

/*
 * The port ifindex entered on, learnt at its first frame: a port added
 * during the sweep (a VM starting) is named then, one that left keeps the
 * name it had. NULL for an interface that is not a port of our bridge (or
 * one past PORTS_MAX, counted).
 */
static const struct port *
live_port(struct capture *c, int32_t ifindex)
{
	const struct port *p = ports_find(&c->ports, ifindex);
	char name[IF_NAMESIZE];

	if (p != NULL)
		return p->name[0] != '\0' ? p : NULL;
	if (ifindex <= 0 || !port_name(c->ports.p[0].name, ifindex, name))
		name[0] = '\0';		/* remembered as "not ours" */
	if ((p = ports_add(&c->ports, ifindex, name, false)) == NULL)
		c->ports.overflow++;
	return p != NULL && p->name[0] != '\0' ? p : NULL;
}

/*
 * The `any` handle's kernel filter, written as classic BPF: libpcap cannot
 * compile a VLAN test for SLL2 ("no VLAN support"), and in cooked mode the
 * kernel has taken the tag off into metadata, which only the ancillary
 * loads read. ARP (the protocol, after the tag) that entered any interface
 * but the bridge (the bridge's own copy of a frame that entered a port is
 * left out; which of the rest entered one of its ports is checked per
 * frame, live_port), untagged, or tagged vlan when vlan >= 0.
 */
static int
any_filter(int fd, unsigned br, int vlan)
{
	struct sock_filter untagged[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_IFINDEX),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, br, 4, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF +
		    SKF_AD_VLAN_TAG_PRESENT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0806, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, LIVE_SNAPLEN),
	};
	struct sock_filter tagged[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_IFINDEX),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, br, 7, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF +
		    SKF_AD_VLAN_TAG_PRESENT),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 5, 0),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_VLAN_TAG),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0x0fff),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)vlan, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SKF_AD_OFF + SKF_AD_PROTOCOL),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0x0806, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),
		BPF_STMT(BPF_RET | BPF_K, LIVE_SNAPLEN),
	};
	struct sock_fprog prog = vlan < 0 ?
	    (struct sock_fprog){ sizeof(untagged) / sizeof(untagged[0]),
	    untagged } : (struct sock_fprog){ sizeof(tagged) /
	    sizeof(tagged[0]), tagged };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
	    sizeof(prog));
}

static void
discard_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	(void)user;
	(void)h;
	(void)bytes;
}

#if defined(__SANITIZE_THREAD__)
#define UNDER_TSAN	1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UNDER_TSAN	1
#endif
#endif
#ifndef UNDER_TSAN
#define UNDER_TSAN	0
#endif

struct activation {
	pcap_t	*p;
	size_t	ring_bytes;
	int	rc;
};

static void *
activate_main(void *arg)
{
	struct activation *a = arg;

	a->rc = activate(a->p, a->ring_bytes);
	return NULL;
}

struct capture *
capture_open_bridge(const char *bridge, size_t ring_bytes, int vlan,
    char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	unsigned br = if_nametoindex(bridge);
	pcap_t *p, *p2 = NULL;
	int rc, one = 1;

	if (br == 0 || br > INT32_MAX) {
		seterr(errbuf, "interface %s does not exist; list interfaces "
		    "with 'ip link'", bridge);
		return NULL;
	}
	if ((p = pcap_create("any", perr)) == NULL) {
		seterr(errbuf, "interface %s: cannot capture: %s", bridge, perr);
		return NULL;
	}
	/* The bridge itself, for what it sends: our requests, once. */
	if ((p2 = pcap_create(bridge, perr)) == NULL) {
		seterr(errbuf, "interface %s: cannot capture: %s", bridge, perr);
		goto fail;
	}
	/* Immediate: a frame it stamped is in its ring by the time we look,
	 * so the merge need not wait for its blocks (MERGE_SLACK_NS). */
	pcap_set_immediate_mode(p2, 1);
	/*
	 * Setting up a ring waits out an RCU grace period (~15 ms here, 7%
	 * of a /24 at defaults): the two are set up side by side, the
	 * bridge's in a thread that is gone before the privilege drop. Not
	 * under TSan, whose helper thread starts with the first thread and
	 * would keep the capabilities (the privs lab reads every thread's).
	 * The bridge's ring holds our requests only, read at every `any`
	 * block.
	 */
	struct activation a2 = { .p = p2, .ring_bytes = ring_bytes / 4 <
	    (2u << 20) ? (2u << 20) : ring_bytes / 4 };
	pthread_t t;
	bool threaded = !UNDER_TSAN &&
	    pthread_create(&t, NULL, activate_main, &a2) == 0;
	rc = activate(p, ring_bytes);
	if (threaded)
		pthread_join(t, NULL);
	else
		activate_main(&a2);
	if (rc < 0) {
		activate_error(p, bridge, rc, errbuf);
		goto fail;
	}
	if (a2.rc < 0) {
		activate_error(p2, bridge, a2.rc, errbuf);
		goto fail;
	}
	if (pcap_set_datalink(p, DLT_LINUX_SLL2) == -1) {
		seterr(errbuf, "interface %s: this libpcap cannot capture with "
		    "interface indices (DLT_LINUX_SLL2, libpcap >= 1.10); use "
		    "--no-ports", bridge);
		goto fail;
	}
	/*
	 * A request we send is flooded out of every port, and each copy
	 * would be cloned for this socket only to be filtered out: the
	 * kernel skips an ignore-outgoing socket before cloning. What the
	 * bridge sent comes from p2 instead.
	 */
	if (setsockopt(pcap_fileno(p), SOL_PACKET, PACKET_IGNORE_OUTGOING,
	    &one, sizeof(one)) == -1) {
		seterr(errbuf, "interface %s: cannot capture the bridge's ports: "
		    "PACKET_IGNORE_OUTGOING: %s (Linux >= 4.20); use --no-ports",
		    bridge, strerror(errno));
		goto fail;
	}
	if (any_filter(pcap_fileno(p), br, vlan) == -1) {
		seterr(errbuf, "interface %s: cannot install the ARP filter: %s",
		    bridge, strerror(errno));
		goto fail;
	}
	/* What reached the ring before the filter is nobody's. */
	if (pcap_setnonblock(p, 1, perr) == -1) {
		seterr(errbuf, "interface %s: cannot capture: %s", bridge, perr);
		goto fail;
	}
	while (pcap_dispatch(p, -1, discard_cb, NULL) > 0)
		;

	/* No `vlan` keyword (notes §2.3): a tag we wrote is inline. */
	if (check_ethernet(p2, bridge, errbuf) == -1 ||
	    set_filter(p2, bridge, "outbound and (arp or (ether[12:2] = "
	    "0x8100 and ether[16:2] = 0x0806))", errbuf) == -1)
		goto fail;
	if (pcap_setnonblock(p2, 1, perr) == -1) {
		seterr(errbuf, "interface %s: cannot capture: %s", bridge, perr);
		goto fail;
	}
	if ((c = capture_new(p, bridge, true, errbuf)) == NULL)
		goto fail;
	c->p2 = p2;
	c->nano2 = pcap_get_tstamp_precision(p2) == PCAP_TSTAMP_PRECISION_NANO;
	c->vlan = vlan;
	c->bridge = true;
	c->br_ifindex = (int32_t)br;
	c->ports.available = true;
	ports_add(&c->ports, (int32_t)br, bridge, true);
	return c;
fail:
	if (p2 != NULL)
		pcap_close(p2);
	pcap_close(p);
	return NULL;
}

const struct ports *
capture_ports(const struct capture *c)
{
	return &c->ports;
}

/*
 * pcapng, written by hand: libpcap 1.10 writes only pcap, and libwiretap's
 * writer API (wtap_dump_*) is not a stable interface outside Wireshark (no
 * pkg-config file, headers tied to one Wireshark build). Three block types
 * suffice: a section header, one interface description per port (its
 * name, nanosecond stamps) written before its first packet, and enhanced
 * packet blocks naming their interface. Host byte order, as pcapng allows.
 */
#define NG_SHB		0x0A0D0D0Au
#define NG_IDB		1u
#define NG_EPB		6u
#define NG_MAGIC	0x1A2B3C4Du

static void
ng_u32(FILE *fp, uint32_t v)
{
	fwrite(&v, 4, 1, fp);
}

static void
ng_u16(FILE *fp, uint16_t v)
{
	fwrite(&v, 2, 1, fp);
}

/* One option: code, length, value padded to 4. */
static void
ng_opt(FILE *fp, uint16_t code, const void *v, size_t len)
{
	static const uint8_t zero[4];

	ng_u16(fp, code);
	ng_u16(fp, (uint16_t)len);
	fwrite(v, 1, len, fp);
	fwrite(zero, 1, (4 - len % 4) % 4, fp);
}

static uint32_t
ng_optlen(size_t len)
{
	return 4 + (uint32_t)((len + 3) / 4 * 4);
}

static void
ng_shb(FILE *fp)
{
	static const char app[] = "arpsweep";
	uint32_t len = 28 + ng_optlen(sizeof(app) - 1) + 4;

	ng_u32(fp, NG_SHB);
	ng_u32(fp, len);
	ng_u32(fp, NG_MAGIC);
	ng_u16(fp, 1);
	ng_u16(fp, 0);
	ng_u32(fp, 0xffffffffu);	/* section length unknown */
	ng_u32(fp, 0xffffffffu);
	ng_opt(fp, 4, app, sizeof(app) - 1);	/* shb_userappl */
	ng_u32(fp, 0);				/* opt_endofopt */
	ng_u32(fp, len);
}

/* p NULL: the interface of frames of no known port (no name). */
static void
ng_idb(FILE *fp, const struct port *p, uint32_t snaplen)
{
	const char *desc = p == NULL ? "unknown" : p->bridge ? "bridge" :
	    "bridge port";
	const uint8_t tsresol = 9;
	size_t nl = p != NULL ? strlen(p->name) : 0;
	uint32_t len = 16 + (nl > 0 ? ng_optlen(nl) : 0) +
	    ng_optlen(strlen(desc)) + ng_optlen(1) + 4 + 4;

	ng_u32(fp, NG_IDB);
	ng_u32(fp, len);
	ng_u16(fp, LINK_LINUX_SLL2);
	ng_u16(fp, 0);
	ng_u32(fp, snaplen);
	if (nl > 0)
		ng_opt(fp, 2, p->name, nl);	/* if_name */
	ng_opt(fp, 3, desc, strlen(desc));	/* if_description */
	ng_opt(fp, 9, &tsresol, 1);		/* if_tsresol: ns */
	ng_u32(fp, 0);
	ng_u32(fp, len);
}

static void
ng_epb(FILE *fp, uint32_t ifid, int64_t ts_ns, const struct pcap_pkthdr *h,
    const u_char *bytes)
{
	static const uint8_t zero[4];
	uint32_t pad = (4 - h->caplen % 4) % 4;
	uint32_t len = 32 + h->caplen + pad;
	uint64_t ts = (uint64_t)ts_ns;

	ng_u32(fp, NG_EPB);
	ng_u32(fp, len);
	ng_u32(fp, ifid);
	ng_u32(fp, (uint32_t)(ts >> 32));
	ng_u32(fp, (uint32_t)ts);
	ng_u32(fp, h->caplen);
	ng_u32(fp, h->len);
	fwrite(bytes, 1, h->caplen, fp);
	fwrite(zero, 1, pad, fp);
	ng_u32(fp, len);
}

static uint32_t
rd32(const uint8_t *b, bool swap)
{
	uint32_t v;

	memcpy(&v, b, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static uint16_t
rd16(const uint8_t *b, bool swap)
{
	uint16_t v;

	memcpy(&v, b, 2);
	return swap ? __builtin_bswap16(v) : v;
}

#define NG_MAX_IFS	PORTS_MAX
#define NG_MAX_BLOCK	(1u << 24)	/* libpcap refuses larger blocks too */

/*
 * A pcapng recording of a bridge: learn each port's name, from the
 * interface blocks (if_name, if_description "bridge" for the bridge
 * itself) and, through the first packet of each interface, the interface
 * index its SLL2 header carries. Only the first section is read, every
 * length is checked against the block, and nothing found is an error:
 * libpcap then reads the file as it would anyway. Fed the bytes as they
 * come (ng_feed), so a stream that cannot be read twice (a pipe) is
 * parsed as libpcap reads it: a port is known before its first frame is
 * delivered. Ports learnt before a damaged block stay.
 */
struct ngif {
	char	name[IF_NAMESIZE];
	bool	bridge, seen;
};

struct ngparse {
	struct ports	*pt;
	struct ngif	*ifs;
	uint32_t	nifs;
	bool		swap, first, stopped;
	uint8_t		hdr[12];
	uint32_t	hn;		/* header bytes held */
	uint8_t		*blk;		/* the body being read */
	uint32_t	body, have;	/* its length (trailer included), held */
};

static int
ng_init(struct ngparse *np, struct ports *pt)
{
	memset(np, 0, sizeof(*np));
	np->pt = pt;
	np->first = true;
	np->ifs = calloc(NG_MAX_IFS, sizeof(*np->ifs));
	np->stopped = np->ifs == NULL;
	return np->ifs == NULL ? -1 : 0;
}

static void
ng_fini(struct ngparse *np)
{
	free(np->blk);
	free(np->ifs);
	np->blk = NULL;
	np->ifs = NULL;
	np->stopped = true;
}

/* One whole block of the first section: body without its trailer. */
static void
ng_block(struct ngparse *np, uint32_t type, const uint8_t *blk, uint32_t body)
{
	bool swap = np->swap;
	struct ports *pt = np->pt;

	if (type == NG_IDB && body >= 8) {
		if (np->nifs == NG_MAX_IFS) {
			np->stopped = true;
			return;
		}
		struct ngif *ni = &np->ifs[np->nifs++];
		if (rd16(blk, swap) != LINK_LINUX_SLL2)
			return;
		for (uint32_t o = 8; o + 4 <= body;) {
			uint16_t code = rd16(blk + o, swap);
			uint16_t ol = rd16(blk + o + 2, swap);
			if (code == 0 || ol > body - o - 4)
				break;
			const char *v = (const char *)blk + o + 4;
			size_t n = ol < IF_NAMESIZE - 1 ? ol : IF_NAMESIZE - 1;
			if (code == 2) {
				memcpy(ni->name, v, n);
				ni->name[n] = '\0';
				/* a NUL inside stops the name there */
			} else if (code == 3) {
				ni->bridge = ol == 6 && memcmp(v, "bridge", 6) == 0;
			}
			o += 4 + (uint32_t)(ol + 3) / 4 * 4;
		}
	} else if (type == NG_EPB && body >= 20 + 8) {
		uint32_t id = rd32(blk, swap);
		uint32_t cap = rd32(blk + 12, swap);
		if (id >= np->nifs || np->ifs[id].seen ||
		    np->ifs[id].name[0] == '\0' || cap < 8 || cap > body - 20)
			return;
		/* SLL2: the interface index is bytes 4..8, big endian. */
		const uint8_t *b = blk + 20 + 4;
		int32_t ix = (int32_t)((uint32_t)b[0] << 24 |
		    (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3]);
		np->ifs[id].seen = true;
		if (ports_find(pt, ix) == NULL &&
		    ports_add(pt, ix, np->ifs[id].name, np->ifs[id].bridge) ==
		    NULL)
			pt->overflow++;
		/* Ports only from a recording that named its interfaces. */
		pt->available = pt->n > 0;
	}
}

/* The next n bytes of the stream. */
static void
ng_feed(struct ngparse *np, const uint8_t *b, size_t n)
{
	while (n > 0 && !np->stopped) {
		/* The header: type and length, and for the first block the
		 * byte-order magic that says how to read the length. */
		uint32_t want = np->first ? 12 : 8;
		if (np->hn < want) {
			uint32_t k = want - np->hn < n ? want - np->hn : (uint32_t)n;
			memcpy(np->hdr + np->hn, b, k);
			np->hn += k;
			b += k;
			n -= k;
			if (np->hn < want)
				return;
			uint32_t type, m;
			memcpy(&type, np->hdr, 4);
			if (np->first) {
				memcpy(&m, np->hdr + 8, 4);
				if (type != NG_SHB || (m != NG_MAGIC &&
				    m != __builtin_bswap32(NG_MAGIC))) {
					np->stopped = true;
					return;
				}
				np->swap = m != NG_MAGIC;
			} else if (type == NG_SHB) {
				/* a second section: its own interfaces */
				np->stopped = true;
				return;
			}
			uint32_t len = rd32(np->hdr + 4, np->swap);
			if (len < 12 || len % 4 != 0 || len > NG_MAX_BLOCK) {
				np->stopped = true;
				return;
			}
			uint8_t *nb = realloc(np->blk, len - 8);
			if (nb == NULL) {
				np->stopped = true;
				return;
			}
			np->blk = nb;
			np->body = len - 8;	/* the trailing length included */
			np->have = 0;
			if (np->first) {	/* the magic is the body's start */
				memcpy(np->blk, np->hdr + 8, 4);
				np->have = 4;
			}
		}
		uint32_t k = np->body - np->have < n ? np->body - np->have :
		    (uint32_t)n;
		memcpy(np->blk + np->have, b, k);
		np->have += k;
		b += k;
		n -= k;
		if (np->have < np->body)
			return;
		ng_block(np, rd32(np->hdr, np->swap), np->blk, np->body - 4);
		np->first = false;
		np->hn = 0;
	}
}

/* A stream that can be read twice: the whole of it, then back. */
static void
ng_scan(FILE *fp, struct ports *pt)
{
	struct ngparse np = { 0 };
	uint8_t buf[16384];
	long start = ftell(fp);
	size_t n;

	if (start < 0 || ng_init(&np, pt) == -1)
		goto out;
	while (!np.stopped && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
		ng_feed(&np, buf, n);
out:
	ng_fini(&np);
	if (start >= 0)
		fseek(fp, start, SEEK_SET);
}

/*
 * A stream read once (a pipe): libpcap reads it through this, which
 * parses each chunk on its way (the ports are the capture's, see
 * capture_open_stream).
 */
struct ngstream {
	FILE		*src;		/* closed with us, unless stdin */
	int		fd;		/* its descriptor, read directly */
	uint8_t		pend;		/* the first byte, read to peek */
	unsigned	npend;
	struct ngparse	np;		/* stopped for pcap */
};

static ssize_t
ngs_read(void *cookie, char *buf, size_t size)
{
	struct ngstream *ns = cookie;
	ssize_t n;

	if (size == 0)
		return 0;
	if (ns->npend > 0) {
		buf[0] = (char)ns->pend;
		ns->npend = 0;
		n = 1;
	} else {
		while ((n = read(ns->fd, buf, size)) == -1 && errno == EINTR)
			;
		if (n == -1)
			return -1;
	}
	if (n > 0)
		ng_feed(&ns->np, (const uint8_t *)buf, (size_t)n);
	return n;
}

static int
ngs_close(void *cookie)
{
	struct ngstream *ns = cookie;
	int rc = 0;

	if (ns->src != stdin)
		rc = fclose(ns->src);
	ng_fini(&ns->np);	/* the ports are the opener's */
	free(ns);
	return rc;
}

struct capture *
capture_open_stream(FILE *fp, const char *path, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct capture *c;
	struct stat st;
	const char *name;
	pcap_t *p;
	int dlt;

	if (fstat(fileno(fp), &st) == 0 && S_ISDIR(st.st_mode)) {
		if (fp != stdin)
			fclose(fp);
		seterr(errbuf, "cannot read capture '%s': %s", ESC(path),
		    strerror(EISDIR));
		return NULL;
	}
	/*
	 * A stream read once (a pipe, a FIFO) is read with read(2) from the
	 * first byte on, through a stream of ours (ngs_read): stdio would
	 * wait to fill a whole buffer where a FIFO's writer has sent less,
	 * and a pcapng's interface blocks are parsed on their way.
	 */
	int fd = fileno(fp), ch, err = 0;
	bool once = fd >= 0 && fseek(fp, 0, SEEK_CUR) != 0;
	if (once) {
		uint8_t b;
		ssize_t r;
		while ((r = read(fd, &b, 1)) == -1 && errno == EINTR)
			;
		ch = r == 1 ? b : EOF;
		err = r == -1 ? errno : 0;
	} else if ((ch = getc(fp)) == EOF) {
		err = ferror(fp) ? errno : 0;
	} else {
		ungetc(ch, fp);
	}
	/* libpcap would call an empty file (or a FIFO closed unwritten) a
	 * truncated one. */
	if (ch == EOF) {
		if (fp != stdin)
			fclose(fp);
		if (err != 0)
			seterr(errbuf, "cannot read capture '%s': %s", ESC(path),
			    strerror(err));
		else
			seterr(errbuf, "'%s' is empty: no pcap or pcapng capture "
			    "in it", ESC(path));
		return NULL;
	}
	struct ports *pt = calloc(1, sizeof(*pt));
	if (pt == NULL) {
		if (fp != stdin)
			fclose(fp);
		seterr(errbuf, "'%s': out of memory", ESC(path));
		return NULL;
	}
	/* Port names are in pcapng's interface blocks, which libpcap does
	 * not show: read them first where the stream can be read twice, or
	 * as libpcap reads it. */
	struct ngstream *ns = NULL;
	if (!once && ch == 0x0A && fseek(fp, 0, SEEK_SET) == 0) {
		ng_scan(fp, pt);
	} else if (once) {
		static const cookie_io_functions_t io = { .read = ngs_read,
		    .close = ngs_close };
		FILE *wrapped = NULL;
		if ((ns = calloc(1, sizeof(*ns))) == NULL ||
		    (ch == 0x0A && ng_init(&ns->np, pt) == -1) ||
		    (wrapped = fopencookie(ns, "rb", io)) == NULL) {
			if (ns != NULL)
				ng_fini(&ns->np);
			free(ns);
			free(pt);
			if (fp != stdin)
				fclose(fp);
			seterr(errbuf, "'%s': out of memory", ESC(path));
			return NULL;
		}
		if (ch != 0x0A)
			ns->np.stopped = true;	/* pcap: nothing to parse */
		ns->src = fp;
		ns->fd = fd;
		ns->pend = (uint8_t)ch;
		ns->npend = 1;
		fp = wrapped;		/* closing it closes the source */
	}
	/* Nanosecond precision: libpcap scales microsecond files up, so
	 * ts_ns is exact for both pcap flavours and pcapng. */
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, perr);
	if (p == NULL) {
		free(pt);
		if (fp != stdin)
			fclose(fp);
		seterr(errbuf, "'%s' is not a pcap or pcapng capture (%s)",
		    ESC(path), ESC(perr));
		return NULL;
	}
	dlt = pcap_datalink(p);
	if (!decode_link_supported(dlt)) {
		name = pcap_datalink_val_to_name(dlt);
		seterr(errbuf, "'%s': link type %s (%d) is not supported; "
		    "arpsweep reads Ethernet and Linux cooked (SLL, SLL2) "
		    "captures", ESC(path), name != NULL ? name : "unknown", dlt);
		free(pt);
		pcap_close(p);
		return NULL;
	}
	c = capture_new(p, path, false, errbuf);
	if (c == NULL) {
		free(pt);
		pcap_close(p);
		return NULL;
	}
	if (ns != NULL) {
		/* From now on the stream's parser learns into the capture's
		 * table, a port before its first frame; only SLL2 ones. */
		c->ports = *pt;
		free(pt);
		ns->np.pt = &c->ports;
		if (dlt == LINK_LINUX_SLL2 && ns->np.ifs != NULL)
			c->ng_stream = true;
		else
			ng_fini(&ns->np);
		if (dlt != LINK_LINUX_SLL2)
			memset(&c->ports, 0, sizeof(c->ports));
	} else {
		if (dlt == LINK_LINUX_SLL2 && pt->available)
			c->ports = *pt;
		free(pt);
	}
	return c;
}

/* The section header and the first interface (the bridge, live): a
 * recording with no frame still has one, or libpcap refuses it. */
static void
ng_start(struct capture *c)
{
	ng_shb(c->ng);
	if (c->ports.n > 0) {
		ng_idb(c->ng, &c->ports.p[0], c->live ? LIVE_SNAPLEN : 0);
		c->ng_id[0] = ++c->ng_nif;
	}
}

int
capture_record(struct capture *c, struct atomic_out *ao, char *errbuf)
{
	const char *path = atomic_out_path(ao);
	int fd;
	FILE *fp;

	if (c->dumper != NULL || c->ng != NULL) {
		seterr(errbuf, "cannot record to '%s': already recording",
		    ESC(path));
		atomic_out_abort(ao);
		return -1;
	}
	/* libpcap closes the stream it writes; the file stays ao's to sync
	 * and rename, so the stream gets a duplicate descriptor. */
	if ((fd = dup(atomic_out_fd(ao))) == -1 ||
	    (fp = fdopen(fd, "wb")) == NULL) {
		seterr(errbuf, "cannot record to '%s': %s", ESC(path),
		    strerror(errno));
		if (fd != -1)
			close(fd);
		atomic_out_abort(ao);
		return -1;
	}
	/* Ports are kept: pcapng, one interface per port. */
	if (c->bridge || c->ports.available || c->ng_stream) {
		c->ng = fp;
		c->record = ao;
		ng_start(c);
		return 0;
	}
	if ((c->dumper = pcap_dump_fopen(c->p, fp)) == NULL) {
		seterr(errbuf, "cannot record to '%s': %s", ESC(path),
		    ESC(pcap_geterr(c->p)));
		fclose(fp);
		atomic_out_abort(ao);
		return -1;
	}
	c->record = ao;
	return 0;
}

int
capture_record_stream(struct capture *c, FILE *fp, char *errbuf)
{
	if (c->dumper != NULL || c->ng != NULL) {
		seterr(errbuf, "cannot record: already recording");
		return -1;
	}
	if (c->bridge || c->ports.available || c->ng_stream) {
		c->ng = fp;
		ng_start(c);
		return 0;
	}
	if ((c->dumper = pcap_dump_fopen(c->p, fp)) == NULL) {
		seterr(errbuf, "cannot record: %s", ESC(pcap_geterr(c->p)));
		return -1;
	}
	return 0;
}

void
capture_record_abort(struct capture *c)
{
	if (c->ng != NULL) {
		fclose(c->ng);
		c->ng = NULL;
	} else if (c->dumper == NULL) {
		return;
	} else {
		pcap_dump_close(c->dumper);
		c->dumper = NULL;
	}
	if (c->record != NULL)
		atomic_out_abort(c->record);
	c->record = NULL;
}

static void refresh_drops2(struct capture *c);

static void
refresh_drops(struct capture *c)
{
	struct pcap_stat ps;

	if (c->p2 != NULL)
		refresh_drops2(c);
	if (c->live && pcap_stats(c->p, &ps) == 0)
		c->stats.kernel_drops = ps.ps_drop + c->drops2;
}

/*
 * A file's time stamps are whatever its writer (or a fuzzer) put there:
 * clamp seconds so the product cannot overflow, and keep the fraction in
 * range, instead of trusting them.
 */
static int64_t
stamp_ns(const struct pcap_pkthdr *h, bool nano)
{
	const int64_t max_s = INT64_MAX / 1000000000 - 1;
	int64_t sec = (int64_t)h->ts.tv_sec;
	int64_t frac = (int64_t)h->ts.tv_usec;

	if (sec > max_s)
		sec = max_s;
	if (sec < -max_s)
		sec = -max_s;
	if (frac < 0 || frac > 999999999)
		frac = 0;
	return sec * 1000000000 + (nano ? frac : frac % 1000000 * 1000);
}

static void
process(struct capture *c, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct arp_frame f;
	enum decode_status st;

	const struct port *port = NULL;

	/* Bridge mode: which port (or the bridge) it entered on, before it
	 * is recorded or counted; a frame of any other interface is not of
	 * this segment, as if the filter had dropped it. */
	if (c->bridge) {
		int32_t ix;
		if (h->caplen < 8) {
			c->stats.off_bridge++;
			return;
		}
		ix = (int32_t)((uint32_t)bytes[4] << 24 | (uint32_t)bytes[5] << 16 |
		    (uint32_t)bytes[6] << 8 | bytes[7]);
		if (ix == c->br_ifindex)
			port = &c->ports.p[0];
		else if ((port = live_port(c, ix)) == NULL) {
			c->stats.off_bridge++;
			return;
		}
	}
	if (c->ng != NULL && c->record_err == 0) {
		/* A replay re-recorded keeps each frame's interface. */
		const struct port *wp = port;
		if (wp == NULL && c->link == LINK_LINUX_SLL2 && h->caplen >= 8)
			wp = ports_find(&c->ports, (int32_t)((uint32_t)bytes[4] <<
			    24 | (uint32_t)bytes[5] << 16 |
			    (uint32_t)bytes[6] << 8 | bytes[7]));
		size_t i = wp != NULL ? (size_t)(wp - c->ports.p) : PORTS_MAX;
		if (c->ng_id[i] == 0) {
			/* A replay's frames may be longer than ours. */
			ng_idb(c->ng, wp, c->live ? LIVE_SNAPLEN : 0);
			c->ng_id[i] = ++c->ng_nif;
		}
		ng_epb(c->ng, c->ng_id[i] - 1, stamp_ns(h, c->nano), h, bytes);
		if (ferror(c->ng))
			c->record_err = errno != 0 ? errno : EIO;
	}
	/* Record before decoding: the -w file must replay to the same table
	 * and the same counters, skipped frames included. */
	if (c->dumper != NULL && c->record_err == 0) {
		pcap_dump((u_char *)c->dumper, h, bytes);
		/* The first failure's errno (ENOSPC) is the one to report;
		 * later writes into a full disk are wasted. */
		if (ferror(pcap_dump_file(c->dumper)))
			c->record_err = errno != 0 ? errno : EIO;
	}
	c->stats.frames++;
	if (c->live && c->stats.frames % STATS_EVERY == 0)
		refresh_drops(c);
	f.ts_ns = 0;
	st = arp_decode(c->link, bytes, h->caplen, &f);
	switch (st) {
	case DECODE_ARP:
		break;
	case DECODE_OTHER:
		c->stats.other++;
		return;
	case DECODE_IGNORED:
		c->stats.ignored++;
		return;
	case DECODE_MALFORMED:
	default:
		c->stats.malformed++;
		return;
	}
	c->stats.arp++;
	if (f.op == ARP_OP_REQUEST)
		c->stats.requests++;
	else
		c->stats.replies++;
	f.ts_ns = stamp_ns(h, c->nano);
	/* A port is a fact only where the capture knows the ports; what the
	 * bridge itself sent entered on no port. */
	if (!c->ports.available || f.ifindex == IFINDEX_NONE)
		f.ifindex = IFINDEX_NONE;
	else if ((port = ports_find(&c->ports, f.ifindex)) == NULL ||
	    port->bridge || port->name[0] == '\0')
		f.ifindex = IFINDEX_NONE;
	if (c->cb != NULL)
		c->cb(&f, c->user);
}

static void
internal_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	/* libpcap hands our own pointer back as u_char *: it was a struct
	 * capture * before, so the round trip through void * is exact (C11
	 * 6.3.2.3) and needs no alignment cast. */
	process((void *)user, h, bytes);
}

static int64_t
real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Hand the oldest held frame (of either queue) to process(). */
static void
mq_deliver_one(struct capture *c)
{
	struct mqueue *a = &c->mq[0], *b = &c->mq[1], *q;

	/* On a tie the bridge's first: a request before its answer. */
	q = a->n == 0 ? b : b->n == 0 ? a :
	    b->f[b->head].ts_ns <= a->f[a->head].ts_ns ? b : a;
	struct mframe *m = &q->f[q->head];
	q->head = (q->head + 1) % q->cap;
	q->n--;
	process(c, &m->h, m->b);
}

/*
 * Deliver, oldest first, what neither handle can now precede: a frame
 * goes when the other queue holds a later one, or when it is older than
 * that handle's horizon (what it stamped before then is already held).
 */
static void
mq_deliver(struct capture *c, const int64_t horizon[2])
{
	for (;;) {
		struct mqueue *a = &c->mq[0], *b = &c->mq[1];
		if (a->n == 0 && b->n == 0)
			return;
		int k = a->n == 0 ? 1 : b->n == 0 ? 0 :
		    b->f[b->head].ts_ns <= a->f[a->head].ts_ns ? 1 : 0;
		if (c->mq[1 - k].n == 0 &&
		    c->mq[k].f[c->mq[k].head].ts_ns > horizon[1 - k])
			return;
		mq_deliver_one(c);
	}
}

/* A free slot at the tail of queue k, growing it; when it may not grow,
 * the oldest frame goes first (order then rests on the kernel's). */
static struct mframe *
mq_slot(struct capture *c, int k)
{
	struct mqueue *q = &c->mq[k];

	if (q->n == q->cap && q->cap < MQ_MAX) {
		unsigned nc = q->cap == 0 ? MQ_MIN : q->cap * 2;
		struct mframe *nf = malloc((size_t)nc * sizeof(*nf));
		if (nf != NULL) {
			for (unsigned i = 0; i < q->n; i++)
				nf[i] = q->f[(q->head + i) % q->cap];
			free(q->f);
			q->f = nf;
			q->head = 0;
			q->cap = nc;
		}
	}
	if (q->cap == 0)
		return NULL;
	if (q->n == q->cap)
		mq_deliver_one(c);
	if (q->n == q->cap)
		return NULL;
	q->n++;
	return &q->f[(q->head + q->n - 1) % q->cap];
}

static void
put_be16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

/*
 * Hold one frame of handle c->filling, in SLL2 form: `any`'s as they are,
 * with the VLAN tag put back after the header when the filter passed only
 * tagged frames; the bridge's Ethernet frames with a header of their own
 * saying "sent by the bridge" (its interface index, outgoing).
 */
static void
mq_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (void *)user;
	int k = c->filling;
	struct mframe *m;
	uint32_t cap = h->caplen, len = h->len;

	if ((m = mq_slot(c, k)) == NULL) {
		/* Out of memory: no merge, but no frame lost either. */
		process(c, h, bytes);
		return;
	}
	m->h = *h;
	m->ts_ns = stamp_ns(h, k == 0 ? c->nano : c->nano2);
	if (k == 0) {
		if (cap > LIVE_SNAPLEN + SLL2_LEN)
			cap = LIVE_SNAPLEN + SLL2_LEN;
		if (c->vlan < 0 || cap < SLL2_LEN) {
			memcpy(m->b, bytes, cap);
		} else {
			memcpy(m->b, bytes, SLL2_LEN);
			put_be16(m->b, 0x8100);
			put_be16(m->b + SLL2_LEN, (uint16_t)c->vlan);
			memcpy(m->b + SLL2_LEN + 2, bytes, 2);	/* the protocol */
			memcpy(m->b + SLL2_LEN + 4, bytes + SLL2_LEN,
			    cap - SLL2_LEN);
			cap += 4;
			len += 4;
		}
	} else {
		uint32_t ix = (uint32_t)c->br_ifindex;
		if (cap < 14) {
			memcpy(m->b, bytes, cap);	/* decodes as malformed */
		} else {
			if (cap > LIVE_SNAPLEN)
				cap = LIVE_SNAPLEN;
			memset(m->b, 0, SLL2_LEN);
			memcpy(m->b, bytes + 12, 2);		/* protocol */
			m->b[4] = (uint8_t)(ix >> 24);
			m->b[5] = (uint8_t)(ix >> 16);
			m->b[6] = (uint8_t)(ix >> 8);
			m->b[7] = (uint8_t)ix;
			put_be16(m->b + 8, 1);			/* ARPHRD_ETHER */
			m->b[10] = PKTTYPE_OUTGOING;
			m->b[11] = 6;
			memcpy(m->b + 12, bytes + 6, 6);	/* source */
			memcpy(m->b + SLL2_LEN, bytes + 14, cap - 14);
			cap += SLL2_LEN - 14;
			len = len >= 14 ? len + SLL2_LEN - 14 : cap;
		}
	}
	m->h.caplen = cap;
	m->h.len = len < cap ? cap : len;
}

/* Everything handle k's ring holds now, into its queue. */
static int
mq_read(struct capture *c, int k)
{
	pcap_t *p = k == 0 ? c->p : c->p2;
	int n;

	c->filling = k;
	while ((n = pcap_dispatch(p, -1, mq_cb, (u_char *)c)) > 0)
		;
	return n == PCAP_ERROR_BREAK ? 0 : n;
}

static void
refresh_drops2(struct capture *c)
{
	struct pcap_stat ps;

	if (pcap_stats(c->p2, &ps) == 0)
		c->drops2 = ps.ps_drop;
}

/*
 * The bridge's two handles, merged by time stamp: each ring read in
 * turn, then what can no longer be preceded delivered. At the stop both
 * rings are read to the end and everything held goes, in order.
 */
static int
bridge_loop(struct capture *c, char *errbuf)
{
	/* Woken by `any` alone, a few hundred times a second (its blocks):
	 * the bridge's ring, read then, holds every frame that could precede
	 * what `any` handed over, and is not worth a wake-up per frame. */
	struct pollfd pfd = { .fd = pcap_get_selectable_fd(c->p),
	    .events = POLLIN };
	int64_t horizon[2];
	int rc = 0;

	while (!atomic_load_explicit(&c->stop, memory_order_acquire)) {
		if (poll(&pfd, 1, LIVE_TIMEOUT_MS) == -1 && errno != EINTR) {
			seterr(errbuf, "interface %s: capture failed: %s",
			    c->name, strerror(errno));
			rc = -1;
			break;
		}
		/* What the bridge stamped before t0 is in its ring now. */
		int64_t t0 = 0;
		int bad = mq_read(c, 0) < 0 ? 0 : (t0 = real_ns(),
		    mq_read(c, 1) < 0 ? 1 : -1);
		if (bad >= 0) {
			seterr(errbuf, "interface %s: capture failed: %s",
			    c->name, pcap_geterr(bad == 0 ? c->p : c->p2));
			rc = -1;
			break;
		}
		horizon[0] = real_ns() - MERGE_WINDOW_NS;
		horizon[1] = t0 - MERGE_SLACK_NS;
		mq_deliver(c, horizon);
	}
	if (rc == 0) {
		mq_read(c, 0);
		mq_read(c, 1);
	}
	horizon[0] = horizon[1] = INT64_MAX;
	mq_deliver(c, horizon);
	refresh_drops(c);
	return rc;
}

int
capture_loop(struct capture *c, capture_cb cb, void *user, char *errbuf)
{
	int rc;

	c->cb = cb;
	c->user = user;
	if (c->p2 != NULL) {
		rc = bridge_loop(c, errbuf);
		if (c->ng != NULL)
			fflush(c->ng);
		return rc;
	}
	rc = pcap_loop(c->p, -1, internal_cb, (u_char *)c);
	/*
	 * pcap_breakloop returns after at most one more frame; what is still
	 * in the ring was captured and belongs in the table and the recording
	 * (the caller waited out the ring's block timeout before stopping).
	 */
	if (c->live && rc == PCAP_ERROR_BREAK)
		while (!atomic_load_explicit(&c->broken, memory_order_acquire))
			sched_yield();
	if (c->live && rc == PCAP_ERROR_BREAK &&
	    pcap_setnonblock(c->p, 1, errbuf) == 0)
		while (pcap_dispatch(c->p, -1, internal_cb, (u_char *)c) > 0)
			;
	refresh_drops(c);
	if (c->dumper != NULL)
		pcap_dump_flush(c->dumper);
	if (c->ng != NULL)
		fflush(c->ng);
	if (rc == 0 || rc == PCAP_ERROR_BREAK)
		return 0;
	if (c->live)
		seterr(errbuf, "interface %s: capture failed: %s", c->name,
		    pcap_geterr(c->p));
	else
		seterr(errbuf, "cannot read capture '%s': %s", c->name,
		    pcap_geterr(c->p));
	return -1;
}

void
capture_stop(struct capture *c)
{
	atomic_store_explicit(&c->stop, true, memory_order_release);
	/* bridge_loop polls with a timeout and sees the flag; a break would
	 * make the dispatch of its final drain return at once instead. */
	if (c->p2 == NULL)
		pcap_breakloop(c->p);
	atomic_store_explicit(&c->broken, true, memory_order_release);
}

const struct capture_stats *
capture_stats(struct capture *c)
{
	return &c->stats;
}

int
capture_fd(const struct capture *c)
{
	return c->live ? pcap_fileno(c->p) : -1;
}

unsigned
capture_fds(const struct capture *c, int fds[CAPTURE_MAX_FDS])
{
	unsigned n = 0;

	if (c->live)
		fds[n++] = pcap_fileno(c->p);
	if (c->p2 != NULL)
		fds[n++] = pcap_fileno(c->p2);
	return n;
}

int
capture_link(const struct capture *c)
{
	return c->link;
}

static void *
close_one(void *p)
{
	pcap_close(p);
	return NULL;
}

/* Closing a packet socket waits out an RCU grace period (~16 ms here, a
 * /24 sweep takes 0.2 s): a bridge's two are closed side by side. */
static void
close_handles(struct capture *c)
{
	pthread_t t;

	if (c->p2 != NULL && pthread_create(&t, NULL, close_one, c->p2) == 0) {
		pcap_close(c->p);
		pthread_join(t, NULL);
		return;
	}
	pcap_close(c->p);
	if (c->p2 != NULL)
		pcap_close(c->p2);
}

int
capture_close(struct capture *c, char *errbuf)
{
	char why[ATOMIC_OUT_ERRBUF_SIZE], name[ESCAPE_SIZE];
	int rc = 0, err = 0;

	if (c == NULL)
		return 0;
	if (c->ng == NULL && c->dumper == NULL)
		goto out;
	/* Neither writer reports a failed write: a full disk shows only
	 * here, and then the destination is left as it was. */
	errno = 0;
	if (c->ng != NULL) {
		if (c->record_err != 0)
			err = c->record_err;
		else if (fflush(c->ng) == EOF || ferror(c->ng))
			err = errno != 0 ? errno : EIO;
		if (fclose(c->ng) == EOF && err == 0)
			err = errno != 0 ? errno : EIO;
	} else {
		FILE *fp = pcap_dump_file(c->dumper);
		if (c->record_err != 0)
			err = c->record_err;
		else if (pcap_dump_flush(c->dumper) == -1 || ferror(fp))
			err = errno != 0 ? errno : EIO;
		pcap_dump_close(c->dumper);
	}
	if (c->record == NULL) {	/* capture_record_stream */
		if (err != 0) {
			seterr(errbuf, "cannot record: %s", strerror(err));
			rc = -1;
		}
		goto out;
	}
	escape_str(atomic_out_path(c->record), name, sizeof(name));
	if ((err != 0 ? atomic_out_fail(c->record, err, why,
	    sizeof(why)) : atomic_out_commit(c->record, why,
	    sizeof(why))) == -1) {
		seterr(errbuf, "cannot record to '%s': %s", name, why);
		rc = -1;
	}
out:
	close_handles(c);
	free(c->mq[0].f);
	free(c->mq[1].f);
	free(c->name);
	free(c);
	return rc;
}

const char *
capture_lib_version(void)
{
	return pcap_lib_version();
}
