/* atomic_out: the destination changes only at commit, whole; links refused;
 * escape_str: what a message may echo. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "../../capture/atomic_out.h"
#include "../../capture/escape.h"

static char dir[256], path[300], err[ATOMIC_OUT_ERRBUF_SIZE];

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_atomic_out.XXXXXX",
	    t != NULL && t[0] != '\0' ? t : "/tmp");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/out.pcap", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
put(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void
expect_content(const char *p, const char *text)
{
	char buf[64] = "";
	FILE *f = fopen(p, "r");

	assert_non_null(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	assert_string_equal(buf, text);
}

/* Entries in dir: the destination only, no temporary file left. */
static int
entries(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "test $(ls -A '%s' | wc -l) -eq 1", dir);
	return system(cmd) == 0 ? 1 : 0;
}

static void
test_commit_replaces_whole(void **state)
{
	struct atomic_out *ao;

	(void)state;
	put(path, "old");
	ao = atomic_out_open(path, (uid_t)-1, (gid_t)-1, 0, err, sizeof(err));
	assert_non_null(ao);
	assert_int_equal(write(atomic_out_fd(ao), "new!", 4), 4);
	expect_content(path, "old");	/* untouched until the commit */
	assert_int_equal(atomic_out_commit(ao, err, sizeof(err)), 0);
	expect_content(path, "new!");
	assert_true(entries());
}

static void
test_abort_and_fail_keep_previous(void **state)
{
	struct atomic_out *ao;

	(void)state;
	put(path, "old");
	ao = atomic_out_open(path, (uid_t)-1, (gid_t)-1, 0, err, sizeof(err));
	assert_non_null(ao);
	assert_int_equal(write(atomic_out_fd(ao), "cut", 3), 3);
	atomic_out_abort(ao);
	expect_content(path, "old");
	assert_true(entries());

	ao = atomic_out_open(path, (uid_t)-1, (gid_t)-1, 0, err, sizeof(err));
	assert_non_null(ao);
	assert_int_equal(atomic_out_fail(ao, ENOSPC, err, sizeof(err)), -1);
	assert_string_equal(err, "write failed (No space left on device); "
	    "the previous file is unchanged");
	expect_content(path, "old");
	assert_true(entries());
}

static void
test_refused(void **state)
{
	char link[320];
	struct stat st;

	(void)state;
	put(path, "victim");
	snprintf(link, sizeof(link), "%s/link", dir);
	assert_int_equal(symlink(path, link), 0);
	assert_null(atomic_out_open(link, (uid_t)-1, (gid_t)-1, 0, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "symbolic link"));
	expect_content(path, "victim");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	unlink(link);

	assert_null(atomic_out_open(dir, (uid_t)-1, (gid_t)-1, 0, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "directory"));
	assert_null(atomic_out_open("/dev/null", (uid_t)-1, (gid_t)-1, 0, err,
	    sizeof(err)));
	assert_non_null(strstr(err, "not a regular file"));
	assert_true(entries());
}

static void
test_mode_follows_umask(void **state)
{
	struct atomic_out *ao;
	struct stat st;
	mode_t old = umask(027);

	(void)state;
	unlink(path);
	ao = atomic_out_open(path, (uid_t)-1, (gid_t)-1, 0, err, sizeof(err));
	umask(old);
	assert_non_null(ao);
	assert_int_equal(atomic_out_commit(ao, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
}

static void
test_escape(void **state)
{
	char small[12];

	(void)state;
	assert_string_equal(ESC("plain name.pcap"), "plain name.pcap");
	assert_string_equal(ESC("a\nb\tc\r"), "a\\nb\\tc\\r");
	assert_string_equal(ESC("\033[31mred"), "\\x1b[31mred");
	assert_string_equal(ESC("back\\slash"), "back\\\\slash");
	assert_string_equal(ESC("caf\xc3\xa9"), "caf\xc3\xa9");	/* UTF-8 */
	assert_string_equal(ESC("x\xc2\x9b" "1m"), "x\\xc2\\x9b1m");	/* C1 CSI */
	assert_string_equal(ESC("bad\xff"), "bad\\xff");
	assert_string_equal(ESC("\x7f"), "\\x7f");
	/* Cut to fit, marked, never mid-escape. */
	escape_str("0123456789abcdef", small, sizeof(small));
	assert_string_equal(small, "01234567...");
	escape_str("\n\n\n\n\n\n", small, sizeof(small));
	assert_string_equal(small, "\\n\\n\\n\\n...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commit_replaces_whole),
		cmocka_unit_test(test_abort_and_fail_keep_previous),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_mode_follows_umask),
		cmocka_unit_test(test_escape),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
