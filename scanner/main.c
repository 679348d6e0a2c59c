/* arpsweep: sweep a Layer-2 segment with ARP, or replay a capture, and report
 * the MAC->IP table with its duplicates. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../capture/capture.h"
#include "../capture/atomic_out.h"
#include "../capture/escape.h"
#include "../report/baseline.h"
#include "../report/dhcp.h"
#include "../report/domxml.h"
#include "../report/facts.h"
#include "../report/inventory.h"
#include "../report/findings.h"
#include "../report/output.h"
#include "../report/table.h"
#include "../report/vendor.h"
#include "../report/vmreport.h"
#include "ingest.h"
#include "privs.h"
#include "sender.h"
#include "sweep.h"
#include "virt.h"

#define VERSION "0.1.0"


/* Bad input of any kind ends here: one line, exit status 2. */
static void __attribute__((noreturn, format(printf, 1, 2)))
usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("arpsweep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	exit(2);
}

static void
usage(FILE *out)
{
	fputs(
"usage: arpsweep [-I IFACE] [options] [TARGET...]    sweep (needs CAP_NET_RAW)\n"
"       arpsweep -r FILE [--format F] [--audit]     analyse a recorded capture\n"
"       arpsweep --vm NAME [-r FILE] [--vm-xml PATH] the IPs of one VM\n"
"\n"
"TARGET: a.b.c.d/n, a.b.c.d-e.f.g.h, a.b.c.d-h, net:mask or an address;\n"
"        default: the interface's own IPv4 subnets.\n"
"  -I, --interface IFACE  interface to sweep (default: the bridge of --vm's\n"
"                         VM; with targets, the interface whose subnet holds\n"
"                         them; the running domains' bridge; the first bridge\n"
"                         up with IPv4, never docker0 or br-*; with targets,\n"
"                         the first Ethernet one. No bridge, no targets: refused)\n"
"  -f, --file FILE        read targets from FILE, one per line ('-': stdin)\n"
"  -r, --read FILE        read frames from a pcap/pcapng file instead\n"
"  -w, --write FILE       record every ARP frame sent and received (pcap;\n"
"                         pcapng naming each port on a bridge; FILE is\n"
"                         replaced only once it is complete)\n"
"  -o, --output FILE      write the report to FILE instead of standard output\n"
"                         (FILE is replaced only once the report is complete)\n"

"      --format F         table (default), json, csv, csv-findings (one row\n"
"                         per finding) or prom (Prometheus)\n"
"      --color WHEN       colour findings and flags in the table: auto\n"
"                         (default: on a terminal), always or never\n"
"      --audit            exit 1 when a finding other than repeated-reply,\n"
"                         gone or moved-port\n"
"      --baseline FILE    also report new-host, changed-mac, gone and\n"
"                         moved-port against a previous --format json report\n"
"      --oui FILE         vendor registry file (default: ieee-data)\n"
"      --rate PPS|max     requests per second (default 5000); max: adapt to\n"
"                         the loss measured downstream (canaries)\n"
"      --retries N        extra passes over unanswered targets (default 2)\n"
"      --timeout MS       initial wait for answers (default 500)\n"
"      --confirm N        extra probes for each suspect (default 3)\n"
"      --random           send in a random order; --seed N fixes it\n"
"      --source-ip A      sender IP in requests (default: the interface's)\n"
"      --probe            RFC 5227 probes (sender IP 0.0.0.0)\n"
"      --vlan ID          send 802.1Q-tagged requests\n"
"      --vm-xml PATH      saved libvirt domain/network XML: a file, or a\n"
"                         directory of *.xml (repeatable)\n"
"      --dhcp FILE        DHCP bindings or leases: dhcpd.conf, dnsmasq conf,\n"
"                         hostsfile or leases, libvirt network XML or\n"
"                         status, Kea JSON (repeatable)\n"
"      --libvirt URI      read domains read-only from libvirt (default for a\n"
"                         sweep: qemu:///system when its socket exists)\n"
"      --no-libvirt       do not connect to libvirt\n"
"      --vm NAME          sweep the bridge of domain NAME and print its\n"
"                         interfaces with their IPs (table, json or csv)\n"
"      --max-bindings N   store at most N bindings no request asked for;\n"
"                         answers to requests are always kept (default:\n"
"                         1024 + 2 per round of our requests)\n"
"      --no-ports         on a bridge, do not capture each frame's ingress\n"
"                         port (default: ports on, -w writes pcapng)\n"
"      --dry-run          print the target count, first and last; send nothing\n"
"      --force            allow more than 2^20 targets\n"
"  -q, --quiet            no progress line\n"
"  -h, --help             this help;  -V, --version\n"
"\n"
"Exit status: 0 report printed, 1 --audit found trouble, 2 bad input;\n"
"with --vm: 0 every interface answered, 1 one did not, 2 an unknown VM.\n", out);
}

enum {
	OPT_FORMAT = 256, OPT_AUDIT, OPT_OUI, OPT_RATE, OPT_RETRIES,
	OPT_TIMEOUT, OPT_CONFIRM, OPT_RANDOM, OPT_SEED, OPT_SOURCE_IP,
	OPT_PROBE, OPT_VLAN, OPT_DRY_RUN, OPT_FORCE, OPT_MAX_BINDINGS,
	OPT_BASELINE,
	OPT_NO_PORTS,
	OPT_VM_XML, OPT_DHCP, OPT_LIBVIRT, OPT_NO_LIBVIRT, OPT_VM,
	OPT_COLOR,
};

static const struct option long_opts[] = {
	{ "interface", required_argument, NULL, 'I' },
	{ "file", required_argument, NULL, 'f' },
	{ "read", required_argument, NULL, 'r' },
	{ "write", required_argument, NULL, 'w' },
	{ "output", required_argument, NULL, 'o' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "color", required_argument, NULL, OPT_COLOR },
	{ "audit", no_argument, NULL, OPT_AUDIT },
	{ "oui", required_argument, NULL, OPT_OUI },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "timeout", required_argument, NULL, OPT_TIMEOUT },
	{ "confirm", required_argument, NULL, OPT_CONFIRM },
	{ "random", no_argument, NULL, OPT_RANDOM },
	{ "seed", required_argument, NULL, OPT_SEED },
	{ "source-ip", required_argument, NULL, OPT_SOURCE_IP },
	{ "probe", no_argument, NULL, OPT_PROBE },
	{ "vlan", required_argument, NULL, OPT_VLAN },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	{ "force", no_argument, NULL, OPT_FORCE },
	{ "max-bindings", required_argument, NULL, OPT_MAX_BINDINGS },
	{ "baseline", required_argument, NULL, OPT_BASELINE },
	{ "no-ports", no_argument, NULL, OPT_NO_PORTS },
	{ "vm-xml", required_argument, NULL, OPT_VM_XML },
	{ "dhcp", required_argument, NULL, OPT_DHCP },
	{ "libvirt", required_argument, NULL, OPT_LIBVIRT },
	{ "no-libvirt", no_argument, NULL, OPT_NO_LIBVIRT },
	{ "vm", required_argument, NULL, OPT_VM },
	{ NULL, 0, NULL, 0 },
};

static unsigned long long
number(const char *opt, const char *s, unsigned long long min,
    unsigned long long max)
{
	char *end;
	unsigned long long v;

	/* strtoull alone would take " -1" (as 2^64-1), "+5" and " 5". */
	errno = 0;
	v = isdigit((unsigned char)*s) ? strtoull(s, &end, 10) : 0;
	if (!isdigit((unsigned char)*s) || *end != '\0' || errno != 0 ||
	    v < min || v > max)
		usage_error("%s '%s': expected a whole number from %llu to %llu",
		    opt, ESC(s), min, max);
	return v;
}

static int32_t
fdb_lookup(const uint8_t mac[6], void *arg)
{
	int32_t p = fdb_port(arg, mac);

	return p >= 0 ? p : IFINDEX_NONE;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Loading the IEEE registries costs ~30 ms, a sixth of a million-frame
 * replay; it runs beside the capture loop, started only once privileges
 * are gone so the thread never holds any.
 */
struct vendor_job {
	const char		*path;	/* --oui, opened before the drop */
	FILE			*fp;
	int			open_err;
	struct vendor_db	*db;
	char			warn[512];
	pthread_t		thread;
	bool			started;
};

static void *
vendor_main(void *arg)
{
	struct vendor_job *j = arg;

	if (j->path != NULL)
		j->db = vendor_load_file(j->fp, j->open_err, j->path, j->warn,
		    sizeof(j->warn));
	else
		j->db = vendor_load(NULL, j->warn, sizeof(j->warn));
	return NULL;
}

static void
vendor_start(void *arg)
{
	struct vendor_job *j = arg;

	j->started = pthread_create(&j->thread, NULL, vendor_main, j) == 0;
}

static struct vendor_db *
vendor_finish(struct vendor_job *j)
{
	if (j->started)
		pthread_join(j->thread, NULL);
	else
		vendor_main(j);
	if (j->fp != NULL)
		fclose(j->fp);
	if (j->db == NULL)
		usage_error("out of memory while loading vendors");
	if (j->warn[0] != '\0')
		fprintf(stderr, "arpsweep: warning: %s\n", j->warn);
	return j->db;
}

/* Replay: the same decode -> table path as a live sweep, fed from a file. */
#define RECORD_ERROR_SIZE CAPTURE_ERRBUF_SIZE

/*
 * -w: a new file beside the destination, renamed over it when complete.
 * Under sudo it belongs to the invoking user; started as root, a helper
 * keeps the right to rename it after the drop (atomic_out.h).
 */
static struct atomic_out *
open_output(const char *path, char *why, size_t len)
{
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;

	if (privs_sudo_ids(&uid, &gid) != 1) {
		uid = (uid_t)-1;
		gid = (gid_t)-1;
	}
	return atomic_out_open(path, uid, gid, ATOMIC_OUT_HELPER, why, len);
}

/* Refuse "-w X" (or "-o X") when X is one of the inputs, by name or by
 * inode. */
static void
check_not_input(const char *oopt, const char *out, const char *in,
    const char *opt)
{
	struct stat so, si;
	int r;

	if (out == NULL || in == NULL)
		return;
	if (strcmp(out, in) == 0)
		goto same;
	if (stat(out, &so) == -1)
		return;		/* not there yet: nobody's input */
	r = strcmp(in, "-") == 0 ? fstat(0, &si) : stat(in, &si);
	if (r == 0 && so.st_dev == si.st_dev && so.st_ino == si.st_ino)
		goto same;
	return;
same:
	usage_error("%s '%s' is the same file as %s '%s'; %s to another "
	    "file", oopt, ESC(out), opt, ESC(in), strcmp(oopt, "-w") == 0 ?
	    "record" : "write the report");
}

/* A name the kernel could give an interface: 1-15 bytes, no '/', no
 * space or control character (it is echoed in every interface message). */
static bool
ifname_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 16 || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s <= ' ' ||
		    (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/*
 * -o FILE: the report file, pending until complete. Only main's thread
 * touches it; the atexit hook removes the temporary file when any exit
 * (bad input found late, out of memory) comes before the commit.
 */
static struct atomic_out *report_out;
static FILE *report_fp;

static void
report_out_abort(void)
{
	if (report_fp != NULL)
		fclose(report_fp);
	report_fp = NULL;
	atomic_out_abort(report_out);
	report_out = NULL;
}

/* The stream on the temporary file is made now: under seccomp there is no
 * dup() later. */
static void
report_out_open(const char *path)
{
	char why[ATOMIC_OUT_ERRBUF_SIZE];
	int fd;

	if ((report_out = open_output(path, why, sizeof(why))) == NULL)
		usage_error("cannot write the report to '%s': %s", ESC(path),
		    why);
	atexit(report_out_abort);
	if ((fd = dup(atomic_out_fd(report_out))) == -1 ||
	    (report_fp = fdopen(fd, "w")) == NULL) {
		if (fd != -1)
			close(fd);
		usage_error("cannot write the report to '%s': %s", ESC(path),
		    strerror(errno));
	}
}

/* The whole report to its temporary file, then renamed over FILE; a full
 * disk or any write error leaves FILE as it was. */
static void
write_report_file(const char *path, enum output_format fmt,
    const struct report *rep, const struct vm_lookup *vm)
{
	char why[ATOMIC_OUT_ERRBUF_SIZE];
	struct atomic_out *ao = report_out;
	FILE *fp = report_fp;
	int err = 0;

	report_out = NULL;
	report_fp = NULL;
	if ((vm != NULL ? vm_print(fp, fmt, rep, vm) : report_print(fp, fmt,
	    rep)) == -1)
		err = errno;
	if (fclose(fp) == EOF && err == 0)
		err = errno;
	if (err != 0)
		atomic_out_fail(ao, err, why, sizeof(why));
	else if (atomic_out_commit(ao, why, sizeof(why)) == 0)
		return;
	usage_error("cannot write the report to '%s': %s", ESC(path), why);
}

static const char *
file_arg(const char *opt, const char *s)
{
	if (*s == '\0')
		usage_error("%s '': empty file name", opt);
	return s;
}

/* The configuration's view of the hosts: --vm-xml, --dhcp, libvirt. */
struct inv_opts {
	const char	**vm_xml, **dhcp;	/* argv pointers */
	size_t		nvm_xml, ndhcp;
	const char	*libvirt;	/* --libvirt URI, NULL: the default */
	bool		no_libvirt;
};

#define LIBVIRT_DEFAULT_URI "qemu:///system"

/* The system daemon's sockets: libvirtd, or the modular virtqemud. */
static bool
libvirt_socket_exists(void)
{
	static const char *const socks[] = {
		"/run/libvirt/libvirt-sock", "/run/libvirt/virtqemud-sock",
		"/var/run/libvirt/libvirt-sock",
	};
	struct stat st;

	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++)
		if (stat(socks[i], &st) == 0 && S_ISSOCK(st.st_mode))
			return true;
	return false;
}

/*
 * Phase one, before the privilege drop: the libvirt socket needs root or
 * the libvirt group, and /etc/libvirt/qemu, dhcpd.conf and their includes
 * are often root's. The parsers are bounded and fuzzed; nothing from the
 * network is read yet. NULL when no source was asked for or found.
 */
static struct inventory *
load_inventory(const struct inv_opts *o, bool live, char *note, size_t len)
{
	char errbuf[1024];
	struct inventory *inv;
	int domains = -1;
	const char *uri = o->libvirt;

	note[0] = '\0';
	if (uri == NULL && live && !o->no_libvirt && virt_available() &&
	    libvirt_socket_exists())
		uri = LIBVIRT_DEFAULT_URI;
	if (o->nvm_xml == 0 && o->ndhcp == 0 && uri == NULL)
		return NULL;
	if ((inv = inventory_new()) == NULL)
		usage_error("out of memory");
	for (size_t i = 0; i < o->nvm_xml; i++)
		if (domxml_load_path(inv, o->vm_xml[i], DOMXML_DOMAIN |
		    DOMXML_NETWORK, errbuf, sizeof(errbuf)) == -1)
			usage_error("--vm-xml %s", errbuf);
	for (size_t i = 0; i < o->ndhcp; i++)
		if (dhcp_load_path(inv, o->dhcp[i], errbuf, sizeof(errbuf)) == -1)
			usage_error("--dhcp %s", errbuf);
	if (uri != NULL) {
		domains = virt_load(inv, uri, errbuf, sizeof(errbuf));
		if (domains == -1 && o->libvirt != NULL)
			usage_error("--libvirt '%s': %s; check the URI and that "
			    "libvirtd runs, or drop --libvirt", ESC(uri), errbuf);
		if (domains == -1)
			fprintf(stderr, "arpsweep: warning: libvirt %s not read "
			    "(%s); the sweep goes on without VM names "
			    "(--no-libvirt silences this)\n", uri, errbuf);
	}
	if (inventory_finish(inv) == -1)
		usage_error("out of memory while indexing the inventory");
	size_t nv = inventory_nvms(inv), nb = inventory_nbindings(inv),
	    nl = inventory_nleases(inv);
	snprintf(note, len, "inventory: %zu VM interface%s, %zu DHCP "
	    "binding%s, %zu lease%s", nv, nv == 1 ? "" : "s", nb,
	    nb == 1 ? "" : "s", nl, nl == 1 ? "" : "s");
	if (domains >= 0) {
		size_t n = strlen(note);
		snprintf(note + n, len - n, " (libvirt %s: %d domain%s)", uri,
		    domains, domains == 1 ? "" : "s");
	}
	return inv;
}

/*
 * --vm NAME: the domain must be known, and without -I its bridge is the
 * one to sweep; several bridges: the first, said in one line. Without
 * --vm, the bridges the running domains are attached to come first.
 */
static void
inventory_hint(const struct inventory *inv, const char *vm_name,
    const char *ifname, bool live, struct vm_lookup *vm,
    struct iface_hint *hint)
{
	static const char *br[8];
	static char why[8][VM_WHY_SIZE];
	static struct iface_want wants[8];
	char msg[1024];

	if (vm_name == NULL) {
		hint->nwants = vm_running_bridges(inv, br, why, 8);
		for (size_t i = 0; i < hint->nwants; i++)
			wants[i] = (struct iface_want){ br[i], why[i] };
		hint->wants = wants;
		return;
	}
	if (vm_lookup(inv, vm_name, vm) == 0) {
		vm_unknown(inv, vm_name, msg, sizeof(msg));
		usage_error("%s", msg);
	}
	if (!live || ifname != NULL)
		return;
	if (vm->bridge == NULL)
		usage_error("--vm '%s': no interface of it is on a bridge known "
		    "here (%s); name the interface to sweep with -I", vm->name,
		    vm->nobridge);
	if (vm->nbridges > 1)
		fprintf(stderr, "arpsweep: warning: VM %s is on %zu bridges; "
		    "sweeping %s, the first: sweep the others with -I\n",
		    vm->name, vm->nbridges, vm->bridge);
	wants[0] = (struct iface_want){ vm->bridge, vm->why };
	hint->wants = wants;
	hint->nwants = 1;
	hint->want_only = true;
}

static void
replay(const char *path, const char *write_file, uint64_t max_bindings,
    struct report *rep, struct vendor_job *vj, char *record_error)
{
	struct table_limits lim = { .max_bindings = max_bindings };
	char errbuf[CAPTURE_ERRBUF_SIZE], why[ATOMIC_OUT_ERRBUF_SIZE];
	struct capture *c = capture_open_file(path, errbuf);
	struct atomic_out *ao;
	int rc;

	if (c == NULL)
		usage_error("%s", errbuf);
	if (write_file != NULL) {
		/* Closed before exiting: LeakSanitizer checks these paths. */
		if ((ao = open_output(write_file, why, sizeof(why))) == NULL) {
			capture_close(c, NULL);
			usage_error("cannot record to '%s': %s", ESC(write_file),
			    why);
		}
		if (capture_record(c, ao, errbuf) == -1) {
			capture_close(c, NULL);
			usage_error("%s", errbuf);
		}
	}
	/* A file needs no privilege; a setcap'd binary must not parse one
	 * with its capabilities either. */
	if (privs_drop(errbuf, sizeof(errbuf)) == -1 ||
	    privs_confine(PRIVS_REPORT, -1, -1, errbuf, sizeof(errbuf)) == -1) {
		capture_record_abort(c);
		usage_error("%s", errbuf);
	}
	vendor_start(vj);
	if ((rep->table = table_new_limited(&lim)) == NULL) {
		capture_record_abort(c);
		usage_error("out of memory");
	}
	struct ingest in;
	ingest_init(&in, rep->table, c, INGEST_LOOKAHEAD, NULL, NULL);
	rc = capture_loop(c, ingest_frame, &in, errbuf);
	ingest_flush(&in);
	/* A replay that fails leaves the previous recording as it was. */
	if (rc == -1 || in.oom) {
		capture_record_abort(c);
		usage_error("%s", in.oom ? "out of memory while building the "
		    "table" : errbuf);
	}
	rep->stats = *capture_stats(c);
	rep->ports = *capture_ports(c);
	if (capture_close(c, errbuf) == -1)
		snprintf(record_error, RECORD_ERROR_SIZE, "%s", errbuf);
	rep->file = path;
}

static void
version(void)
{
	const char *v = virt_lib_version();

	printf("arpsweep " VERSION "\n%s\n%s\n%s\n", capture_lib_version(),
	    sender_lib_version(), v != NULL ? v : virt_available() ?
	    "libvirt: built in, version unknown" : "libvirt: not built in "
	    "(make LIBVIRT=no or no libvirt-dev)");
}

/*
 * arp-scan's habits, met with arpsweep's equivalent instead of "unknown
 * option": people come from arp-scan with its options in their fingers.
 * Only options arpsweep does not have are here; -I, -f, -q, -h, -V mean
 * the same in both, and -r (arp-scan's --retry) is caught in main.
 */
static const struct arpscan_hint {
	char		short_opt;	/* 0: long only */
	const char	*long_opt;	/* without "--"; NULL: short only */
	const char	*hint;
} arpscan_hints[] = {
	{ 'l', "localnet", "arpsweep sweeps the interface's own subnets "
	    "when no target is given: drop it" },
	{ 0, "retry", "use --retries N (extra passes after the first: "
	    "arp-scan's --retry=3 is --retries 2)" },
	{ 'x', "plain", "use --format csv for rows without header and "
	    "footer" },
	{ 'g', "ignoredups", "arpsweep lists each binding once and reports "
	    "duplicates as findings: drop it" },
	{ 't', NULL, "use --timeout MS" },
	{ 'W', "pcapsavefile", "use -w FILE (every ARP frame sent and "
	    "received)" },
	{ 'B', "bandwidth", "use --rate PPS (requests per second; a request "
	    "is 64 bytes on the wire)" },
	{ 'i', "interval", "use --rate PPS (requests per second)" },
	{ 'R', NULL, "use --random" },
	{ 0, "randomseed", "use --seed N" },
	{ 'O', "ouifile", "use --oui FILE" },
	{ 'm', "macfile", "use --oui FILE (HEX<tab>Name lines are read "
	    "too)" },
	{ 'Q', NULL, "use --vlan ID" },
	{ 's', "arpspa", "use --source-ip A" },
	{ 'N', "numeric", "targets are always addresses: drop it" },
	{ 'F', NULL, "use --format table|json|csv" },
	{ 'v', "verbose", "the table and its summary say everything: drop "
	    "it" },
};

/* The arp-scan option arg names ("-t", "--retry=3"), or NULL. */
static const char *
arpscan_hint(const char *arg, int optopt_c, char *name, size_t len)
{
	for (size_t i = 0; i < sizeof(arpscan_hints) /
	    sizeof(arpscan_hints[0]); i++) {
		const struct arpscan_hint *h = &arpscan_hints[i];
		if (optopt_c != 0 && h->short_opt == optopt_c) {
			snprintf(name, len, "-%c", optopt_c);
			return h->hint;
		}
		if (optopt_c == 0 && h->long_opt != NULL &&
		    strncmp(arg, "--", 2) == 0 &&
		    strncmp(arg + 2, h->long_opt, strlen(h->long_opt)) == 0 &&
		    (arg[2 + strlen(h->long_opt)] == '\0' ||
		    arg[2 + strlen(h->long_opt)] == '=')) {
			snprintf(name, len, "--%s", h->long_opt);
			return h->hint;
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	struct sweep_options so = {
		.vlan = -1, .rate = 5000, .retries = 2, .confirm = 3,
		.timeout_ns = 500 * 1000000LL,
	};
	const char *read_file = NULL, *oui_file = NULL, *output_file = NULL;
	const char *baseline_file = NULL, *vm_name = NULL;
	int format = FORMAT_TABLE, audit = 0, c, color = COLOR_AUTO;
	/* Static: --help, --dry-run and usage errors exit() from below main,
	 * and LeakSanitizer must still see these lists as reachable. */
	static struct inv_opts io;

	/* Repeatable options: at most one per argument. */
	io.vm_xml = calloc((size_t)argc + 1, sizeof(*io.vm_xml));
	io.dhcp = calloc((size_t)argc + 1, sizeof(*io.dhcp));
	if (io.vm_xml == NULL || io.dhcp == NULL)
		usage_error("out of memory");
	double t0 = now_s();
	/* The first option given that only a live sweep uses: a replay
	 * refuses it, whichever it is, with the same line. */
	const char *live_only = NULL;
#define LIVE_ONLY(name)	(live_only = live_only != NULL ? live_only : (name))

	opterr = 0;	/* one message per error, ours */
	while ((c = getopt_long(argc, argv, ":I:f:r:w:o:qhV", long_opts,
	    NULL)) != -1) {
		switch (c) {
		case 'I':
			LIVE_ONLY("-I");
			if (!ifname_ok(optarg))
				usage_error("-I '%s': not an interface name (1 to "
				    "15 characters, no '/', ':', space or control "
				    "character); list them with 'ip link'",
				    ESC(optarg));
			so.ifname = optarg;
			break;
		case 'f':
			LIVE_ONLY("-f");
			so.target_file = file_arg("-f", optarg); break;
		case 'r':
			/* arp-scan's -r is --retry: "-r 3" names no capture. */
			if (optarg[0] != '\0' &&
			    optarg[strspn(optarg, "0123456789")] == '\0' &&
			    access(optarg, F_OK) == -1)
				usage_error("-r '%s': -r reads a capture file and "
				    "there is none of that name; for arp-scan's "
				    "-r (retry count) use --retries N",
				    ESC(optarg));
			read_file = file_arg("-r", optarg);
			break;
		case 'w': so.write_file = file_arg("-w", optarg); break;
		case 'o': output_file = file_arg("-o", optarg); break;
		case 'q': so.quiet = true; break;
		case 'h': usage(stdout); return 0;
		case 'V': version(); return 0;
		case OPT_FORMAT:
			if ((format = output_parse_format(optarg)) == -1)
				usage_error("--format '%s': expected table, "
				    "json, csv, csv-findings or prom", ESC(optarg));
			break;
		case OPT_COLOR:
			if ((color = output_parse_color(optarg)) == -1)
				usage_error("--color '%s': expected auto, always "
				    "or never", ESC(optarg));
			break;
		case OPT_AUDIT: audit = 1; break;
		case OPT_OUI: oui_file = file_arg("--oui", optarg); break;
		case OPT_BASELINE:
			baseline_file = file_arg("--baseline", optarg);
			break;
		case OPT_RATE:
			LIVE_ONLY("--rate");
			if (strcmp(optarg, "max") == 0)
				so.rate_max = true;
			else if (optarg[strspn(optarg, "0123456789")] != '\0')
				usage_error("--rate '%s': expected requests per "
				    "second (1 to 100000000) or 'max'",
				    ESC(optarg));
			else
				so.rate = (double)number("--rate", optarg, 1,
				    100000000);
			break;
		case OPT_RETRIES:
			LIVE_ONLY("--retries");
			so.retries = (unsigned)number("--retries", optarg, 0, 100);
			break;
		case OPT_TIMEOUT:
			LIVE_ONLY("--timeout");
			so.timeout_ns = (int64_t)number("--timeout", optarg, 1,
			    600000) * 1000000;
			break;
		case OPT_CONFIRM:
			LIVE_ONLY("--confirm");
			so.confirm = (unsigned)number("--confirm", optarg, 0, 100);
			break;
		case OPT_RANDOM:
			LIVE_ONLY("--random");
			so.random = true;
			break;
		case OPT_SEED:
			LIVE_ONLY("--seed");
			so.seed = number("--seed", optarg, 0, ULLONG_MAX);
			so.seed_set = so.random = true;
			break;
		case OPT_SOURCE_IP: {
			struct in_addr a;
			LIVE_ONLY("--source-ip");
			/* Checked here, so a dry run refuses it too. */
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage_error("--source-ip '%s': not an IPv4 "
				    "address (a.b.c.d)", ESC(optarg));
			so.source_ip = optarg;
			break;
		}
		case OPT_PROBE:
			LIVE_ONLY("--probe");
			so.probe = true;
			break;
		case OPT_VLAN:
			LIVE_ONLY("--vlan");
			so.vlan = (int)number("--vlan", optarg, 1, 4094);
			break;
		case OPT_DRY_RUN:
			LIVE_ONLY("--dry-run");
			so.dry_run = true;
			break;
		case OPT_FORCE:
			LIVE_ONLY("--force");
			so.force = true;
			break;
		case OPT_MAX_BINDINGS:
			so.max_bindings = number("--max-bindings", optarg, 1,
			    UINT32_MAX);
			break;
		case OPT_NO_PORTS:
			so.no_ports = true;
			break;
		case OPT_VM_XML:
			io.vm_xml[io.nvm_xml++] = file_arg("--vm-xml", optarg);
			break;
		case OPT_DHCP:
			io.dhcp[io.ndhcp++] = file_arg("--dhcp", optarg);
			break;
		case OPT_LIBVIRT:
			if (*optarg == '\0')
				usage_error("--libvirt '': empty URI (say "
				    "qemu:///system, or --no-libvirt)");
			io.libvirt = optarg;
			break;
		case OPT_NO_LIBVIRT: io.no_libvirt = true; break;
		case OPT_VM:
			if (*optarg == '\0')
				usage_error("--vm '': empty domain name (list them "
				    "with 'virsh list --all')");
			vm_name = optarg;
			break;
		case ':':
			usage_error("option '%s' needs a value; see 'arpsweep "
			    "--help'", ESC(argv[optind - 1]));
		default: {
			char name[32];
			const char *hint = arpscan_hint(argv[optind - 1], optopt,
			    name, sizeof(name));
			if (hint != NULL)
				usage_error("%s is arp-scan's; %s", name, hint);
			if (optopt != 0) {
				char o[3] = { '-', (char)optopt, '\0' };
				usage_error("unknown option '%s'; see 'arpsweep "
				    "--help'", ESC(o));
			}
			usage_error("unknown option '%s'; see 'arpsweep --help'",
			    ESC(argv[optind - 1]));
		}
		}
	}
#undef LIVE_ONLY
	so.specs = argv + optind;
	so.nspecs = argc - optind;
	if (read_file != NULL && live_only == NULL && so.nspecs > 0)
		live_only = "a target";
	if (read_file != NULL && live_only != NULL)
		usage_error("-r replays a capture: %s applies only to a live "
		    "sweep; drop it or drop -r", live_only);
	if (so.write_file != NULL && strcmp(so.write_file, "-") == 0)
		usage_error("-w -: the report goes to standard output; record "
		    "to a file instead");
	if (output_file != NULL && strcmp(output_file, "-") == 0)
		output_file = NULL;	/* "-o -": standard output, as without */
	if (io.libvirt != NULL && io.no_libvirt)
		usage_error("--libvirt and --no-libvirt contradict; keep one");
	if (io.libvirt != NULL && !virt_available())
		usage_error("--libvirt: this arpsweep was built without libvirt "
		    "(make LIBVIRT=no); use --vm-xml with 'virsh dumpxml' files");
	if (so.probe && so.source_ip != NULL)
		usage_error("--probe sends sender IP 0.0.0.0; drop --source-ip "
		    "or --probe");
	/* --vm answers one question about one domain: no findings, so no
	 * audit, no baseline to compare, no metrics. */
	if (vm_name != NULL && (audit || baseline_file != NULL ||
	    format == FORMAT_PROM || format == FORMAT_CSV_FINDINGS))
		usage_error("--vm prints one domain's interfaces, not findings: "
		    "%s does not apply; drop it, or drop --vm for the whole "
		    "report", audit ? "--audit" : baseline_file != NULL ?
		    "--baseline" : format == FORMAT_PROM ? "--format prom" :
		    "--format csv-findings");

	/* Before anything is opened for writing. */
	check_not_input("-w", so.write_file, read_file, "-r");
	check_not_input("-w", so.write_file, so.target_file, "-f");
	check_not_input("-w", so.write_file, oui_file, "--oui");
	check_not_input("-o", output_file, read_file, "-r");
	check_not_input("-o", output_file, so.target_file, "-f");
	check_not_input("-o", output_file, oui_file, "--oui");
	check_not_input("-o", output_file, so.write_file, "-w");
	check_not_input("-w", so.write_file, baseline_file, "--baseline");
	check_not_input("-o", output_file, baseline_file, "--baseline");
	for (size_t i = 0; i < io.nvm_xml; i++)
		check_not_input("-w", so.write_file, io.vm_xml[i], "--vm-xml");
	for (size_t i = 0; i < io.ndhcp; i++)
		check_not_input("-w", so.write_file, io.dhcp[i], "--dhcp");
	for (size_t i = 0; i < io.nvm_xml; i++)
		check_not_input("-o", output_file, io.vm_xml[i], "--vm-xml");
	for (size_t i = 0; i < io.ndhcp; i++)
		check_not_input("-o", output_file, io.dhcp[i], "--dhcp");

	/*
	 * Input files are opened now, with the privileges the operator gave
	 * us (under sudo a root-only file is readable by intent), and parsed
	 * after the drop where the sweep allows it.
	 */
	struct report rep = { .tool_version = VERSION };
	struct vendor_job vj = { .path = oui_file };
	if (oui_file != NULL && (vj.fp = fopen(oui_file, "rb")) == NULL)
		vj.open_err = errno;
	/* Opened with the operator's rights, parsed after the drop. */
	FILE *baseline_fp = NULL;
	if (baseline_file != NULL && strcmp(baseline_file, "-") != 0 &&
	    (baseline_fp = fopen(baseline_file, "r")) == NULL)
		usage_error("cannot read --baseline '%s': %s",
		    ESC(baseline_file), strerror(errno));
	if (baseline_file != NULL && baseline_fp == NULL) {
		if (read_file != NULL && strcmp(read_file, "-") == 0)
			usage_error("--baseline - and -r - both read standard "
			    "input; name a file for one of them");
		baseline_fp = stdin;
	}
	if (so.target_file != NULL) {
		if (strcmp(so.target_file, "-") == 0) {
			so.target_fp = stdin;
			so.target_file = "<stdin>";
		} else if ((so.target_fp = fopen(so.target_file, "r")) == NULL) {
			usage_error("cannot read target file '%s': %s",
			    ESC(so.target_file), strerror(errno));
		}
	}
	char inv_note[256];
	struct inventory *inv = load_inventory(&io, read_file == NULL,
	    inv_note, sizeof(inv_note));
	rep.inv = inv;
	rep.inv_note = inv != NULL ? inv_note : NULL;
	static struct vm_lookup vm;
	inventory_hint(inv, vm_name, so.ifname, read_file == NULL, &vm,
	    &so.hint);
	/* A -w file that could not be written: reported after the report,
	 * which is still right, with exit status 2. */
	char record_error[RECORD_ERROR_SIZE] = "";
	struct sweep_result res;
	char errbuf[512];
	memset(&res, 0, sizeof(res));
	/* -o: opened now, while the directory may still need our privilege;
	 * whatever ends the run before the commit removes the temporary. */
	if (output_file != NULL && !so.dry_run)
		report_out_open(output_file);
	/* Now: the seccomp stages forbid the terminal size ioctl. */
	output_term_detect(&rep.term, (enum output_color)color,
	    output_file == NULL);
	if (read_file != NULL) {
		replay(read_file, so.write_file, so.max_bindings, &rep, &vj,
		    record_error);
	} else {
		memset(&res, 0, sizeof(res));
		so.after_drop = vendor_start;
		so.after_drop_arg = &vj;
		if (so.write_file != NULL && (so.record = open_output(
		    so.write_file, errbuf, sizeof(errbuf))) == NULL)
			usage_error("cannot record to '%s': %s",
			    ESC(so.write_file), errbuf);
		int rc = sweep_run(&so, &res, errbuf, sizeof(errbuf));
		if (so.target_fp != NULL && so.target_fp != stdin)
			fclose(so.target_fp);
		if (rc == -1)
			usage_error("%s", errbuf);
		if (so.dry_run) {
			if (inv != NULL)
				printf("%s\n", inv_note);
			inventory_free(inv);
			return 0;
		}
		rep.live = true;
		rep.partial = res.partial;
		rep.interface = res.iface.name;
		rep.iface_reason = res.iface.reason;
		memcpy(rep.mac, res.iface.mac, 6);
		rep.ip = res.src_ip;
		rep.targets = res.targets;
		rep.sent = res.sent;
		rep.send_s = res.send_s;
		rep.rate_max = so.rate_max;
		rep.rate = res.rate;
		rep.canaries = res.canaries;
		rep.canaries_lost = res.canaries_lost;
		rep.stats = res.stats;
		rep.ports = res.ports;
		rep.table = res.table;
		snprintf(record_error, sizeof(record_error), "%s",
		    res.record_error);
	}

	struct findings fs;
	table_finish(rep.table);
	struct findings_input fin = { .table = rep.table, .inv = inv,
	    .ports = &rep.ports };
	if (findings_compute(&fin, &fs) == -1)
		usage_error("out of memory while classifying findings");
	if (rep.live && rep.ports.available) {
		if (res.fdb_error[0] != '\0')
			fprintf(stderr, "arpsweep: warning: %s; the report does "
			    "not say where the bridge forwards shared MACs\n",
			    res.fdb_error);
		else
			findings_note_fdb(&fs, rep.table, &rep.ports, fdb_lookup,
			    &res.fdb);
	}
	if (baseline_fp != NULL) {
		struct baseline *bl = baseline_read(baseline_fp, baseline_file,
		    errbuf, sizeof(errbuf));
		if (baseline_fp != stdin)
			fclose(baseline_fp);
		if (bl == NULL)
			usage_error("%s", errbuf);
		if (baseline_compare(bl, rep.table, &rep.ports, &fs) == -1)
			usage_error("out of memory while comparing with the "
			    "baseline");
		baseline_free(bl);
	}
	struct vendor_db *vdb = vendor_finish(&vj);
	struct facts_sources src = { .vendors = vdb, .inv = inv,
	    .ports = &rep.ports };
	struct host_facts *hf = facts_build(rep.table, &src);
	if (hf == NULL)
		usage_error("out of memory while collecting host facts");
	rep.findings = &fs;
	rep.facts = hf;
	rep.elapsed_s = now_s() - t0;
	const struct vm_lookup *vmp = vm_name != NULL ? &vm : NULL;
	bool vm_found = vmp != NULL && vm_match(&vm, rep.table, rep.live ?
	    rep.interface : NULL, so.ifname != NULL);
	if (report_out != NULL)
		write_report_file(output_file, (enum output_format)format, &rep,
		    vmp);
	else if ((vmp != NULL ? vm_print(stdout, (enum output_format)format,
	    &rep, vmp) : report_print(stdout, (enum output_format)format,
	    &rep)) == -1)
		usage_error("cannot write the report: %s", strerror(errno));

	/* CSV has rows only: what the cap kept out goes to stderr. */
	const struct table_stats *ts = table_stats(rep.table);
	uint64_t capped = ts->dropped_bindings + ts->dropped_ip_macs +
	    ts->dropped_rounds + ts->dropped_mismatches;
	if ((format == FORMAT_CSV || format == FORMAT_CSV_FINDINGS) &&
	    capped > 0)
		fprintf(stderr, "arpsweep: warning: %" PRIu64 " bindings, "
		    "rounds or mismatches were not stored (an ARP flood?); the "
		    "table or json format says which\n", capped);
	int status = 0;
	/* Loss downstream that every pass suffered: say what it may have
	 * cost, whatever the format (the report itself stays parseable). */
	if (rep.live && !rep.partial && res.missed >= SENDER_MISSED_WARN)
		fprintf(stderr, "arpsweep: warning: %llu of %llu canary "
		    "requests (%.1f%%) went unanswered, some in every pass (the "
		    "last at %.0f requests/s): about %.0f host%s may have been "
		    "missed; sweep again with a lower --rate%s\n",
		    (unsigned long long)res.canaries_lost,
		    (unsigned long long)res.canaries, 100.0 *
		    (double)res.canaries_lost / (double)res.canaries, res.rate,
		    res.missed < 1 ? 1 : res.missed, res.missed < 1.5 ? "" : "s",
		    so.rate_max ? " or more --retries" : " or --rate max");
	if ((audit && findings_audit_fails(&fs)) || (vmp != NULL && !vm_found))
		status = 1;
	if (record_error[0] != '\0') {
		fprintf(stderr, "arpsweep: %s\n", record_error);
		status = 2;
	}
	findings_free(&fs);
	free(hf);
	inventory_free(inv);
	free(io.vm_xml);
	free(io.dhcp);
	vendor_free(vdb);
	table_free(rep.table);
	fdb_free(&res.fdb);
	return status;
}
