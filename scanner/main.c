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
#include "../report/findings.h"
#include "../report/output.h"
#include "../report/table.h"
#include "../report/vendor.h"
#include "privs.h"
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
"\n"
"TARGET: a.b.c.d/n, a.b.c.d-e.f.g.h, a.b.c.d-h, net:mask or an address;\n"
"        default: the interface's own IPv4 subnets.\n"
"  -I, --interface IFACE  interface to sweep (default: first up bridge, then\n"
"                         Ethernet interface with an IPv4 address)\n"
"  -f, --file FILE        read targets from FILE, one per line ('-': stdin)\n"
"  -r, --read FILE        read frames from a pcap/pcapng file instead\n"
"  -w, --write FILE       record every ARP frame sent and received (pcap;\n"
"                         FILE is replaced only once it is complete)\n"
"      --format F         table (default), json or csv\n"
"      --audit            exit 1 when a finding other than repeated-reply\n"
"      --oui FILE         vendor registry file (default: ieee-data)\n"
"      --rate PPS|max     requests per second (default 5000)\n"
"      --retries N        extra passes over unanswered targets (default 2)\n"
"      --timeout MS       initial wait for answers (default 500)\n"
"      --confirm N        extra probes for each suspect (default 3)\n"
"      --random           send in a random order; --seed N fixes it\n"
"      --source-ip A      sender IP in requests (default: the interface's)\n"
"      --probe            RFC 5227 probes (sender IP 0.0.0.0)\n"
"      --vlan ID          send 802.1Q-tagged requests\n"
"      --max-bindings N   store at most N bindings no request asked for;\n"
"                         answers to requests are always kept (default:\n"
"                         1024 + 2 per request round seen)\n"
"      --dry-run          print the target count, first and last; send nothing\n"
"      --force            allow more than 2^20 targets\n"
"  -q, --quiet            no progress line\n"
"  -h, --help             this help;  -V, --version\n"
"\n"
"Exit status: 0 report printed, 1 --audit found trouble, 2 bad input.\n", out);
}

enum {
	OPT_FORMAT = 256, OPT_AUDIT, OPT_OUI, OPT_RATE, OPT_RETRIES,
	OPT_TIMEOUT, OPT_CONFIRM, OPT_RANDOM, OPT_SEED, OPT_SOURCE_IP,
	OPT_PROBE, OPT_VLAN, OPT_DRY_RUN, OPT_FORCE, OPT_MAX_BINDINGS,
};

static const struct option long_opts[] = {
	{ "interface", required_argument, NULL, 'I' },
	{ "file", required_argument, NULL, 'f' },
	{ "read", required_argument, NULL, 'r' },
	{ "write", required_argument, NULL, 'w' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ "format", required_argument, NULL, OPT_FORMAT },
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

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A replay knows its next frames before it adds them: it holds the last
 * LOOKAHEAD frames back and prefetches each one's table slot as it comes
 * in, so the slot is in cache by the time it is added.
 */
#define LOOKAHEAD 8

struct replay_queue {
	struct table		*t;
	struct capture		*c;
	struct arp_frame	q[LOOKAHEAD];
	unsigned		head, n;
	bool			oom;
};

static void
add_frame(struct replay_queue *rq, const struct arp_frame *f)
{
	if (!rq->oom && table_add(rq->t, f, NULL) == -1) {
		rq->oom = true;
		capture_stop(rq->c);
	}
}

static void
on_frame(const struct arp_frame *f, void *user)
{
	struct replay_queue *rq = user;

	table_prefetch(rq->t, f);
	if (rq->n == LOOKAHEAD) {
		add_frame(rq, &rq->q[rq->head]);
		rq->q[rq->head] = *f;
		rq->head = (rq->head + 1) % LOOKAHEAD;
	} else
		rq->q[(rq->head + rq->n++) % LOOKAHEAD] = *f;
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

/* Refuse "-w X" when X is one of the inputs, by name or by inode. */
static void
check_not_input(const char *out, const char *in, const char *opt)
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
	usage_error("-w '%s' is the same file as %s '%s'; record to another "
	    "file", ESC(out), opt, ESC(in));
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

static const char *
file_arg(const char *opt, const char *s)
{
	if (*s == '\0')
		usage_error("%s '': empty file name", opt);
	return s;
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
		if ((ao = open_output(write_file, why, sizeof(why))) == NULL)
			usage_error("cannot record to '%s': %s", ESC(write_file),
			    why);
		if (capture_record(c, ao, errbuf) == -1)
			usage_error("%s", errbuf);
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
	struct replay_queue rq = { .t = rep->table, .c = c };
	rc = capture_loop(c, on_frame, &rq, errbuf);
	for (; rq.n > 0; rq.n--, rq.head = (rq.head + 1) % LOOKAHEAD)
		add_frame(&rq, &rq.q[rq.head]);
	/* A replay that fails leaves the previous recording as it was. */
	if (rc == -1 || rq.oom) {
		capture_record_abort(c);
		usage_error("%s", rq.oom ? "out of memory while building the "
		    "table" : errbuf);
	}
	rep->stats = *capture_stats(c);
	if (capture_close(c, errbuf) == -1)
		snprintf(record_error, RECORD_ERROR_SIZE, "%s", errbuf);
	rep->file = path;
}

int
main(int argc, char **argv)
{
	struct sweep_options so = {
		.vlan = -1, .rate = 5000, .retries = 2, .confirm = 3,
		.timeout_ns = 500 * 1000000LL,
	};
	const char *read_file = NULL, *oui_file = NULL;
	int format = FORMAT_TABLE, audit = 0, c;
	double t0 = now_s();

	opterr = 0;	/* one message per error, ours */
	while ((c = getopt_long(argc, argv, ":I:f:r:w:qhV", long_opts,
	    NULL)) != -1) {
		switch (c) {
		case 'I':
			if (!ifname_ok(optarg))
				usage_error("-I '%s': not an interface name (1 to "
				    "15 characters, no '/', ':', space or control "
				    "character); list them with 'ip link'",
				    ESC(optarg));
			so.ifname = optarg;
			break;
		case 'f': so.target_file = file_arg("-f", optarg); break;
		case 'r': read_file = file_arg("-r", optarg); break;
		case 'w': so.write_file = file_arg("-w", optarg); break;
		case 'q': so.quiet = true; break;
		case 'h': usage(stdout); return 0;
		case 'V':
			printf("arpsweep " VERSION " (libvirt: %s)\n",
			    virt_available() ? "yes" : "no");
			return 0;
		case OPT_FORMAT:
			if ((format = output_parse_format(optarg)) == -1)
				usage_error("--format '%s': expected table, "
				    "json or csv", ESC(optarg));
			break;
		case OPT_AUDIT: audit = 1; break;
		case OPT_OUI: oui_file = file_arg("--oui", optarg); break;
		case OPT_RATE:
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
			so.retries = (unsigned)number("--retries", optarg, 0, 100);
			break;
		case OPT_TIMEOUT:
			so.timeout_ns = (int64_t)number("--timeout", optarg, 1,
			    600000) * 1000000;
			break;
		case OPT_CONFIRM:
			so.confirm = (unsigned)number("--confirm", optarg, 0, 100);
			break;
		case OPT_RANDOM: so.random = true; break;
		case OPT_SEED:
			so.seed = number("--seed", optarg, 0, ULLONG_MAX);
			so.seed_set = so.random = true;
			break;
		case OPT_SOURCE_IP: {
			struct in_addr a;
			/* Checked here, so a dry run refuses it too. */
			if (inet_pton(AF_INET, optarg, &a) != 1)
				usage_error("--source-ip '%s': not an IPv4 "
				    "address (a.b.c.d)", ESC(optarg));
			so.source_ip = optarg;
			break;
		}
		case OPT_PROBE: so.probe = true; break;
		case OPT_VLAN:
			so.vlan = (int)number("--vlan", optarg, 1, 4094);
			break;
		case OPT_DRY_RUN: so.dry_run = true; break;
		case OPT_FORCE: so.force = true; break;
		case OPT_MAX_BINDINGS:
			so.max_bindings = number("--max-bindings", optarg, 1,
			    UINT32_MAX);
			break;
		case ':':
			usage_error("option '%s' needs a value; see 'arpsweep "
			    "--help'", ESC(argv[optind - 1]));
		default:
			if (optopt != 0) {
				char o[3] = { '-', (char)optopt, '\0' };
				usage_error("unknown option '%s'; see 'arpsweep "
				    "--help'", ESC(o));
			}
			usage_error("unknown option '%s'; see 'arpsweep --help'",
			    ESC(argv[optind - 1]));
		}
	}
	so.specs = argv + optind;
	so.nspecs = argc - optind;
	if (read_file != NULL && (so.nspecs > 0 || so.target_file != NULL ||
	    so.ifname != NULL || so.dry_run))
		usage_error("-r replays a capture: targets, -f, -I and "
		    "--dry-run apply only to a live sweep");
	if (so.write_file != NULL && strcmp(so.write_file, "-") == 0)
		usage_error("-w -: the report goes to standard output; record "
		    "to a file instead");
	if (so.probe && so.source_ip != NULL)
		usage_error("--probe sends sender IP 0.0.0.0; drop --source-ip "
		    "or --probe");

	/* Before anything is opened for writing. */
	check_not_input(so.write_file, read_file, "-r");
	check_not_input(so.write_file, so.target_file, "-f");
	check_not_input(so.write_file, oui_file, "--oui");

	/*
	 * Input files are opened now, with the privileges the operator gave
	 * us (under sudo a root-only file is readable by intent), and parsed
	 * after the drop where the sweep allows it.
	 */
	struct report rep = { .elapsed_s = 0 };
	struct vendor_job vj = { .path = oui_file };
	if (oui_file != NULL && (vj.fp = fopen(oui_file, "rb")) == NULL)
		vj.open_err = errno;
	if (so.target_file != NULL) {
		if (strcmp(so.target_file, "-") == 0) {
			so.target_fp = stdin;
			so.target_file = "<stdin>";
		} else if ((so.target_fp = fopen(so.target_file, "r")) == NULL) {
			usage_error("cannot read target file '%s': %s",
			    ESC(so.target_file), strerror(errno));
		}
	}
	/* A -w file that could not be written: reported after the report,
	 * which is still right, with exit status 2. */
	char record_error[RECORD_ERROR_SIZE] = "";
	struct sweep_result res;
	char errbuf[512];
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
		if (so.dry_run)
			return 0;
		rep.live = true;
		rep.partial = res.partial;
		rep.interface = res.iface.name;
		rep.iface_reason = res.iface.reason;
		memcpy(rep.mac, res.iface.mac, 6);
		rep.ip = res.src_ip;
		rep.targets = res.targets;
		rep.sent = res.sent;
		rep.send_s = res.send_s;
		rep.stats = res.stats;
		rep.table = res.table;
		snprintf(record_error, sizeof(record_error), "%s",
		    res.record_error);
	}

	struct findings fs;
	table_finish(rep.table);
	if (findings_compute(rep.table, &fs) == -1)
		usage_error("out of memory while classifying findings");
	struct vendor_db *vdb = vendor_finish(&vj);
	rep.findings = &fs;
	rep.vendors = vdb;
	rep.elapsed_s = now_s() - t0;
	if (report_print(stdout, (enum output_format)format, &rep) == -1)
		usage_error("cannot write the report: %s", strerror(errno));

	/* CSV has rows only: what the cap kept out goes to stderr. */
	const struct table_stats *ts = table_stats(rep.table);
	uint64_t capped = ts->dropped_bindings + ts->dropped_ip_macs +
	    ts->dropped_rounds + ts->dropped_mismatches;
	if (format == FORMAT_CSV && capped > 0)
		fprintf(stderr, "arpsweep: warning: %" PRIu64 " bindings, "
		    "rounds or mismatches were not stored (an ARP flood?); the "
		    "table or json format says which\n", capped);
	int status = 0;
	if (audit && fs.n > fs.by_kind[FIND_REPEATED_REPLY])
		status = 1;
	if (record_error[0] != '\0') {
		fprintf(stderr, "arpsweep: %s\n", record_error);
		status = 2;
	}
	findings_free(&fs);
	vendor_free(vdb);
	table_free(rep.table);
	return status;
}
