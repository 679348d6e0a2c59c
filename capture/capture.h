/* capture: libpcap handles (recorded file or live interface) -> decoded frames. */
#ifndef ARPSWEEP_CAPTURE_H
#define ARPSWEEP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"
#include "ports.h"

#define CAPTURE_ERRBUF_SIZE 512

/* What the capture saw, counted by the thread that runs capture_loop(). */
struct capture_stats {
	uint64_t	frames;		/* every frame handed to us */
	uint64_t	arp;		/* DECODE_ARP */
	uint64_t	other;		/* DECODE_OTHER */
	uint64_t	ignored;	/* DECODE_IGNORED */
	uint64_t	malformed;	/* DECODE_MALFORMED */
	uint64_t	requests;	/* ARP frames with op 1 */
	uint64_t	replies;	/* ARP frames with op 2 */
	uint64_t	kernel_drops;	/* live only: pcap_stats ps_drop */
	uint64_t	off_bridge;	/* bridge mode: frames of interfaces that
					   are not its ports (not in frames) */
};

struct capture;
struct atomic_out;

/*
 * Called once per decoded ARP frame, in the thread running capture_loop().
 * The frame is only valid during the call.
 */
typedef void (*capture_cb)(const struct arp_frame *f, void *user);

/*
 * Open a pcap or pcapng file ("-" is standard input). On error returns NULL
 * and writes a one-line message naming the file and the problem to errbuf.
 */
struct capture *capture_open_file(const char *path, char *errbuf);

/* The same from a stream already open for reading (taken over: closed by
 * capture_close, or on error, unless it is stdin); path names it. */
struct capture *capture_open_stream(FILE *fp, const char *path, char *errbuf);

/*
 * Open a live capture of every ARP frame on `ifname` (our own requests
 * included), with a ring of ring_bytes for bursts and a short delivery delay.
 * Needs CAP_NET_RAW; on failure returns NULL with a message that says how to
 * fix it.
 */
struct capture *capture_open_live(const char *ifname, size_t ring_bytes,
    char *errbuf);

/*
 * Open a live capture of the Linux bridge `bridge` that knows each frame's
 * ingress port: the `any` device with DLT_LINUX_SLL2, whose header carries
 * the interface index, ignoring outgoing frames, and the bridge itself for
 * what it sends, the two merged by time stamp. Every frame is delivered
 * once: what the bridge sent (our requests, not their flooded copies) and
 * what entered one of its ports (not the bridge's copy of it); ports added
 * later are learnt at their first frame. Frames carry the port in
 * arp_frame.ifindex (IFINDEX_NONE for the bridge's own). vlan < 0: of the
 * ports' frames, the untagged; else those tagged vlan, the tag kept. A
 * recording (capture_record) is pcapng with one interface per port.
 */
struct capture *capture_open_bridge(const char *bridge, size_t ring_bytes,
    int vlan, char *errbuf);

/* The ports seen (live) or named by the recording (replay); available is
 * false when the capture has none. Valid until capture_close(). */
const struct ports *capture_ports(const struct capture *c);

/*
 * Record every frame this capture delivers (ARP or not, before decoding) to
 * the new file ao (atomic_out.h), taken over: capture_close() puts it in
 * place, capture_record_abort() removes it. Call before capture_loop().
 * Returns -1 with errbuf on failure (ao is then aborted).
 */
int capture_record(struct capture *c, struct atomic_out *ao, char *errbuf);

/* The same into a stream of the caller's (tests, fuzzing): no file is
 * put in place; capture_close() closes fp and says whether all of it was
 * written. */
int capture_record_stream(struct capture *c, FILE *fp, char *errbuf);

/* The run failed: drop the recording, leaving its destination as it was. */
void capture_record_abort(struct capture *c);

/*
 * Run until the file ends or capture_stop() is called: decode each frame,
 * count it, and call cb for each ARP frame. Returns 0 on a normal end, -1 on
 * a read error (message in errbuf). Runs in exactly one thread.
 */
int capture_loop(struct capture *c, capture_cb cb, void *user, char *errbuf);

/* Ask capture_loop() to return, after it has delivered what the ring holds.
 * Safe from any thread, but not from a signal handler. */
void capture_stop(struct capture *c);

/* Counters so far. Call from the capture_loop() thread or after it returned. */
const struct capture_stats *capture_stats(struct capture *c);

/* The live handle's packet socket (for the seccomp rules that keep it from
 * sending), or -1 for a file. */
int capture_fd(const struct capture *c);

/* Every packet socket of a live capture (a bridge's has two), for the
 * same rules; returns how many. */
#define CAPTURE_MAX_FDS	2
unsigned capture_fds(const struct capture *c, int fds[CAPTURE_MAX_FDS]);

/* Link type (LINK_* / DLT value) of the handle. */
int capture_link(const struct capture *c);

/* Flush the recording (if any), rename it over its destination, and close
 * the handle. Returns -1 with a message naming the recording when it could
 * not be written completely: its destination is then left as it was. */
int capture_close(struct capture *c, char *errbuf);

/* The libpcap build in use, as pcap_lib_version() says it (--version). */
const char *capture_lib_version(void);

#endif
