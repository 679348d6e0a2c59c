/* test_sender: frame bytes, passes, confirmation, pacing, stop (veth in a netns). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../scanner/sender.h"

#define IF_SEND	"h0send"
#define IF_PEER	"h0peer"
#define MAXF	4096

static const uint8_t our_mac[6] = { 0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc };

/* Every test needs the veth lab, which only root can build. */
#define NEED_ROOT() do {						\
	if (geteuid() != 0) {						\
		print_message("skipped: needs root to create a veth "	\
		    "pair in a private network namespace\n");		\
		skip();							\
	}								\
} while (0)

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static uint32_t
ip4(unsigned a, unsigned b, unsigned c, unsigned d)
{
	return (uint32_t)a << 24 | (uint32_t)b << 16 | (uint32_t)c << 8 | d;
}

/* Everything one sweep needs: targets, config, shared state, bitmaps. */
struct rig {
	struct targets		*t;
	struct sender_config	cfg;
	struct sweep_state	st;
	_Atomic uint64_t	*answered, *suspect;
	struct sender		*s;
};

static void
rig_init(struct rig *r, uint32_t first, uint32_t last)
{
	uint64_t words;

	memset(r, 0, sizeof(*r));
	r->t = targets_new();
	assert_non_null(r->t);
	assert_int_equal(targets_add_range(r->t, first, last), 0);
	targets_finish(r->t);
	words = (targets_count(r->t) + 63) / 64;
	r->answered = calloc(words, sizeof(*r->answered));
	r->suspect = calloc(words, sizeof(*r->suspect));
	assert_non_null(r->answered);
	assert_non_null(r->suspect);
	r->st.answered = r->answered;
	r->st.suspect = r->suspect;
	r->st.eta_ns = -1;
	r->cfg.ifname = IF_SEND;
	memcpy(r->cfg.mac, our_mac, 6);
	r->cfg.spa = ip4(198, 18, 200, 1);
	r->cfg.vlan = -1;
	r->cfg.rate = 50000;
	r->cfg.timeout_ns = 20000000;
	r->cfg.random = true;
	r->cfg.seed = 12345;
	r->cfg.targets = r->t;
}

static void
rig_open(struct rig *r)
{
	char err[256] = "";

	r->s = sender_open(&r->cfg, err, sizeof(err));
	if (r->s == NULL)
		fail_msg("sender_open: %s", err);
}

static void
rig_free(struct rig *r)
{
	sender_close(r->s);
	targets_free(r->t);
	free(r->answered);
	free(r->suspect);
}

static void
mark(_Atomic uint64_t *map, _Atomic uint64_t *count, uint64_t idx)
{
	atomic_fetch_or(&map[idx / 64], (uint64_t)1 << (idx % 64));
	atomic_fetch_add(count, 1);
}

/* A raw socket on the peer end counts what actually crossed the wire. */
static int
peer_open(void)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
	    .sll_protocol = htons(0x0003) };
	int fd, big = 16 << 20;
	uint8_t junk[128];

	fd = socket(AF_PACKET, SOCK_RAW, htons(0x0003));
	assert_true(fd >= 0);
	sll.sll_ifindex = (int)if_nametoindex(IF_PEER);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big));
	while (recv(fd, junk, sizeof(junk), MSG_DONTWAIT) > 0)
		;
	return fd;
}

/*
 * Target IPs of our ARP requests seen on the peer, in arrival order, and,
 * when ts is not NULL (the socket has SO_TIMESTAMPNS), the kernel's arrival
 * time of each.
 */
static size_t
peer_drain_ts(int fd, uint32_t *tpa, int64_t *ts, size_t max)
{
	uint8_t b[256];
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec))];
		struct cmsghdr align;
	} ctl;
	size_t n = 0;

	for (;;) {
		struct iovec iov = { b, sizeof(b) };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1,
		    .msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
		ssize_t len = recvmsg(fd, &mh, MSG_DONTWAIT);
		struct cmsghdr *c;
		int64_t t = -1;

		if (len <= 0)
			break;
		if (len < 42 || b[12] != 0x08 || b[13] != 0x06 ||
		    b[20] != 0 || b[21] != 1 || memcmp(b + 22, our_mac, 6) != 0)
			continue;
		for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == SOL_SOCKET &&
			    c->cmsg_type == SCM_TIMESTAMPNS) {
				struct timespec tv;

				memcpy(&tv, CMSG_DATA(c), sizeof(tv));
				t = (int64_t)tv.tv_sec * 1000000000LL +
				    tv.tv_nsec;
			}
		if (ts != NULL)
			assert_true(t >= 0);
		if (n < max) {
			tpa[n] = (uint32_t)b[38] << 24 | (uint32_t)b[39] << 16 |
			    (uint32_t)b[40] << 8 | b[41];
			if (ts != NULL)
				ts[n] = t;
		}
		n++;
	}
	return n;
}

static size_t
peer_drain(int fd, uint32_t *tpa, size_t max)
{
	return peer_drain_ts(fd, tpa, NULL, max);
}

/* Each of seq[0..n) is a distinct target index and none is in `skip`. */
static void
assert_distinct(const struct targets *t, const uint32_t *seq, size_t n,
    const _Atomic uint64_t *skip)
{
	uint8_t seen[4096] = { 0 };

	for (size_t i = 0; i < n; i++) {
		int64_t idx = targets_index(t, seq[i]);

		assert_true(idx >= 0 && idx < 4096);
		assert_int_equal(seen[idx], 0);
		seen[idx] = 1;
		if (skip != NULL)
			assert_false((skip[idx / 64] >> (idx % 64)) & 1);
	}
}

static void
test_frame_bytes(void **state)
{
	static const uint8_t want_eth[42] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0, 0, 0, 0,
		0, 0, 0, 0, 0, 0, 198, 18, 0, 7,
	};
	static const uint8_t want_vlan[46] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 0x81, 0x00,
		0x00, 0x64, 0x08, 0x06,
		0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,
		0x02, 0x00, 0x00, 0xaa, 0xbb, 0xcc, 198, 18, 200, 1,
		0, 0, 0, 0, 0, 0, 198, 18, 1, 254,
	};
	uint8_t buf[64];
	struct rig r;

	(void)state;
	NEED_ROOT();
	/* RFC 5227 probe: spa 0.0.0.0, untagged. */
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.spa = 0;
	rig_open(&r);
	assert_int_equal(sender_frame(r.s, ip4(198, 18, 0, 7), buf), 42);
	assert_memory_equal(buf, want_eth, 42);
	/* The template is reused: a second target only changes tpa. */
	assert_int_equal(sender_frame(r.s, ip4(198, 18, 0, 9), buf), 42);
	assert_memory_equal(buf, want_eth, 41);
	assert_int_equal(buf[41], 9);
	rig_free(&r);

	/* Normal request from 198.18.200.1, 802.1Q VID 100. */
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.vlan = 100;
	rig_open(&r);
	assert_int_equal(sender_frame(r.s, ip4(198, 18, 1, 254), buf), 46);
	assert_memory_equal(buf, want_vlan, 46);
	rig_free(&r);
}

static void
test_open_errors(void **state)
{
	char err[256] = "";
	struct rig r;
	pid_t pid;
	int status;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 3));
	r.cfg.ifname = "nonexistent0";
	assert_null(sender_open(&r.cfg, err, sizeof(err)));
	assert_string_equal(err, "interface nonexistent0 does not exist; "
	    "list interfaces with 'ip link'");

	assert_int_equal(system("ip link add h0down type veth peer name h0downp"), 0);
	r.cfg.ifname = "h0down";
	assert_null(sender_open(&r.cfg, err, sizeof(err)));
	assert_string_equal(err, "interface h0down is down; bring it up with "
	    "'ip link set h0down up'");

	/* Without CAP_NET_RAW (child drops it): the permission message. */
	r.cfg.ifname = IF_SEND;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		cap_t c = cap_init();

		if (setresuid(65534, 65534, 65534) != 0 || c == NULL ||
		    cap_set_proc(c) != 0)
			_exit(3);
		if (sender_open(&r.cfg, err, sizeof(err)) != NULL)
			_exit(4);
		if (strcmp(err, "interface h0send: permission denied: arpsweep "
		    "needs CAP_NET_RAW; run it as root (sudo) or grant it with "
		    "'setcap cap_net_raw,cap_setpcap+ep arpsweep'") != 0) {
			fprintf(stderr, "got: %s\n", err);
			_exit(5);
		}
		_exit(0);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	rig_free(&r);
}

static void *run_thread(void *arg);

/* Let the last frames reach the peer, collect their targets, close it. */
static size_t
peer_finish(int fd, uint32_t *seq)
{
	size_t n;

	sleep_ms(20);
	n = peer_drain(fd, seq, MAXF);
	close(fd);
	return n;
}

/* Sweep in a thread; after_ms in, target idx answers (as the receiver would
 * mark it). Returns the requests the peer saw, their targets in seq. */
static size_t
sweep_answering(struct rig *r, int fd, int after_ms, uint64_t idx,
    uint32_t *seq)
{
	pthread_t th;

	assert_int_equal(pthread_create(&th, NULL, run_thread, r), 0);
	sleep_ms(after_ms);
	mark(r->answered, &r->st.nanswered, idx);
	pthread_join(th, NULL);
	return peer_finish(fd, seq);
}

static void
test_passes_skip_answered(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.retries = 2;
	rig_open(&r);
	mark(r.answered, &r.st.nanswered, 3);
	mark(r.answered, &r.st.nanswered, 10);
	mark(r.answered, &r.st.nanswered, 63);
	fd = peer_open();
	sender_run(r.s, &r.st);
	n = peer_finish(fd, seq);

	assert_true(atomic_load(&r.st.done));
	/* Pass 0 asks everyone once, the first retry pass the 61 others once;
	 * it found nobody, so the second retry pass is not sent. */
	assert_int_equal(n, 64 + 61);
	assert_int_equal(atomic_load(&r.st.sent), 64 + 61);
	assert_int_equal(atomic_load(&r.st.send_errors), 0);
	assert_int_equal(atomic_load(&r.st.eta_ns), 0);
	assert_distinct(r.t, seq, 64, NULL);
	assert_distinct(r.t, seq + 64, 61, r.answered);
	rig_free(&r);
}

/* A retry pass that finds someone earns the next one. */
static void
test_retry_pays_off(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.retries = 3;
	r.cfg.rate = 1000;		/* a pass lasts ~64 ms */
	r.cfg.timeout_ns = 100000000;
	rig_open(&r);
	fd = peer_open();
	/* Pass 0 ends at ~64 ms; its 64 targets share one slot, due for a
	 * retry at ~164 ms. The retry pass ends at ~228 ms, its wait at ~328
	 * ms: one target answers in that wait. */
	n = sweep_answering(&r, fd, 250, 7, seq);

	/* 64, then 64 (nobody had answered), then 63 (it paid off: one more
	 * pass), then none (that one found nobody). */
	assert_int_equal(n, 64 + 64 + 63);
	assert_distinct(r.t, seq + 128, 63, r.answered);
	rig_free(&r);
}

/*
 * A pass longer than the timeout is followed by the retry pass at once,
 * with no wait: the targets asked first have already had the timeout to
 * answer. The ones asked last have not, and their retries wait for it:
 * none goes out before the timeout has passed since the first request.
 */
static void
test_retry_follows_long_pass(void **state)
{
	static const uint64_t silent[] = { 5, 300, 510 };
	static uint32_t seq[MAXF];
	static int64_t ts[MAXF], first[512];
	const int64_t timeout = 100000000;
	struct rig r;
	size_t n;
	int fd, one = 1;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 1, 255));
	r.cfg.retries = 1;
	r.cfg.rate = 2000;		/* pass 0 lasts ~256 ms */
	r.cfg.timeout_ns = timeout;
	r.cfg.random = false;		/* position = index */
	rig_open(&r);
	/* Everyone but three answers (pass 0 still asks everyone). */
	for (uint64_t i = 0, k = 0; i < 512; i++) {
		if (k < 3 && i == silent[k]) {
			k++;
			continue;
		}
		mark(r.answered, &r.st.nanswered, i);
	}
	fd = peer_open();
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
	    sizeof(one)), 0);
	sender_run(r.s, &r.st);
	sleep_ms(20);
	n = peer_drain_ts(fd, seq, ts, MAXF);
	close(fd);

	assert_int_equal(n, 512 + 3);
	assert_distinct(r.t, seq, 512, NULL);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(targets_index(r.t, seq[512 + i]), silent[i]);
	/* Waiting out the pass would put 100 ms before the first retry. */
	assert_true(ts[512] - ts[511] < timeout / 2);
	for (size_t i = 0; i < 512; i++)
		first[targets_index(r.t, seq[i])] = ts[i];
	for (size_t i = 512; i < n; i++) {
		int64_t gap = ts[i] - first[targets_index(r.t, seq[i])];

		/* 1 ms: both are arrival times on the peer. */
		if (gap < timeout - 1000000)
			fail_msg("retry of %u came %lld ns after its first "
			    "request", seq[i] & 0xffff, (long long)gap);
	}
	rig_free(&r);
}

/*
 * With answered targets skipped, retry batches straddle the slots pass 0
 * was timed by; the retry pass must still run at its rate, not stall a
 * timeout at every slot boundary.
 */
static void
test_retry_pass_runs_through(void **state)
{
	static uint32_t seq[MAXF];
	static int64_t ts[MAXF];
	const int64_t timeout = 200000000;
	int64_t worst = 0;
	struct rig r;
	size_t n, want = 2048 - 683;
	int fd, one = 1;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 7, 255));
	r.cfg.retries = 1;
	r.cfg.rate = 8000;		/* pass 0 lasts ~256 ms */
	r.cfg.timeout_ns = timeout;
	rig_open(&r);
	for (uint64_t i = 0; i < 2048; i += 3)
		mark(r.answered, &r.st.nanswered, i);
	fd = peer_open();
	assert_int_equal(setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one,
	    sizeof(one)), 0);
	sender_run(r.s, &r.st);
	sleep_ms(20);
	n = peer_drain_ts(fd, seq, ts, MAXF);
	close(fd);

	assert_int_equal(n, 2048 + want);
	assert_distinct(r.t, seq + 2048, want, r.answered);
	/* Targets asked in pass 0's last 200 ms pace the retry pass by a few
	 * ms at a time; a stall per slot would be a 200 ms gap. */
	for (size_t i = 2049; i < n; i++)
		if (ts[i] - ts[i - 1] > worst)
			worst = ts[i] - ts[i - 1];
	if (worst >= timeout / 2)
		fail_msg("the retry pass stalled %lld ns", (long long)worst);
	rig_free(&r);
}

/*
 * An answer to pass 0 that arrives during the retry pass, before that
 * target's retry, is no success of the retry: it earns no further pass.
 */
static void
test_late_answer_earns_no_pass(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 1, 255));
	r.cfg.retries = 3;
	r.cfg.rate = 2000;		/* each pass lasts ~256 ms */
	r.cfg.timeout_ns = 50000000;
	r.cfg.random = false;		/* position = index */
	rig_open(&r);
	fd = peer_open();
	/* Mid retry pass (~256 to ~512 ms), long before the last target's
	 * retry comes up. */
	n = sweep_answering(&r, fd, 350, 511, seq);

	assert_int_equal(n, 512 + 511);
	assert_distinct(r.t, seq + 512, 511, r.answered);
	rig_free(&r);
}

/* Kernel drops seen during the passes buy one more pass over the silent
 * targets, even with no retries asked for. */
static void
test_drops_buy_a_pass(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 31));
	r.cfg.retries = 0;
	r.cfg.rate = 1000;		/* pass 0 lasts ~32 ms */
	rig_open(&r);
	mark(r.answered, &r.st.nanswered, 5);
	fd = peer_open();
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, run_thread, &r), 0);
	sleep_ms(10);
	/* As the receiver does when pcap_stats() shows a drop. */
	atomic_fetch_add(&r.st.kernel_drops, 3);
	pthread_join(th, NULL);
	n = peer_finish(fd, seq);

	assert_int_equal(n, 32 + 31);
	assert_distinct(r.t, seq, 32, NULL);
	assert_distinct(r.t, seq + 32, 31, r.answered);
	rig_free(&r);
}

static void
test_all_answered_ends_early(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	int64_t t0, el;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.retries = 3;
	r.cfg.timeout_ns = 2000000000LL;
	rig_open(&r);
	for (uint64_t i = 0; i < 64; i++)
		mark(r.answered, &r.st.nanswered, i);
	fd = peer_open();
	t0 = now_ns();
	sender_run(r.s, &r.st);
	el = now_ns() - t0;
	n = peer_finish(fd, seq);
	assert_true(atomic_load(&r.st.done));
	assert_int_equal(n, 64);
	assert_true(el < 500000000LL);
	rig_free(&r);
}

struct answerer {
	struct rig	*r;
	int64_t		rtt;
};

/* Plays the receiver: once a request went out, everything answers. */
static void *
answer_all(void *arg)
{
	struct answerer *a = arg;
	struct rig *r = a->r;
	uint64_t n = targets_count(r->t);

	while (atomic_load(&r->st.sent) < n && !atomic_load(&r->st.done))
		sleep_ms(1);
	atomic_store(&r->st.max_rtt_ns, a->rtt);
	for (uint64_t i = 0; i < n; i++)
		mark(r->answered, &r->st.nanswered, i);
	return NULL;
}

static void
test_wait_ends_when_all_answer(void **state)
{
	struct answerer a;
	pthread_t th;
	struct rig r;
	int64_t t0, el;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.retries = 2;
	r.cfg.timeout_ns = 3000000000LL;
	rig_open(&r);
	a.r = &r;
	a.rtt = 1000000;
	assert_int_equal(pthread_create(&th, NULL, answer_all, &a), 0);
	t0 = now_ns();
	sender_run(r.s, &r.st);
	el = now_ns() - t0;
	pthread_join(th, NULL);
	assert_true(atomic_load(&r.st.done));
	assert_int_equal(atomic_load(&r.st.sent), 64);
	assert_true(el < 200000000LL);
	rig_free(&r);
}

static void
test_confirm_rounds(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	int64_t t0, el;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 127));
	r.cfg.confirm = 2;
	r.cfg.random = false;
	rig_open(&r);
	mark(r.suspect, &r.st.nsuspect, 5);
	mark(r.suspect, &r.st.nsuspect, 100);
	fd = peer_open();
	t0 = now_ns();
	sender_run(r.s, &r.st);
	el = now_ns() - t0;
	n = peer_finish(fd, seq);
	assert_true(atomic_load(&r.st.done));
	assert_int_equal(n, 128 + 2 * 2);
	for (unsigned i = 0; i < 128; i++)
		assert_int_equal(seq[i], ip4(198, 18, 0, i));
	for (unsigned i = 128; i < 132; i += 2) {
		assert_int_equal(seq[i], ip4(198, 18, 0, 5));
		assert_int_equal(seq[i + 1], ip4(198, 18, 0, 100));
	}
	/* timeout 20 ms + spacing 100 ms before each round and after the last. */
	assert_true(el >= 300000000LL);
	assert_true(el < 1000000000LL);
	rig_free(&r);
}

static void
test_pacing(void **state)
{
	static uint32_t seq[MAXF];
	struct rig r;
	int64_t t0, el;
	size_t n;
	int fd;

	(void)state;
	NEED_ROOT();
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 199));
	r.cfg.rate = 2000;
	r.cfg.timeout_ns = 1000000;
	rig_open(&r);
	fd = peer_open();
	t0 = now_ns();
	sender_run(r.s, &r.st);
	el = now_ns() - t0;
	n = peer_finish(fd, seq);
	print_message("pacing: 200 requests at 2000/s took %.1f ms\n",
	    (double)el / 1e6);
	assert_int_equal(n, 200);
	assert_true(el >= 70000000LL && el <= 130000000LL);
	rig_free(&r);
}

static void *
run_thread(void *arg)
{
	struct rig *r = arg;

	sender_run(r->s, &r->st);
	return NULL;
}

/* Time from setting stop to sender_run returning, in ns. */
static int64_t
stop_latency(struct rig *r, int after_ms, int64_t *eta)
{
	pthread_t th;
	int64_t t0;

	assert_int_equal(pthread_create(&th, NULL, run_thread, r), 0);
	sleep_ms(after_ms);
	*eta = atomic_load(&r->st.eta_ns);
	t0 = now_ns();
	atomic_store(&r->st.stop, true);
	while (!atomic_load(&r->st.done) && now_ns() - t0 < 2000000000LL)
		sleep_ms(1);
	pthread_join(th, NULL);
	return now_ns() - t0;
}

static void
test_stop(void **state)
{
	struct rig r;
	int64_t lat, eta;

	(void)state;
	NEED_ROOT();
	/* While pacing slowly through a big set. */
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 15, 255));
	r.cfg.rate = 100;
	rig_open(&r);
	lat = stop_latency(&r, 30, &eta);
	assert_true(atomic_load(&r.st.done));
	assert_true(atomic_load(&r.st.sent) < 4096);
	assert_true(lat < 50000000LL);
	/* About 4096 requests at 100/s still to go. */
	assert_true(eta > 35000000000LL && eta < 45000000000LL);
	rig_free(&r);

	/* While waiting out a long timeout. */
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 0, 63));
	r.cfg.timeout_ns = 10000000000LL;
	r.cfg.rate_max = true;
	rig_open(&r);
	lat = stop_latency(&r, 50, &eta);
	assert_true(atomic_load(&r.st.done));
	assert_int_equal(atomic_load(&r.st.sent), 64);
	assert_true(lat < 50000000LL);
	/* Inside the 10 s wait, 50 ms in. */
	assert_true(eta > 9000000000LL && eta <= 10000000000LL);
	rig_free(&r);
}

/* Child of main(): a private netns with one veth pair, 198.18/15 only. */
static void
test_rate_max_backs_off(void **state)
{
	uint64_t s1, s2;
	pthread_t th;
	struct rig r;
	int64_t t0;

	(void)state;
	NEED_ROOT();
	/* Unpaced, 65536 requests take well under a second on a veth. */
	rig_init(&r, ip4(198, 18, 0, 0), ip4(198, 18, 255, 255));
	r.cfg.rate_max = true;
	r.cfg.timeout_ns = 1000000;
	rig_open(&r);
	assert_int_equal(pthread_create(&th, NULL, run_thread, &r), 0);
	/* The receiver keeps reporting drops: each report may halve the rate. */
	t0 = now_ns();
	while (now_ns() - t0 < 1200000000LL) {
		atomic_fetch_add(&r.st.kernel_drops, 1);
		sleep_ms(10);
	}
	s1 = atomic_load(&r.st.sent);
	sleep_ms(200);
	s2 = atomic_load(&r.st.sent);
	atomic_store(&r.st.stop, true);
	pthread_join(th, NULL);
	print_message("rate_max under loss: %llu sent in 1.2 s, then %llu in "
	    "0.2 s\n", (unsigned long long)s1, (unsigned long long)(s2 - s1));
	assert_true(atomic_load(&r.st.done));
	assert_true(s1 > 64 && s2 < 65536);
	assert_true(s2 - s1 < 2000);
	rig_free(&r);
}

static int
make_lab(void)
{
	static const char *cmds[] = {
		"sysctl -qw net.ipv6.conf.default.disable_ipv6=1",
		"ip link add " IF_SEND " type veth peer name " IF_PEER,
		"ip addr add 198.18.200.1/24 dev " IF_SEND,
		"ip addr add 198.18.200.2/24 dev " IF_PEER,
		"ip link set " IF_SEND " up",
		"ip link set " IF_PEER " up",
	};

	if (unshare(CLONE_NEWNET) != 0) {
		fprintf(stderr, "unshare(CLONE_NEWNET): %s\n", strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (system(cmds[i]) != 0) {
			fprintf(stderr, "lab setup failed: %s\n", cmds[i]);
			return -1;
		}
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frame_bytes),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_passes_skip_answered),
		cmocka_unit_test(test_retry_pays_off),
		cmocka_unit_test(test_retry_follows_long_pass),
		cmocka_unit_test(test_retry_pass_runs_through),
		cmocka_unit_test(test_late_answer_earns_no_pass),
		cmocka_unit_test(test_drops_buy_a_pass),
		cmocka_unit_test(test_all_answered_ends_early),
		cmocka_unit_test(test_wait_ends_when_all_answer),
		cmocka_unit_test(test_confirm_rounds),
		cmocka_unit_test(test_pacing),
		cmocka_unit_test(test_stop),
		cmocka_unit_test(test_rate_max_backs_off),
	};
	int status;
	pid_t pid;

	if (geteuid() != 0)
		return cmocka_run_group_tests(tests, NULL, NULL);
	/* The namespace (and every link in it) dies with the child. */
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		if (make_lab() != 0)
			_exit(1);
		_exit(cmocka_run_group_tests(tests, NULL, NULL) == 0 ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return 1;
	return WEXITSTATUS(status);
}
