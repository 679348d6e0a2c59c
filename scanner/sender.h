/* sender: the thread that puts ARP requests for every target on the wire. */
#ifndef ARPSWEEP_SENDER_H
#define ARPSWEEP_SENDER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "targets.h"

/*
 * State shared by the sender thread, the receiver thread and main. Each
 * field has one writer (named); everyone else only reads.
 */
struct sweep_state {
	/* writer: receiver */
	_Atomic uint64_t *answered;	/* bitmap over target indices */
	_Atomic uint64_t *suspect;	/* bitmap: needs confirmation probes */
	_Atomic uint64_t nanswered;	/* bits set in answered */
	_Atomic uint64_t nsuspect;	/* bits set in suspect */
	_Atomic int64_t	max_rtt_ns;	/* largest request->reply time seen */
	_Atomic uint64_t replies;	/* replies seen */
	_Atomic uint64_t kernel_drops;	/* pcap ps_drop so far */
	/* writer: sender */
	_Atomic uint64_t sent;		/* requests written */
	_Atomic uint64_t send_errors;	/* frames the kernel refused */
	_Atomic int64_t	eta_ns;		/* estimated time left, -1 unknown */
	_Atomic int64_t	send_ns;	/* time spent sending (not waiting) */
	_Atomic bool	done;		/* all passes and waits are over */
	/* writer: main (signal) */
	_Atomic bool	stop;		/* stop sending and waiting now */
};

struct sender_config {
	const char	*ifname;
	uint8_t		mac[6];		/* sha and Ethernet source */
	uint32_t	spa;		/* sender IP; 0 for RFC 5227 probes */
	int		vlan;		/* 802.1Q VID, or -1 for untagged */
	double		rate;		/* requests per second */
	bool		rate_max;	/* as fast as possible, back off on loss */
	unsigned	retries;	/* extra passes over unanswered targets */
	unsigned	confirm;	/* extra rounds for each suspect */
	int64_t		timeout_ns;	/* initial wait for answers */
	bool		random;
	uint64_t	seed;
	const struct targets *targets;
};

struct sender;

/*
 * Build the request template once with libnet and open a send-only packet
 * socket bound to cfg->ifname (needs CAP_NET_RAW); frames go out on it in
 * sendmmsg() batches, not through libnet_write (one malloc and one ioctl
 * per packet). cfg and cfg->targets must outlive the sender. Returns NULL
 * with a one-line message in errbuf on failure.
 */
struct sender *sender_open(const struct sender_config *cfg, char *errbuf,
    size_t errlen);

/*
 * The sender thread body: passes, retries, confirmation rounds, waits, then
 * sets st->done. Returns when done or when st->stop is set. Only this thread
 * writes to the socket.
 */
void sender_run(struct sender *s, struct sweep_state *st);

/* The request frame for target ip, as it goes on the wire; returns length.
 * buf must hold 64 bytes. Lets tests check the bytes without a wire. */
size_t sender_frame(const struct sender *s, uint32_t ip, uint8_t *buf);

/* The send socket, for the seccomp rule that lets only it send. */
int sender_fd(const struct sender *s);

void sender_close(struct sender *s);

#endif
