/* capture: libpcap file/live handles, ARP BPF filter, receive loop, counters and -w recording. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <unistd.h>

#include <pcap/pcap.h>

#include "atomic_out.h"
#include "escape.h"
#include "capture.h"

#define LIVE_SNAPLEN	256
/* TPACKET_V3 hands over a block only when it is full or its timer fires;
 * pcap_create's default timeout 0 means a 49-day timer (notes §2.1). */
#define LIVE_TIMEOUT_MS	5
#define STATS_EVERY	1024	/* frames between pcap_stats() refreshes */

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
	/* libpcap would call an empty file (or a FIFO closed unwritten) a
	 * truncated one. */
	int ch = getc(fp);
	if (ch == EOF) {
		int err = ferror(fp) ? errno : 0;
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
	ungetc(ch, fp);
	/* Nanosecond precision: libpcap scales microsecond files up, so
	 * ts_ns is exact for both pcap flavours and pcapng. */
	p = pcap_fopen_offline_with_tstamp_precision(fp,
	    PCAP_TSTAMP_PRECISION_NANO, perr);
	if (p == NULL) {
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
		pcap_close(p);
		return NULL;
	}
	c = capture_new(p, path, false, errbuf);
	if (c == NULL)
		pcap_close(p);
	return c;
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

struct capture *
capture_open_live(const char *ifname, size_t ring_bytes, char *errbuf)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct capture *c;
	const char *name;
	pcap_t *p;
	int rc, dlt;

	p = pcap_create(ifname, perr);
	if (p == NULL) {
		seterr(errbuf, "interface %s: cannot capture: %s", ifname, perr);
		return NULL;
	}
	/* Setters only fail on an activated handle, which this is not. */
	pcap_set_snaplen(p, LIVE_SNAPLEN);
	pcap_set_buffer_size(p, ring_bytes > INT_MAX ? INT_MAX : (int)ring_bytes);
	pcap_set_timeout(p, LIVE_TIMEOUT_MS);
	pcap_set_promisc(p, 0);
	/* Not fatal if refused: capture_new() records the real precision. */
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(p);
	if (rc < 0) {
		activate_error(p, ifname, rc, errbuf);
		goto fail;
	}
	dlt = pcap_datalink(p);
	if (dlt != DLT_EN10MB) {
		name = pcap_datalink_val_to_name(dlt);
		seterr(errbuf, "interface %s: link type %s (%d) is not "
		    "Ethernet; arpsweep sweeps Ethernet interfaces only", ifname,
		    name != NULL ? name : "unknown", dlt);
		goto fail;
	}
	if (pcap_compile(p, &prog, live_filter, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		seterr(errbuf, "interface %s: cannot compile the ARP filter: %s",
		    ifname, pcap_geterr(p));
		goto fail;
	}
	rc = pcap_setfilter(p, &prog);
	pcap_freecode(&prog);
	if (rc < 0) {
		seterr(errbuf, "interface %s: cannot install the ARP filter: %s",
		    ifname, pcap_geterr(p));
		goto fail;
	}
	c = capture_new(p, ifname, true, errbuf);
	if (c == NULL)
		goto fail;
	return c;
fail:
	pcap_close(p);
	return NULL;
}

int
capture_record(struct capture *c, struct atomic_out *ao, char *errbuf)
{
	const char *path = atomic_out_path(ao);
	int fd;
	FILE *fp;

	if (c->dumper != NULL) {
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

void
capture_record_abort(struct capture *c)
{
	if (c->dumper == NULL)
		return;
	pcap_dump_close(c->dumper);
	c->dumper = NULL;
	atomic_out_abort(c->record);
	c->record = NULL;
}

static void
refresh_drops(struct capture *c)
{
	struct pcap_stat ps;

	if (c->live && pcap_stats(c->p, &ps) == 0)
		c->stats.kernel_drops = ps.ps_drop;
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
internal_cb(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	/* libpcap hands our own pointer back as u_char *: it was a struct
	 * capture * before, so the round trip through void * is exact (C11
	 * 6.3.2.3) and needs no alignment cast. */
	struct capture *c = (void *)user;
	struct arp_frame f;
	enum decode_status st;

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
	if (c->cb != NULL)
		c->cb(&f, c->user);
}

int
capture_loop(struct capture *c, capture_cb cb, void *user, char *errbuf)
{
	int rc;

	c->cb = cb;
	c->user = user;
	rc = pcap_loop(c->p, -1, internal_cb, (u_char *)c);
	/*
	 * pcap_breakloop returns after at most one more frame; what is still
	 * in the ring was captured and belongs in the table and the recording
	 * (the caller waited out the ring's block timeout before stopping).
	 */
	if (c->live && rc == PCAP_ERROR_BREAK &&
	    pcap_setnonblock(c->p, 1, errbuf) == 0)
		while (pcap_dispatch(c->p, -1, internal_cb, (u_char *)c) > 0)
			;
	refresh_drops(c);
	if (c->dumper != NULL)
		pcap_dump_flush(c->dumper);
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
	pcap_breakloop(c->p);
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

int
capture_link(const struct capture *c)
{
	return c->link;
}

int
capture_close(struct capture *c, char *errbuf)
{
	char why[ATOMIC_OUT_ERRBUF_SIZE], name[ESCAPE_SIZE];
	int rc = 0, err = 0;

	if (c == NULL)
		return 0;
	if (c->dumper != NULL) {
		escape_str(atomic_out_path(c->record), name, sizeof(name));
		/* pcap_dump() reports nothing: a full disk shows only here,
		 * and then the destination is left as it was. */
		FILE *fp = pcap_dump_file(c->dumper);
		errno = 0;
		if (c->record_err != 0)
			err = c->record_err;
		else if (pcap_dump_flush(c->dumper) == -1 || ferror(fp))
			err = errno != 0 ? errno : EIO;
		pcap_dump_close(c->dumper);
		if ((err != 0 ? atomic_out_fail(c->record, err, why,
		    sizeof(why)) : atomic_out_commit(c->record, why,
		    sizeof(why))) == -1) {
			seterr(errbuf, "cannot record to '%s': %s", name, why);
			rc = -1;
		}
	}
	pcap_close(c->p);
	free(c->name);
	free(c);
	return rc;
}
