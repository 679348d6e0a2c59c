/* Unit tests for scanner/privs: each seccomp stage, installed in a forked
 * child, lets the reporting calls through and kills a process that tries to
 * send, open a socket, exec, open a file for writing or map code. */
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "../../scanner/privs.h"

enum act {
	ACT_NOTHING, ACT_WRITE_OTHER, ACT_OPEN_READ, ACT_SOCKET, ACT_SENDTO,
	ACT_SENDMSG, ACT_SENDMMSG_SENDER, ACT_SENDMMSG_OTHER, ACT_WRITE_CAPTURE,
	ACT_WRITEV_CAPTURE, ACT_OPEN_WRITE, ACT_EXEC, ACT_MMAP_EXEC, ACT_DUP,
	ACT_CONNECT, ACT_WRITE_CAPTURE_HIGH, ACT_SEND_HELPER,
	ACT_SEND_NOSIGNAL_CAPTURE, ACT_WRITE_CAPTURE2, ACT_SENDTO_CAPTURE2,
};

/*
 * Fork a child that installs `stages` (1: sweep, 2: sweep then report, 3:
 * report only) with socketpairs standing in for the capture sockets (two,
 * as on a bridge) and the sender's, does `act`, and exits 0. Returns its wait status; the child's
 * stderr (the SIGSYS line) goes to msg.
 */
static int
run(int stages, enum act act, char *msg, size_t msglen)
{
	int cap[2], cap2[2], snd[2], err[2], status;
	char ebuf[256];
	pid_t pid;

	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, cap), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, cap2), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, snd), 0);
	assert_int_equal(pipe(err), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char b[1] = { 0 };
		struct iovec iov = { b, 1 };
		struct mmsghdr mm = { .msg_hdr = { .msg_iov = &iov,
		    .msg_iovlen = 1 } };
		int nul = open("/dev/null", O_WRONLY);

		dup2(err[1], 2);
		int capfds[2] = { cap[0], cap2[0] };
		if ((stages & 1) && privs_confine_fds(PRIVS_SWEEP, capfds, 2,
		    snd[0], ebuf, sizeof(ebuf)) == -1)
			_exit(3);
		if ((stages & 2) && privs_confine_fds(PRIVS_REPORT, capfds, 2,
		    -1, ebuf, sizeof(ebuf)) == -1)
			_exit(3);
		switch (act) {
		case ACT_NOTHING: break;
		case ACT_WRITE_OTHER:
			if (write(nul, b, 1) != 1 || write(cap[1], b, 1) != 1 ||
			    write(cap2[1], b, 1) != 1)
				_exit(4);
			break;
		case ACT_OPEN_READ:
			if (open("/dev/null", O_RDONLY | O_CLOEXEC) < 0)
				_exit(4);
			break;
		case ACT_SOCKET: (void)socket(AF_PACKET, SOCK_RAW, 0); break;
		case ACT_SENDTO: (void)sendto(cap[0], b, 1, 0, NULL, 0); break;
		case ACT_SEND_HELPER:	/* the -w rename helper's socket */
			if (send(snd[0], b, 1, MSG_NOSIGNAL) != 1)
				_exit(4);
			break;
		case ACT_SEND_NOSIGNAL_CAPTURE:
			(void)send(cap[0], b, 1, MSG_NOSIGNAL);
			break;
		case ACT_SENDMSG: (void)sendmsg(cap[0], &mm.msg_hdr, 0); break;
		case ACT_SENDMMSG_SENDER:
			if (sendmmsg(snd[0], &mm, 1, 0) != 1)
				_exit(4);
			break;
		case ACT_SENDMMSG_OTHER: (void)sendmmsg(cap[0], &mm, 1, 0); break;
		case ACT_WRITE_CAPTURE: (void)!write(cap[0], b, 1); break;
		case ACT_WRITE_CAPTURE2: (void)!write(cap2[0], b, 1); break;
		case ACT_SENDTO_CAPTURE2:
			(void)send(cap2[0], b, 1, MSG_NOSIGNAL);
			break;
		case ACT_WRITEV_CAPTURE: (void)!writev(cap[0], &iov, 1); break;
		case ACT_WRITE_CAPTURE_HIGH:	/* the kernel ignores the high half */
			(void)syscall(SYS_write, (long)(1ull << 32 |
			    (unsigned)cap[0]), b, 1L);
			break;
		case ACT_OPEN_WRITE:
			(void)open("/tmp/arpsweep-test-privs", O_WRONLY | O_CREAT,
			    0600);
			break;
		case ACT_EXEC:
			execl("/bin/true", "true", (char *)NULL);
			break;
		case ACT_MMAP_EXEC:
			(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			break;
		case ACT_DUP: (void)dup(cap[0]); break;
		case ACT_CONNECT: {
			struct sockaddr sa = { .sa_family = AF_UNSPEC };
			(void)connect(snd[0], &sa, sizeof(sa));
			break;
		}
		}
		_exit(0);
	}
	close(err[1]);
	ssize_t n = read(err[0], msg, msglen - 1);
	msg[n > 0 ? n : 0] = '\0';
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(err[0]);
	close(cap[0]);
	close(cap[1]);
	close(cap2[0]);
	close(cap2[1]);
	close(snd[0]);
	close(snd[1]);
	return status;
}

static void
expect_allowed(int stages, enum act act)
{
	char msg[512];
	int st = run(stages, act, msg, sizeof(msg));

	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail_msg("stages %d act %d: status %#x, stderr '%s'", stages,
		    act, st, msg);
}

static void
expect_killed(int stages, enum act act, const char *stage)
{
	char msg[512];
	int st = run(stages, act, msg, sizeof(msg));

	if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGSYS)
		fail_msg("stages %d act %d: status %#x, not killed by SIGSYS",
		    stages, act, st);
	if (strstr(msg, stage) == NULL || strstr(msg, "stopped system call")
	    == NULL || strchr(msg, '\n') != msg + strlen(msg) - 1)
		fail_msg("stages %d act %d: message '%s'", stages, act, msg);
}

static void
test_sweep_stage(void **state)
{
	(void)state;
	expect_allowed(1, ACT_NOTHING);
	expect_allowed(1, ACT_WRITE_OTHER);
	expect_allowed(1, ACT_OPEN_READ);
	expect_allowed(1, ACT_SENDMMSG_SENDER);
	expect_allowed(1, ACT_SEND_HELPER);
	expect_killed(1, ACT_SEND_NOSIGNAL_CAPTURE, "(sweep stage)");
	expect_killed(1, ACT_SENDMMSG_OTHER, "(sweep stage)");
	expect_killed(1, ACT_SENDTO, "(sweep stage)");
	expect_killed(1, ACT_SENDMSG, "(sweep stage)");
	expect_killed(1, ACT_SOCKET, "(sweep stage)");
	expect_killed(1, ACT_CONNECT, "(sweep stage)");
	expect_killed(1, ACT_WRITE_CAPTURE, "(sweep stage)");
	expect_killed(1, ACT_WRITE_CAPTURE2, "(sweep stage)");
	expect_killed(1, ACT_SENDTO_CAPTURE2, "(sweep stage)");
	expect_killed(1, ACT_WRITE_CAPTURE_HIGH, "(sweep stage)");
	expect_killed(1, ACT_EXEC, "(sweep stage)");
	expect_killed(1, ACT_OPEN_WRITE, "(sweep stage)");
	expect_killed(1, ACT_MMAP_EXEC, "(sweep stage)");
	expect_killed(1, ACT_DUP, "(sweep stage)");
}

/* Stacked on the sweep stage, as in a live sweep, and alone, as in a replay. */
static void
test_report_stage(void **state)
{
	(void)state;
	for (int stages = 2; stages <= 3; stages++) {
		expect_allowed(stages, ACT_NOTHING);
		expect_allowed(stages, ACT_WRITE_OTHER);
		expect_allowed(stages, ACT_OPEN_READ);
		expect_allowed(stages, ACT_SEND_HELPER);
		expect_killed(stages, ACT_SEND_NOSIGNAL_CAPTURE, "stage)");
		expect_killed(stages, ACT_SENDMMSG_SENDER, "(report stage)");
		expect_killed(stages, ACT_SENDTO, "(report stage)");
		expect_killed(stages, ACT_SENDMSG, "(report stage)");
		expect_killed(stages, ACT_SOCKET, "(report stage)");
		expect_killed(stages, ACT_WRITE_CAPTURE, "stage)");
		expect_killed(stages, ACT_WRITE_CAPTURE2, "stage)");
		expect_killed(stages, ACT_WRITEV_CAPTURE, "stage)");
		expect_killed(stages, ACT_WRITE_CAPTURE_HIGH, "stage)");
		expect_killed(stages, ACT_EXEC, "(report stage)");
		expect_killed(stages, ACT_OPEN_WRITE, "(report stage)");
		expect_killed(stages, ACT_MMAP_EXEC, "(report stage)");
		expect_killed(stages, ACT_DUP, "(report stage)");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_stage),
		cmocka_unit_test(test_report_stage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
