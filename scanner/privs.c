/* privs: once the raw handles are open, give up root and all capabilities. */
#include "privs.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

/* A decimal id from the environment; 0 (unset, bad, or root) means none. */
static unsigned long
env_id(const char *var)
{
	const char *v = getenv(var);
	unsigned long id;
	char *end;

	if (v == NULL || *v == '\0')
		return 0;
	errno = 0;
	id = strtoul(v, &end, 10);
	if (errno != 0 || *end != '\0' || id >= (unsigned long)UINT_MAX)
		return 0;
	return id;
}

static int
target_ids(uid_t *uid, gid_t *gid, char *errbuf, size_t errlen)
{
	unsigned long su = env_id("SUDO_UID"), sg = env_id("SUDO_GID");
	const struct passwd *pw;

	if (su != 0) {
		*uid = (uid_t)su;
		if (sg != 0) {
			*gid = (gid_t)sg;
			return 0;
		}
		pw = getpwuid(*uid);
		if (pw != NULL && pw->pw_gid != 0) {
			*gid = pw->pw_gid;
			return 0;
		}
	}
	pw = getpwnam("nobody");
	if (pw == NULL || pw->pw_uid == 0 || pw->pw_gid == 0) {
		snprintf(errbuf, errlen, "cannot drop root: no SUDO_UID and no "
		    "usable user 'nobody'");
		return -1;
	}
	if (su == 0)
		*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	return 0;
}

/* Shrink the bounding set while CAP_SETPCAP is still ours; best effort. */
static void
drop_bounding(void)
{
	/* The kernel may know more capabilities than our headers. */
	for (int c = 0; c < 64; c++)
		if (prctl(PR_CAPBSET_DROP, c, 0, 0, 0) == -1 && errno == EINVAL)
			break;
}

static int
switch_user(char *errbuf, size_t errlen)
{
	uid_t uid;
	gid_t gid;

	if (target_ids(&uid, &gid, errbuf, errlen) == -1)
		return -1;
	if (setgroups(1, &gid) == -1) {
		snprintf(errbuf, errlen, "cannot drop root: setgroups: %s",
		    strerror(errno));
		return -1;
	}
	if (setresgid(gid, gid, gid) == -1) {
		snprintf(errbuf, errlen, "cannot drop root: setresgid(%u): %s",
		    (unsigned)gid, strerror(errno));
		return -1;
	}
	if (setresuid(uid, uid, uid) == -1) {
		snprintf(errbuf, errlen, "cannot drop root: setresuid(%u): %s",
		    (unsigned)uid, strerror(errno));
		return -1;
	}
	if (setuid(0) != -1 || geteuid() == 0) {
		snprintf(errbuf, errlen, "cannot drop root: still able to "
		    "become root after setresuid(%u)", (unsigned)uid);
		return -1;
	}
	return 0;
}

int
privs_drop(char *errbuf, size_t errlen)
{
	cap_t caps;
	int r;

	/* Nothing we exec (we exec nothing) may regain privileges. */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1) {
		snprintf(errbuf, errlen, "cannot set no_new_privs: %s",
		    strerror(errno));
		return -1;
	}
	drop_bounding();
	(void)prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	if ((getuid() == 0 || geteuid() == 0) &&
	    switch_user(errbuf, errlen) == -1)
		return -1;

	caps = cap_init();
	if (caps == NULL) {
		snprintf(errbuf, errlen, "cannot drop capabilities: %s",
		    strerror(errno));
		return -1;
	}
	r = cap_clear(caps) == 0 ? cap_set_proc(caps) : -1;
	if (r == -1)
		snprintf(errbuf, errlen, "cannot drop capabilities: %s",
		    strerror(errno));
	cap_free(caps);
	return r;
}

int
privs_sudo_ids(uid_t *uid, gid_t *gid)
{
	char errbuf[128];

	if ((getuid() != 0 && geteuid() != 0) || env_id("SUDO_UID") == 0)
		return 0;
	return target_ids(uid, gid, errbuf, sizeof(errbuf)) == 0;
}

int
privs_have_net_raw(void)
{
	cap_flag_value_t v = CAP_CLEAR;
	cap_t caps = cap_get_proc();

	if (caps == NULL)
		return 0;
	if (cap_get_flag(caps, CAP_NET_RAW, CAP_EFFECTIVE, &v) == -1)
		v = CAP_CLEAR;
	cap_free(caps);
	return v == CAP_SET;
}
