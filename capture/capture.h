/* capture: libpcap handles (recorded file or live interface) -> decoded frames. */
#ifndef ARPSWEEP_CAPTURE_H
#define ARPSWEEP_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "decode.h"

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
 * Record every frame this capture delivers (ARP or not, before decoding) to
 * the new file ao (atomic_out.h), taken over: capture_close() puts it in
 * place, capture_record_abort() removes it. Call before capture_loop().
 * Returns -1 with errbuf on failure (ao is then aborted).
 */
int capture_record(struct capture *c, struct atomic_out *ao, char *errbuf);

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

/* Link type (LINK_* / DLT value) of the handle. */
int capture_link(const struct capture *c);

/* Flush the recording (if any), rename it over its destination, and close
 * the handle. Returns -1 with a message naming the recording when it could
 * not be written completely: its destination is then left as it was. */
int capture_close(struct capture *c, char *errbuf);

#endif
