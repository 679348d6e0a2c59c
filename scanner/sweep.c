/* sweep: one live sweep: set-up while privileged, then sender + receiver. */
#include "sweep.h"

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../capture/atomic_out.h"
#include "ingest.h"
#include "privs.h"
#include "progress.h"
#include "sender.h"
#include "targets.h"

#define MAX_TARGETS_UNFORCED	(1u << 20)
#define PROGRESS_AFTER_NS	1000000000LL
/* Answers in flight when the sender is done or stopped: longer than the
 * capture's 5 ms ring block timeout, so the last block is delivered. */
#define DRAIN_NS		15000000LL
/*
 * The capture ring: a small sweep's every request and answer (V3 packs an
 * ARP frame in ~128 B), a large one's 250 ms of receiver stall at the
 * sender's ceiling (~500k requests/s plus answers). Bigger costs more than
 * it saves: the kernel zeroes it at open, 21 ms for 16 MB but 170 ms for
 * 64 MB here, a third of a /16 sweep; 8 MB already saw no drop at 400k/s.
 */
#define RING_PER_TARGET		1024
#define RING_MIN		(2u << 20)
#define RING_MAX		(16u << 20)
#define STOP_DRAIN_NS		200000000LL

/*
 * Confirmation rounds go to at most this many suspects, or 1/16 of the
 * targets when that is more; as many again are kept for IPs that answered
 * one of our requests twice with the same MAC (the twin pattern), which a
 * flood of forged MACs cannot crowd out. The receiver sets the bits, so
 * the cap is where they are written, not where the sender reads them.
 */
#define SUSPECT_MIN		64
#define SUSPECT_SHARE		16

struct receiver {
	struct capture		*cap;
	struct ingest		in;
	const struct targets	*targets;
	struct sweep_state	*st;
	uint8_t			mac[6];		/* ours */
	uint32_t		ip;		/* our sender IP (0: --probe) */
	uint64_t		max_suspects;
	uint64_t		drops;		/* last kernel_drops stored */
	int			status;
	char			errbuf[CAPTURE_ERRBUF_SIZE];
};

static int64_t
mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static void
sleep_ns(int64_t ns)
{
	struct timespec ts = { ns / 1000000000, ns % 1000000000 };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Set bit i; true when this call set it (so the count has one writer). */
static bool
set_bit(_Atomic uint64_t *map, uint64_t i)
{
	uint64_t bit = 1ull << (i % 64);

	return !(atomic_fetch_or_explicit(&map[i / 64], bit,
	    memory_order_release) & bit);
}

/*
 * The receiver's per-frame work: the table first (it is the report), then
 * the feedback the sender paces its passes on.
 */
static void
on_event(const struct arp_frame *f, const struct table_event *e, void *user)
{
	struct receiver *r = user;
	struct sweep_state *st = r->st;
	struct table_event ev = *e;

	/* The count moves every 1024 frames at most: store only changes. */
	uint64_t drops = capture_stats(r->cap)->kernel_drops;
	if (drops != r->drops) {
		r->drops = drops;
		atomic_store_explicit(&st->kernel_drops, drops,
		    memory_order_relaxed);
	}
	if (!ev.reply)
		return;
	atomic_fetch_add_explicit(&st->replies, 1, memory_order_relaxed);
	/*
	 * Only an answer to a request we sent (tha and tpa ours, matching a
	 * round we opened) is trusted: anyone can send a reply, so nothing
	 * else may mark a target answered, make it a suspect or stretch the
	 * waits; nor may a frame whose Ethernet source is not its sender
	 * MAC (one port forging many MACs), though it is still reported.
	 * The RTT is the round's first answer's: a flood's forged answers to
	 * a round opened long ago come later.
	 */
	if (!ev.matched || memcmp(f->tha, r->mac, 6) != 0 || f->tpa != r->ip ||
	    (f->has_frame_src && memcmp(f->frame_src, f->sha, 6) != 0))
		return;
	int64_t idx = targets_index(r->targets, f->spa);
	if (idx < 0)
		return;
	if (ev.first && !ev.suspect && ev.rtt_ns > atomic_load_explicit(
	    &st->max_rtt_ns, memory_order_relaxed))
		atomic_store_explicit(&st->max_rtt_ns, ev.rtt_ns,
		    memory_order_relaxed);
	/* One writer: the count tells the sender a canary was answered. */
	atomic_store_explicit(&st->heard[idx], (uint8_t)(atomic_load_explicit(
	    &st->heard[idx], memory_order_relaxed) + 1), memory_order_relaxed);
	if (set_bit(st->answered, (uint64_t)idx))
		atomic_fetch_add_explicit(&st->nanswered, 1,
		    memory_order_relaxed);
	uint64_t ns = atomic_load_explicit(&st->nsuspect, memory_order_relaxed);
	if (ev.suspect && (ns < r->max_suspects ||
	    (ev.repeat && ns < 2 * r->max_suspects)) &&
	    set_bit(st->suspect, (uint64_t)idx))
		atomic_fetch_add_explicit(&st->nsuspect, 1,
		    memory_order_relaxed);
}

static void *
receiver_main(void *arg)
{
	struct receiver *r = arg;

	if (capture_loop(r->cap, ingest_frame, &r->in, r->errbuf) == -1)
		r->status = -1;
	if (r->in.oom) {
		r->status = -1;
		snprintf(r->errbuf, sizeof(r->errbuf),
		    "out of memory while building the table");
	}
	return NULL;
}

struct sender_arg {
	struct sender		*s;
	struct sweep_state	*st;
	pthread_t		main;
};

/* SIGUSR1 to main, which blocks it and waits for it: the report starts the
 * moment the sender is done, not at main's next progress tick. */
static void *
sender_main(void *arg)
{
	struct sender_arg *a = arg;

	sender_run(a->s, a->st);
	pthread_kill(a->main, SIGUSR1);
	/* Closing a packet socket waits out an RCU grace period (~16 ms
	 * here): let it overlap the main thread's drain. */
	sender_close(a->s);
	return NULL;
}

static int
add_default_targets(struct targets *t, const struct iface *ifc, char *errbuf,
    size_t errlen)
{
	unsigned added = 0;

	for (unsigned i = 0; i < ifc->naddrs; i++) {
		uint8_t p = ifc->prefix[i];
		uint32_t mask = p ? ~0u << (32 - p) : 0;
		uint32_t net = ifc->addr[i] & mask, bcast = net | ~mask;
		/* Network and broadcast addresses are nobody's, except on
		 * /31 and /32 where every address is a host. */
		if (p <= 30) {
			net++;
			bcast--;
		}
		if (targets_add_range(t, net, bcast) == -1) {
			snprintf(errbuf, errlen, "out of memory");
			return -1;
		}
		added++;
	}
	for (unsigned i = 0; i < ifc->naddrs; i++)
		targets_exclude(t, ifc->addr[i]);
	if (added == 0) {
		snprintf(errbuf, errlen, "interface %s has no IPv4 address, so "
		    "there is no subnet to sweep; name the targets (e.g. "
		    "198.18.0.0/24)", ifc->name);
		return -1;
	}
	return 0;
}

static int
build_targets(const struct sweep_options *o, const struct iface *ifc,
    struct targets **out, char *errbuf, size_t errlen)
{
	char tbuf[TARGETS_ERRBUF_SIZE];
	struct targets *t = targets_new();

	if (t == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return -1;
	}
	*out = t;
	for (int i = 0; i < o->nspecs; i++) {
		if (targets_add_spec(t, o->specs[i], tbuf) == -1) {
			snprintf(errbuf, errlen, "%s", tbuf);
			return -1;
		}
	}
	if (o->target_fp != NULL &&
	    targets_add_stream(t, o->target_fp, o->target_file, tbuf) == -1) {
		snprintf(errbuf, errlen, "%s", tbuf);
		return -1;
	}
	if (o->nspecs == 0 && o->target_fp == NULL &&
	    add_default_targets(t, ifc, errbuf, errlen) == -1)
		return -1;
	targets_finish(t);
	uint64_t n = targets_count(t);
	if (n == 0) {
		snprintf(errbuf, errlen, "no targets left to sweep");
		return -1;
	}
	if (n > MAX_TARGETS_UNFORCED && !o->force) {
		snprintf(errbuf, errlen, "%llu targets is more than 2^20 "
		    "(1048576); add --force if you mean to sweep them all",
		    (unsigned long long)n);
		return -1;
	}
	return 0;
}

static int
source_ip(const struct sweep_options *o, const struct iface *ifc,
    uint32_t *ip, char *errbuf, size_t errlen)
{
	struct in_addr a;

	if (o->probe) {
		*ip = 0;
	} else if (o->source_ip != NULL) {
		if (inet_pton(AF_INET, o->source_ip, &a) != 1) {
			snprintf(errbuf, errlen, "--source-ip '%s': not an "
			    "IPv4 address", o->source_ip);
			return -1;
		}
		*ip = ntohl(a.s_addr);
	} else if (ifc->naddrs > 0) {
		*ip = ifc->addr[0];
	} else {
		snprintf(errbuf, errlen, "interface %s has no IPv4 address to "
		    "send from; pass --source-ip A or --probe", ifc->name);
		return -1;
	}
	return 0;
}

/* Targets asked apart from retries, so the count never passes the target
 * count; the ETA smoothed so it counts down (progress.h). */
static void
progress(const struct sweep_state *st, uint64_t n, int64_t started,
    struct progress_eta *pe)
{
	int64_t eta = atomic_load_explicit(&st->eta_ns, memory_order_relaxed);
	int64_t now = mono_ns();
	struct progress_counts c = {
		.targets = n,
		.asked = atomic_load_explicit(&st->asked, memory_order_relaxed),
		.sent = atomic_load_explicit(&st->sent, memory_order_relaxed),
		.replies = atomic_load_explicit(&st->replies,
		    memory_order_relaxed),
		.hosts = atomic_load_explicit(&st->nanswered,
		    memory_order_relaxed),
	};
	char line[160];

	/* Read apart from sent: a batch may be counted in one, not yet in
	 * the other. */
	if (c.asked > c.sent)
		c.sent = c.asked;
	progress_format(line, sizeof(line), &c, (now - started) / 1e9,
	    progress_eta_update(pe, eta >= 0 ? eta / 1e9 : -1, now));
	fprintf(stderr, "\r\033[K%s", line);
}

/*
 * Wait for the sender while turning SIGINT/SIGTERM into st->stop and drawing
 * the progress line; returns true when a signal stopped the sweep.
 */
static bool
supervise(struct sweep_state *st, const sigset_t *sigs, bool show, uint64_t n)
{
	int64_t started = mono_ns();
	bool stopped = false, drawn = false;
	struct timespec tick = { 0, 100000000 };
	struct progress_eta pe;

	progress_eta_init(&pe);
	while (!atomic_load_explicit(&st->done, memory_order_acquire)) {
		int sig = sigtimedwait(sigs, NULL, &tick);
		if (sig == SIGINT || sig == SIGTERM) {
			atomic_store_explicit(&st->stop, true,
			    memory_order_release);
			stopped = true;
		}
		if (show && mono_ns() - started > PROGRESS_AFTER_NS) {
			progress(st, n, started, &pe);
			drawn = true;
		}
	}
	if (drawn)
		fputs("\r\033[K", stderr);
	return stopped;
}

int
sweep_run(const struct sweep_options *o, struct sweep_result *res,
    char *errbuf, size_t errlen)
{
	struct targets *targets = NULL;
	struct capture *cap = NULL;
	struct sender *snd = NULL;
	struct atomic_out *record = o->record;
	struct mnl_socket *nl = NULL;	/* the bridge's forwarding database */
	struct sweep_state st;
	char cbuf[CAPTURE_ERRBUF_SIZE];
	int rc = -1;

	/*
	 * Signals go to main only, blocked before any handle, file or thread
	 * exists: threads inherit the mask and never take a Ctrl-C, which
	 * main turns into a partial report. They stay blocked after the
	 * sweep: a late Ctrl-C must not cut the report short, and the
	 * sender's SIGUSR1 may still be pending when main saw `done` first.
	 */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGUSR1);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);

	memset(&st, 0, sizeof(st));
	/* Named targets first: the interface whose subnet holds them is the
	 * one to choose. */
	bool named = o->nspecs > 0 || o->target_fp != NULL;
	struct iface_hint hint = o->hint;
	if (named) {
		if (build_targets(o, NULL, &targets, errbuf, errlen) == -1)
			goto out;
		hint.have_target = true;
		hint.target = targets_ip(targets, 0);
	}
	if (iface_get(o->ifname, &hint, &res->iface, errbuf, errlen) == -1) {
		/* A dry run of named targets needs no interface at all. */
		if (!(o->dry_run && o->ifname == NULL && named))
			goto out;
		snprintf(res->iface.name, sizeof(res->iface.name), "-");
		snprintf(res->iface.reason, sizeof(res->iface.reason), "-: none "
		    "(%s)", errbuf);
	}
	/* A dry run sends nothing, so it needs no address to send from. */
	if ((source_ip(o, &res->iface, &res->src_ip, errbuf, errlen) == -1 &&
	    !o->dry_run) ||
	    (!named && build_targets(o, &res->iface, &targets, errbuf,
	    errlen) == -1))
		goto out;
	uint64_t n = targets_count(targets);
	res->targets = n;
	if (o->dry_run) {
		char a[16], b[16];
		struct in_addr x = { htonl(targets_ip(targets, 0)) };
		struct in_addr y = { htonl(targets_ip(targets, n - 1)) };
		inet_ntop(AF_INET, &x, a, sizeof(a));
		inet_ntop(AF_INET, &y, b, sizeof(b));
		printf("%llu targets on %s, from %s to %s (dry run: nothing "
		    "sent)\ninterface %s\n", (unsigned long long)n,
		    res->iface.name, a, b, res->iface.reason);
		rc = 0;
		goto out;
	}

	if (!privs_have_net_raw()) {
		snprintf(errbuf, errlen, "interface %s: permission denied: "
		    "arpsweep needs CAP_NET_RAW; run it as root (sudo) or grant "
		    "it with 'setcap cap_net_raw,cap_setpcap+ep arpsweep'",
		    res->iface.name);
		goto out;
	}
	uint64_t ring = n * RING_PER_TARGET;
	if (ring < RING_MIN)
		ring = RING_MIN;
	if (ring > RING_MAX)
		ring = RING_MAX;
	/* On a Linux bridge each frame's ingress port is captured too, unless
	 * asked not to. */
	char brdir[64];
	snprintf(brdir, sizeof(brdir), "/sys/class/net/%s/bridge",
	    res->iface.name);
	bool ports = !o->no_ports && access(brdir, F_OK) == 0;
	if ((cap = ports ? capture_open_bridge(res->iface.name, (size_t)ring,
	    o->vlan, cbuf) : capture_open_live(res->iface.name, (size_t)ring,
	    cbuf)) == NULL) {
		snprintf(errbuf, errlen, "%s", cbuf);
		goto out;
	}
	/* Opened now: under seccomp no socket can be made, and the database
	 * is read at the end. Not fatal: the report then says less. */
	if (ports)
		nl = fdb_open(res->fdb_error);
	if (record != NULL) {
		struct atomic_out *ao = record;
		record = NULL;		/* the capture's now, either way */
		if (capture_record(cap, ao, cbuf) == -1) {
			snprintf(errbuf, errlen, "%s", cbuf);
			goto out;
		}
	}
	struct sender_config cfg = {
		.ifname = res->iface.name, .spa = res->src_ip, .vlan = o->vlan,
		.rate = o->rate, .rate_max = o->rate_max, .retries = o->retries,
		.confirm = o->confirm, .timeout_ns = o->timeout_ns,
		.random = o->random, .targets = targets,
		.seed = o->seed_set ? o->seed : (uint64_t)mono_ns() ^
		    ((uint64_t)getpid() << 32),
	};
	memcpy(cfg.mac, res->iface.mac, 6);
	if ((snd = sender_open(&cfg, errbuf, errlen)) == NULL)
		goto out;
	size_t words = (size_t)((n + 63) / 64);
	st.answered = calloc(words, sizeof(*st.answered));
	st.suspect = calloc(words, sizeof(*st.suspect));
	st.heard = calloc((size_t)n, sizeof(*st.heard));
	if (st.answered == NULL || st.suspect == NULL || st.heard == NULL) {
		snprintf(errbuf, errlen, "out of memory for %llu targets",
		    (unsigned long long)n);
		goto out;
	}
	atomic_init(&st.eta_ns, -1);
	/* Every handle is open: nothing from the network is parsed with
	 * privileges. */
	if (privs_drop(errbuf, errlen) == -1)
		goto out;
	/* Least privilege, phase by phase (design.md): from here on no new
	 * socket, exec or writable file; only the sender's socket sends. */
	int capfds[CAPTURE_MAX_FDS];
	unsigned ncap = capture_fds(cap, capfds);
	if (privs_confine_fds(PRIVS_SWEEP, capfds, ncap, sender_fd(snd),
	    errbuf, errlen) == -1)
		goto out;
	if (o->after_drop != NULL)
		o->after_drop(o->after_drop_arg);
	/* Our own rounds (one per target) plus others' requests seen. */
	struct table_limits lim = { .max_bindings = o->max_bindings,
	    .max_rounds = n + TABLE_ROUND_ALLOWANCE };
	if ((res->table = table_new_limited(&lim)) == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		goto out;
	}

	struct receiver rcv = { .cap = cap,
	    .targets = targets, .st = &st, .ip = res->src_ip,
	    .max_suspects = n / SUSPECT_SHARE > SUSPECT_MIN ?
	    n / SUSPECT_SHARE : SUSPECT_MIN };
	memcpy(rcv.mac, res->iface.mac, 6);
	ingest_init(&rcv.in, res->table, cap, 0, on_event, &rcv);
	struct sender_arg sa = { snd, &st, pthread_self() };
	pthread_t rt, stid;
	if (pthread_create(&rt, NULL, receiver_main, &rcv) != 0) {
		snprintf(errbuf, errlen, "cannot start the receiver thread");
		goto out;
	}
	if (pthread_create(&stid, NULL, sender_main, &sa) != 0) {
		capture_stop(cap);
		pthread_join(rt, NULL);
		snprintf(errbuf, errlen, "cannot start the sender thread");
		goto out;
	}
	snd = NULL;			/* the sender thread closes it */
	res->partial = supervise(&st, &sigs, !o->quiet && isatty(2), n);
	/* A stopped sender sends at most the batch in hand: the drain
	 * covers it, and the join below waits for it anyway. */
	sleep_ns(res->partial ? STOP_DRAIN_NS : DRAIN_NS);
	pthread_join(stid, NULL);
	/* The sender and its socket are gone: nothing may send any more,
	 * while the receiver drains the ring and the report is written. */
	if (privs_confine_fds(PRIVS_REPORT, capfds, ncap, -1, errbuf,
	    errlen) == -1) {
		capture_stop(cap);
		pthread_join(rt, NULL);
		goto out;
	}
	capture_stop(cap);
	pthread_join(rt, NULL);
	if (rcv.status == -1) {
		snprintf(errbuf, errlen, "%s", rcv.errbuf);
		goto out;
	}
	res->stats = *capture_stats(cap);
	res->ports = *capture_ports(cap);
	/* Where the bridge sends each MAC now, after the last answer: the
	 * twin it learnt last is the one that keeps the traffic. */
	if (nl != NULL && fdb_dump(nl, (int)res->ports.p[0].ifindex,
	    &res->fdb, res->fdb_error) == -1 && res->fdb_error[0] == '\0')
		snprintf(res->fdb_error, sizeof(res->fdb_error), "bridge "
		    "forwarding database: not read");
	fdb_close(nl);
	nl = NULL;
	res->sent = atomic_load(&st.sent);
	res->send_s = atomic_load(&st.send_ns) / 1e9;
	res->rate = atomic_load(&st.rate);
	res->canaries = atomic_load(&st.canaries);
	res->canaries_lost = atomic_load(&st.canaries_lost);
	res->missed = atomic_load(&st.missed);
	rc = 0;
out:
	fdb_close(nl);
	if (snd != NULL)
		sender_close(snd);
	/* A sweep that failed leaves the previous recording as it was; one
	 * whose recording failed still has its report: say it after. */
	atomic_out_abort(record);
	if (cap != NULL && rc == -1)
		capture_record_abort(cap);
	if (cap != NULL && capture_close(cap, cbuf) == -1 && rc == 0)
		snprintf(res->record_error, sizeof(res->record_error), "%s",
		    cbuf);
	targets_free(targets);
	free(st.answered);
	free(st.suspect);
	free(st.heard);
	if (rc == -1) {
		table_free(res->table);
		res->table = NULL;
	}
	return rc;
}
