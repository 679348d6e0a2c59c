/* sender: ARP requests built once with libnet, sent as paced sendmmsg() batches. */
#include "sender.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libnet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH		64
#define FRAME_MAX	64
#define SLICE_NS	5000000LL	/* longest sleep between stop checks */
#define NOBUFS_SLEEP_NS	50000LL
#define NOBUFS_BACKOFF	16		/* consecutive batches hitting ENOBUFS */
#define MS		1000000LL

struct sender {
	const struct sender_config *cfg;
	int		fd;		/* ours: libnet only builds the frame */
	uint8_t		tmpl[FRAME_MAX];
	size_t		len;
	size_t		tpa_off;

	/* Batch: every slot holds a template copy; only tpa changes. */
	uint8_t		frames[BATCH][FRAME_MAX];
	struct iovec	iov[BATCH];
	struct mmsghdr	msgs[BATCH];

	/* Pacing (sender thread only). */
	bool		paced;
	double		rate;		/* requests per second when paced */
	int64_t		t0;		/* token k may be spent at t0 + k/rate */
	uint64_t	k;
	uint64_t	drops_base;	/* st->kernel_drops when rate_max began */
	unsigned	nobufs_streak;
	int64_t		busy_ns;	/* time spent sending, for the achieved rate */
	uint64_t	nsent;
	int64_t		last_backoff;

	/*
	 * Retry timing (sender thread only). Iteration positions are grouped
	 * in slots of slot_size; slot_ns[k] is when pass 0 last asked a
	 * target of slot k. The first retry goes to a target once the timeout
	 * has passed since then, so it can follow a pass longer than the
	 * timeout at once. NULL: wait out every pass.
	 */
	int64_t		*slot_ns;
	uint64_t	slot_size;
	uint64_t	*retried;	/* bit per target: asked in this retry pass */
};

#define MAX_SLOTS	65536

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
sleep_abs(int64_t t)
{
	struct timespec ts = { .tv_sec = t / 1000000000LL,
	    .tv_nsec = t % 1000000000LL };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) ==
	    EINTR)
		;
}

static bool
stopped(const struct sweep_state *st)
{
	return atomic_load_explicit(&st->stop, memory_order_acquire);
}

/* Sleep until t in short slices so a stop request is honoured quickly.
 * False when stopped. */
static bool
sleep_until(const struct sweep_state *st, int64_t t)
{
	for (;;) {
		int64_t now;

		if (stopped(st))
			return false;
		now = now_ns();
		if (now >= t)
			return true;
		sleep_abs(t - now > SLICE_NS ? now + SLICE_NS : t);
	}
}

static int64_t
clamp64(int64_t v, int64_t lo, int64_t hi)
{
	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	return v;
}

/*
 * The send socket: AF_PACKET with protocol 0, bound to the interface. Made
 * this way it never has a receive hook, so binding it costs nothing, while
 * unhooking a running socket (libnet's ETH_P_ALL one) waits for an RCU grace
 * period (8-16 ms here, as does every packet-socket close). Bound, each
 * message needs no address: no per-frame address copy and device lookup in
 * sendmmsg (~8% more frames/s here). libnet's messages for these failures
 * name no remedy; these do.
 */
static int
open_socket(struct sender *s, char *errbuf, size_t errlen)
{
	const char *ifname = s->cfg->ifname;
	struct sockaddr_ll sll;
	struct ifreq ifr;
	int sndbuf = 4 << 20;
	unsigned ifindex = strlen(ifname) < IF_NAMESIZE ?
	    if_nametoindex(ifname) : 0;

	if (ifindex == 0) {
		snprintf(errbuf, errlen, "interface %s does not exist; list "
		    "interfaces with 'ip link'", ifname);
		return -1;
	}
	s->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		if (errno == EPERM || errno == EACCES)
			snprintf(errbuf, errlen, "interface %s: permission "
			    "denied: arpsweep needs CAP_NET_RAW; run it as "
			    "root (sudo) or grant it with 'setcap "
			    "cap_net_raw,cap_setpcap+ep arpsweep'", ifname);
		else
			snprintf(errbuf, errlen, "interface %s: cannot open a "
			    "packet socket: %s", ifname, strerror(errno));
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	if (ioctl(s->fd, SIOCGIFFLAGS, &ifr) == 0 && !(ifr.ifr_flags & IFF_UP)) {
		snprintf(errbuf, errlen, "interface %s is down; bring it up "
		    "with 'ip link set %s up'", ifname, ifname);
		return -1;
	}
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_ifindex = (int)ifindex;
	if (bind(s->fd, (struct sockaddr *)&sll, sizeof(sll)) == -1) {
		snprintf(errbuf, errlen, "interface %s: cannot bind the packet "
		    "socket: %s", ifname, strerror(errno));
		return -1;
	}
	/* Best effort: more frames in flight before EAGAIN. */
	(void)setsockopt(s->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	return 0;
}

/*
 * libnet builds the request, header by header, in a context that opens no
 * socket (LIBNET_NONE); the frame is its link header followed by its ARP
 * header, read back with libnet_getpbuf.
 */
static int
build_template(struct sender *s, char *errbuf, size_t errlen)
{
	static const uint8_t bcast[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	static const uint8_t zero_mac[6];
	const struct sender_config *cfg = s->cfg;
	uint32_t spa = htonl(cfg->spa), tpa = 0, want = cfg->vlan >= 0 ? 46 : 42;
	char lerr[LIBNET_ERRBUF_SIZE];
	libnet_ptag_t arp, link;
	uint32_t alen, llen;
	const uint8_t *ab, *lb;
	libnet_t *l;

	lerr[0] = '\0';
	if ((l = libnet_init(LIBNET_NONE, NULL, lerr)) == NULL) {
		snprintf(errbuf, errlen, "interface %s: libnet_init failed: %s",
		    cfg->ifname, lerr);
		return -1;
	}
	arp = libnet_build_arp(ARPHRD_ETHER, ETHERTYPE_IP, 6, 4, ARPOP_REQUEST,
	    cfg->mac, (const uint8_t *)&spa, zero_mac, (const uint8_t *)&tpa,
	    NULL, 0, l, 0);
	if (arp == -1)
		goto fail;
	if (cfg->vlan >= 0)
		link = libnet_build_802_1q(bcast, cfg->mac, ETHERTYPE_VLAN, 0, 0,
		    (uint16_t)cfg->vlan, ETHERTYPE_ARP, NULL, 0, l, 0);
	else
		link = libnet_build_ethernet(bcast, cfg->mac, ETHERTYPE_ARP,
		    NULL, 0, l, 0);
	if (link == -1)
		goto fail;
	lb = libnet_getpbuf(l, link);
	llen = libnet_getpbuf_size(l, link);
	ab = libnet_getpbuf(l, arp);
	alen = libnet_getpbuf_size(l, arp);
	if (lb == NULL || ab == NULL || llen + alen != want) {
		snprintf(errbuf, errlen, "interface %s: libnet built a %u-byte "
		    "request, expected %u", cfg->ifname, llen + alen, want);
		libnet_destroy(l);
		return -1;
	}
	memcpy(s->tmpl, lb, llen);
	memcpy(s->tmpl + llen, ab, alen);
	s->len = want;
	s->tpa_off = want - 4;
	libnet_destroy(l);
	return 0;
fail:
	snprintf(errbuf, errlen, "interface %s: cannot build the ARP request: "
	    "%s", cfg->ifname, libnet_geterror(l));
	libnet_destroy(l);
	return -1;
}

struct sender *
sender_open(const struct sender_config *cfg, char *errbuf, size_t errlen)
{
	struct sender *s;

	if (cfg->ifname == NULL || cfg->targets == NULL) {
		snprintf(errbuf, errlen, "sender: no interface or targets");
		return NULL;
	}
	if (cfg->vlan > 4095 || (!cfg->rate_max && !(cfg->rate > 0))) {
		snprintf(errbuf, errlen, "sender: invalid VLAN %d or rate %g",
		    cfg->vlan, cfg->rate);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (s == NULL) {
		snprintf(errbuf, errlen, "sender: out of memory");
		return NULL;
	}
	s->cfg = cfg;
	s->fd = -1;
	if (open_socket(s, errbuf, errlen) == -1 ||
	    build_template(s, errbuf, errlen) == -1)
		goto fail;
	for (int i = 0; i < BATCH; i++) {
		memcpy(s->frames[i], s->tmpl, s->len);
		s->iov[i].iov_base = s->frames[i];
		s->iov[i].iov_len = s->len;
		s->msgs[i].msg_hdr.msg_iov = &s->iov[i];
		s->msgs[i].msg_hdr.msg_iovlen = 1;
	}
	return s;
fail:
	sender_close(s);
	return NULL;
}

int
sender_fd(const struct sender *s)
{
	return s->fd;
}

void
sender_close(struct sender *s)
{
	if (s == NULL)
		return;
	if (s->fd != -1)
		close(s->fd);
	free(s);
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

size_t
sender_frame(const struct sender *s, uint32_t ip, uint8_t *buf)
{
	memcpy(buf, s->tmpl, s->len);
	put_be32(buf + s->tpa_off, ip);
	return s->len;
}

static bool
bit_set(_Atomic uint64_t *map, uint64_t idx)
{
	if (map == NULL)
		return false;
	return (atomic_load_explicit(&map[idx / 64], memory_order_acquire) >>
	    (idx % 64)) & 1;
}

static void
pacer_reset(struct sender *s)
{
	s->t0 = now_ns();
	s->k = 0;
}

/* Tokens that may be spent now; 0 means sleep until pacer_next(). */
static uint64_t
pacer_avail(struct sender *s, int64_t now)
{
	double cap = s->rate * 0.005;
	double due;

	if (cap < BATCH)
		cap = BATCH;
	if (now < s->t0)
		return 0;
	due = (double)(now - s->t0) * s->rate / 1e9 + 1.0;
	if (due - (double)s->k > cap) {
		/* Far behind (stalled): catch up by one burst, not forever. */
		s->t0 = now - (int64_t)((cap - 1.0) * 1e9 / s->rate);
		s->k = 0;
		return (uint64_t)cap;
	}
	if (due < (double)s->k + 1.0)
		return 0;
	return (uint64_t)due - s->k;
}

static int64_t
pacer_next(const struct sender *s)
{
	return s->t0 + (int64_t)((double)s->k * 1e9 / s->rate + 0.999);
}

/* rate_max hit loss: pace at half of what actually went out so far. */
static void
back_off(struct sender *s, struct sweep_state *st)
{
	double achieved = s->busy_ns > 0 ?
	    (double)s->nsent * 1e9 / (double)s->busy_ns : 0;
	double r = (s->paced ? s->rate : achieved) / 2;

	if (r < 100)
		r = 100;
	s->rate = r;
	s->paced = true;
	s->nobufs_streak = 0;
	s->drops_base = atomic_load_explicit(&st->kernel_drops,
	    memory_order_relaxed);
	s->last_backoff = now_ns();
	pacer_reset(s);
}

/* Write frames [off, off+n) with sendmmsg, retrying the rest on ENOBUFS. */
static void
send_burst(struct sender *s, struct sweep_state *st, unsigned off, unsigned n)
{
	unsigned end = off + n, done = 0;
	bool nobufs = false;

	while (off < end) {
		int r = sendmmsg(s->fd, &s->msgs[off], end - off,
		    MSG_DONTWAIT);

		if (r > 0) {
			off += (unsigned)r;
			done += (unsigned)r;
			continue;
		}
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && (errno == ENOBUFS || errno == EAGAIN)) {
			nobufs = true;
			if (!sleep_until(st, now_ns() + NOBUFS_SLEEP_NS))
				break;
			continue;
		}
		/* Anything else is about this frame: count it and move on. */
		atomic_fetch_add_explicit(&st->send_errors, 1,
		    memory_order_relaxed);
		off++;
	}
	s->nsent += done;
	atomic_fetch_add_explicit(&st->sent, done, memory_order_relaxed);
	s->nobufs_streak = nobufs ? s->nobufs_streak + 1 : 0;
}

/* Put the n prepared frames on the wire, paced. */
static void
flush(struct sender *s, struct sweep_state *st, unsigned n)
{
	const struct sender_config *cfg = s->cfg;
	unsigned off = 0;
	int64_t start = now_ns();

	while (off < n && !stopped(st)) {
		unsigned burst = n - off;

		if (s->paced) {
			uint64_t avail = pacer_avail(s, now_ns());

			if (avail == 0) {
				sleep_until(st, pacer_next(s));
				continue;
			}
			if (burst > avail)
				burst = (unsigned)avail;
			s->k += burst;
		}
		send_burst(s, st, off, burst);
		off += burst;
	}
	s->busy_ns += now_ns() - start;

	if (cfg->rate_max) {
		uint64_t drops = atomic_load_explicit(&st->kernel_drops,
		    memory_order_relaxed);
		bool again = !s->paced || now_ns() - s->last_backoff > 100 * MS;

		if (drops > s->drops_base && again)
			back_off(s, st);
		else if (s->nobufs_streak >= NOBUFS_BACKOFF && again)
			back_off(s, st);
	}
}

static int64_t
cur_timeout(const struct sender *s, const struct sweep_state *st)
{
	int64_t rtt = atomic_load_explicit(&st->max_rtt_ns,
	    memory_order_relaxed);
	int64_t t;

	if (rtt <= 0 || rtt >= s->cfg->timeout_ns)
		return s->cfg->timeout_ns;
	t = 4 * rtt + 10 * MS;
	if (t < 20 * MS)
		t = 20 * MS;
	return t < s->cfg->timeout_ns ? t : s->cfg->timeout_ns;
}

static int64_t
cur_spacing(const struct sweep_state *st)
{
	int64_t rtt = atomic_load_explicit(&st->max_rtt_ns,
	    memory_order_relaxed);

	rtt = clamp64(rtt, 0, 2000 * MS);	/* no overflow below */
	return clamp64(3 * rtt + 20 * MS, 100 * MS, 2000 * MS);
}

static bool
all_answered(const struct sender *s, const struct sweep_state *st)
{
	return atomic_load_explicit(&st->nanswered, memory_order_acquire) >=
	    targets_count(s->cfg->targets);
}

static double
eff_rate(const struct sender *s)
{
	if (s->paced)
		return s->rate;
	if (s->busy_ns > 0 && s->nsent > 0)
		return (double)s->nsent * 1e9 / (double)s->busy_ns;
	return 1e6;
}

/*
 * Rough time left: sends still due / rate + waits still due. `future` is
 * the number of retry passes after the current one, each costing one
 * request per unanswered target and one timeout.
 */
static void
set_eta(const struct sender *s, struct sweep_state *st, unsigned future,
    uint64_t left_in_pass, int64_t wait_left)
{
	const struct sender_config *cfg = s->cfg;
	uint64_t n = targets_count(cfg->targets);
	uint64_t ans = atomic_load_explicit(&st->nanswered,
	    memory_order_relaxed);
	uint64_t unans = ans < n ? n - ans : 0;
	uint64_t sends = left_in_pass + (uint64_t)future * unans;
	int64_t waits = wait_left, eta;

	if (unans > 0)
		waits += (int64_t)future * cur_timeout(s, st);
	if (cfg->confirm > 0 && atomic_load_explicit(&st->nsuspect,
	    memory_order_relaxed) > 0)
		waits += (int64_t)cfg->confirm * cur_spacing(st);
	eta = (int64_t)((double)sends * 1e9 / eff_rate(s)) + waits;
	atomic_store_explicit(&st->eta_ns, eta, memory_order_relaxed);
}

/*
 * Wait for answers. The pass timeout is re-read every slice, so it shrinks
 * as soon as the first RTT is known. False when stopped.
 */
static bool
wait_answers(const struct sender *s, struct sweep_state *st, unsigned future,
    bool confirm_wait)
{
	int64_t start = now_ns();

	for (;;) {
		int64_t len = confirm_wait ? cur_spacing(st) :
		    cur_timeout(s, st);
		int64_t now, end = start + len;

		if (stopped(st))
			return false;
		if (!confirm_wait && all_answered(s, st))
			return true;
		now = now_ns();
		if (now >= end)
			return true;
		set_eta(s, st, future, 0, end - now);
		sleep_abs(end - now > SLICE_NS ? now + SLICE_NS : end);
	}
}

/*
 * Send the nb collected frames, the last at iteration position `last`; in
 * pass 0, which skips nobody, they are positions last-nb+1..last, so note
 * when their slots were asked. Only pass 0 is timed by slot: the passes after
 * the first retry pass follow a full wait, and a retry batch straddles slots,
 * so stamping the slot of its last frames would hold back the rest of that
 * slot for a timeout.
 */
static void
flush_pass(struct sender *s, struct sweep_state *st, unsigned nb,
    unsigned pass, uint64_t last)
{
	int64_t t;

	flush(s, st, nb);
	if (s->slot_ns == NULL || pass > 0)
		return;
	t = now_ns();
	for (uint64_t k = (last + 1 - nb) / s->slot_size;
	    k <= last / s->slot_size; k++)
		s->slot_ns[k] = t;
}

/* When the target at position pos may be asked again. */
static int64_t
slot_due(const struct sender *s, const struct sweep_state *st, uint64_t pos)
{
	return s->slot_ns[pos / s->slot_size] + cur_timeout(s, st);
}

/*
 * Before a retry to target idx at position pos: wait until the timeout has
 * passed since its slot was last asked, or it answers, or everyone has. The
 * timeout is re-read every slice, as it shrinks once RTTs are known. False
 * when stopped.
 */
static bool
wait_due(const struct sender *s, struct sweep_state *st, uint64_t pos,
    uint64_t idx)
{
	for (;;) {
		int64_t now, due;

		if (stopped(st))
			return false;
		due = slot_due(s, st, pos);
		now = now_ns();
		if (now >= due || bit_set(st->answered, idx) ||
		    all_answered(s, st))
			return true;
		sleep_abs(due - now > SLICE_NS ? now + SLICE_NS : due);
	}
}

/* One pass over all targets (pass 0) or over the unanswered ones. */
static void
run_pass(struct sender *s, struct sweep_state *st, unsigned pass)
{
	const struct sender_config *cfg = s->cfg;
	uint64_t n = targets_count(cfg->targets), idx, seen = 0;
	int64_t now = 0;
	struct target_iter it;
	unsigned nb = 0;
	uint32_t ip;

	target_iter_init(&it, cfg->targets, cfg->random, cfg->seed);
	pacer_reset(s);
	if (pass == 0)
		set_eta(s, st, cfg->retries, n, cur_timeout(s, st));
	if (pass > 0 && s->retried != NULL)
		memset(s->retried, 0, (n + 63) / 64 * sizeof(*s->retried));
	while (target_iter_next(&it, &idx, &ip)) {
		uint64_t pos = seen++;

		if (pass > 0 && bit_set(st->answered, idx))
			continue;
		if (pass > 0 && s->slot_ns != NULL) {
			int64_t due = slot_due(s, st, pos);

			/* `now` is only re-read when a stale one says wait. */
			if (due > now && (now = now_ns()) < due) {
				/* What is collected is older: send it first. */
				if (nb > 0) {
					flush_pass(s, st, nb, pass, pos - 1);
					nb = 0;
				}
				if (!wait_due(s, st, pos, idx))
					return;
				now = now_ns();
				if (bit_set(st->answered, idx))
					continue;
			}
		}
		if (pass > 0 && s->retried != NULL)
			s->retried[idx / 64] |= (uint64_t)1 << (idx % 64);
		put_be32(s->frames[nb] + s->tpa_off, ip);
		if (++nb < BATCH)
			continue;
		flush_pass(s, st, nb, pass, seen - 1);
		nb = 0;
		set_eta(s, st, cfg->retries - pass, n - seen,
		    cur_timeout(s, st));
		if (stopped(st))
			return;
	}
	if (nb > 0)
		flush_pass(s, st, nb, pass, seen - 1);
	set_eta(s, st, cfg->retries - pass, 0, cur_timeout(s, st));
}

/* Targets asked in the last retry pass that have answered since. */
static uint64_t
found_by_retry(const struct sender *s, const struct sweep_state *st)
{
	uint64_t n = targets_count(s->cfg->targets), found = 0;

	for (uint64_t w = 0; w < (n + 63) / 64; w++)
		found += (uint64_t)__builtin_popcountll(s->retried[w] &
		    atomic_load_explicit(&st->answered[w],
		    memory_order_acquire));
	return found;
}

/* One request to every index whose suspect bit is set. */
static void
run_confirm(struct sender *s, struct sweep_state *st)
{
	uint64_t n = targets_count(s->cfg->targets);
	unsigned nb = 0;

	if (st->suspect == NULL)
		return;
	pacer_reset(s);
	for (uint64_t w = 0; w < (n + 63) / 64; w++) {
		uint64_t bits = atomic_load_explicit(&st->suspect[w],
		    memory_order_acquire);

		while (bits != 0) {
			uint64_t idx = w * 64 + (uint64_t)__builtin_ctzll(bits);

			bits &= bits - 1;
			if (idx >= n)
				break;
			put_be32(s->frames[nb] + s->tpa_off,
			    targets_ip(s->cfg->targets, idx));
			if (++nb < BATCH)
				continue;
			flush(s, st, nb);
			nb = 0;
			if (stopped(st))
				return;
		}
	}
	if (nb > 0)
		flush(s, st, nb);
}

void
sender_run(struct sender *s, struct sweep_state *st)
{
	const struct sender_config *cfg = s->cfg;
	unsigned pass, c, rounds = 0;

	s->paced = !cfg->rate_max;
	s->rate = cfg->rate;
	s->nsent = 0;
	s->busy_ns = 0;
	s->nobufs_streak = 0;
	s->last_backoff = 0;
	s->drops_base = atomic_load_explicit(&st->kernel_drops,
	    memory_order_relaxed);
	uint64_t drops0 = s->drops_base;
	uint64_t n = targets_count(cfg->targets);
	uint64_t at_retry = 0;	/* answered when the last pass began */

	if (cfg->retries > 0 && st->answered != NULL) {
		/* Without them every pass is waited out, and a retry pays
		 * off when anyone answered during the last one. */
		s->slot_size = (n + MAX_SLOTS - 1) / MAX_SLOTS;
		if (s->slot_size < BATCH)
			s->slot_size = BATCH;
		s->slot_ns = calloc((n + s->slot_size - 1) / s->slot_size,
		    sizeof(*s->slot_ns));
		s->retried = calloc((n + 63) / 64, sizeof(*s->retried));
		if (s->slot_ns == NULL || s->retried == NULL) {
			free(s->slot_ns);
			free(s->retried);
			s->slot_ns = NULL;
			s->retried = NULL;
		}
	}
	for (pass = 0; pass <= cfg->retries; pass++) {
		/*
		 * Retry again only while retrying pays off (nmap's
		 * max_successful_tryno): if everyone the last retry pass asked
		 * is still silent after its wait, losses are rarer than one per
		 * sweep and a further pass would find nothing.
		 */
		uint64_t answered = atomic_load_explicit(&st->nanswered,
		    memory_order_acquire);

		if (pass >= 2 && (s->retried != NULL ?
		    found_by_retry(s, st) == 0 : answered == at_retry))
			break;
		at_retry = answered;
		run_pass(s, st, pass);
		if (stopped(st) || all_answered(s, st))
			break;
		/* The first retry pass times each target itself. */
		if (pass == 0 && cfg->retries > 0 && s->slot_ns != NULL)
			continue;
		if (!wait_answers(s, st, cfg->retries - pass, false) ||
		    all_answered(s, st))
			break;
	}
	/* Frames the kernel dropped before the receiver read them may have
	 * been answers: one more pass over what is still silent, even with
	 * --retries 0. */
	if (!stopped(st) && !all_answered(s, st) &&
	    atomic_load_explicit(&st->kernel_drops, memory_order_relaxed) >
	    drops0) {
		run_pass(s, st, 1);
		if (!stopped(st))
			wait_answers(s, st, 0, false);
	}
	for (c = 1; c <= cfg->confirm && !stopped(st); c++) {
		if (atomic_load_explicit(&st->nsuspect,
		    memory_order_acquire) == 0)
			break;
		if (!wait_answers(s, st, 0, true))
			break;
		run_confirm(s, st);
		rounds++;
	}
	/* Answers to the last round we sent still need time to arrive. */
	if (rounds > 0 && !stopped(st))
		wait_answers(s, st, 0, true);
	free(s->slot_ns);
	free(s->retried);
	s->slot_ns = NULL;
	s->retried = NULL;
	atomic_store_explicit(&st->eta_ns, 0, memory_order_relaxed);
	atomic_store_explicit(&st->send_ns, s->busy_ns, memory_order_relaxed);
	atomic_store_explicit(&st->done, true, memory_order_release);
}
