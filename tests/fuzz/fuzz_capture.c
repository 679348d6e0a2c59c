/*
 * fuzz_capture: a whole capture file through the replay pipeline, as
 * arpsweep -r runs it: libpcap's reader (pcap, pcapng) -> decode -> table
 * -> table_finish -> findings (with the ports a pcapng names) -> every
 * output format; and the -w path: the frames recorded while reading
 * (pcapng with one interface per port when the file has ports) must read
 * back with the same frames and ports. The same bytes again through a
 * pipe (as -r - reads them, where a pcapng's interface blocks cannot be
 * read ahead): the same frames, and no port the file did not name.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../capture/capture.h"
#include "../../report/facts.h"
#include "../../report/findings.h"
#include "../../report/output.h"
#include "../../report/table.h"
#include "../../report/vendor.h"
#include "fuzz.h"

/* A few names so the vendor column is exercised; control bytes in one of
 * them must not reach the report. */
static const char oui[] =
    "000000\tXEROX\n020000\tLocal \x1b[31mred\n"
    "MA-L,525400,QEMU virtual NIC,Somewhere\n";

struct sink {
	struct table	*t;
	int		oom;
};

static void
on_frame(const struct arp_frame *f, void *user)
{
	struct sink *s = user;

	table_prefetch(s->t, f);
	if (table_add(s->t, f, NULL) == -1)
		s->oom = 1;
}

/* Every byte a report writes is printable text. */
static void
check_text(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)buf[i];

		FUZZ_ASSERT(c == '\n' || (c >= 0x20 && c != 0x7f));
	}
}

/*
 * The input through a pipe big enough to hold it all (so nothing blocks):
 * returns false when there is none that big. Sets *rc to the loop's
 * status, or -2 when the stream was refused.
 */
static bool
through_pipe(const uint8_t *data, size_t size, int *rc,
    struct capture_stats *st, struct ports *pt)
{
	char errbuf[CAPTURE_ERRBUF_SIZE];
	int fd[2];
	FILE *fp;

	if (size > (1u << 20) || pipe(fd) == -1)
		return false;
	if ((size > 65536 && fcntl(fd[1], F_SETPIPE_SZ, (int)size) < (int)size) ||
	    write(fd[1], data, size) != (ssize_t)size) {
		close(fd[0]);
		close(fd[1]);
		return false;
	}
	close(fd[1]);
	if ((fp = fdopen(fd[0], "rb")) == NULL) {
		close(fd[0]);
		return false;
	}
	struct capture *c = capture_open_stream(fp, "pipe", errbuf);
	if (c == NULL) {
		FUZZ_ASSERT(strchr(errbuf, '\n') == NULL);
		*rc = -2;
		return true;
	}
	*rc = capture_loop(c, NULL, NULL, errbuf);
	*st = *capture_stats(c);
	*pt = *capture_ports(c);
	capture_close(c, errbuf);
	return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[CAPTURE_ERRBUF_SIZE], warn[256];
	struct sink s = { 0 };
	struct capture *c;
	struct findings fs;
	struct report rep = { .file = "fuzz.pcap" };
	uint8_t *copy;
	FILE *fp;
	int rc = -1;

	/* fmemopen refuses size 0; libpcap says "truncated" for it anyway. */
	if (size == 0 || (copy = malloc(size)) == NULL)
		return 0;
	memcpy(copy, data, size);
	if ((fp = fmemopen(copy, size, "rb")) == NULL) {
		free(copy);
		return 0;
	}
	c = capture_open_stream(fp, "fuzz.pcap", errbuf);
	if (c == NULL) {
		FUZZ_ASSERT(strchr(errbuf, '\n') == NULL);
		free(copy);
		return 0;
	}
	char *rec = NULL;
	size_t reclen = 0;
	FILE *recfp = open_memstream(&rec, &reclen);
	if (recfp != NULL && capture_record_stream(c, recfp, errbuf) == -1) {
		fclose(recfp);
		recfp = NULL;
	}
	if ((s.t = table_new()) == NULL)
		goto out;
	rc = capture_loop(c, on_frame, &s, errbuf);
	FUZZ_ASSERT(rc == 0 || strchr(errbuf, '\n') == NULL);
	rep.stats = *capture_stats(c);
	FUZZ_ASSERT(rep.stats.frames == rep.stats.arp + rep.stats.other +
	    rep.stats.ignored + rep.stats.malformed);
	FUZZ_ASSERT(rep.stats.arp == rep.stats.requests + rep.stats.replies);
	if (s.oom)
		goto out;
	table_finish(s.t);
	rep.ports = *capture_ports(c);
	struct findings_input fin = { .table = s.t, .ports = &rep.ports };
	if (findings_compute(&fin, &fs) == -1)
		goto out;
	rep.table = s.t;
	rep.findings = &fs;
	struct vendor_db *vdb = vendor_load_buffer(oui, sizeof(oui) - 1, "oui",
	    warn, sizeof(warn));
	struct facts_sources fsrc = { .vendors = vdb };
	struct host_facts *hf = facts_build(s.t, &fsrc);
	if (hf == NULL) {
		vendor_free(vdb);
		findings_free(&fs);
		goto out;
	}
	rep.facts = hf;
	for (int fmt = FORMAT_TABLE; fmt <= FORMAT_CSV; fmt++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);

		if (out == NULL)
			continue;
		FUZZ_ASSERT(report_print(out, (enum output_format)fmt, &rep) == 0);
		fclose(out);
		check_text(buf, len);
		free(buf);
	}
	free(hf);
	vendor_free(vdb);
	findings_free(&fs);
out:
	table_free(s.t);
	bool ported = capture_ports(c)->available;
	static struct ports file_pt;
	file_pt = *capture_ports(c);
	struct capture_stats st = *capture_stats(c);
	int wrc = capture_close(c, errbuf);
	/* The recording of a file read to its end (and so written whole)
	 * reads back to the same frames and ports. */
	if (recfp != NULL && wrc == 0 && rc == 0 && !s.oom && ported &&
	    (fp = fmemopen(rec, reclen, "rb")) != NULL) {
		struct capture *back = capture_open_stream(fp, "rec", errbuf);
		FUZZ_ASSERT(back != NULL);
		FUZZ_ASSERT(capture_loop(back, NULL, NULL, errbuf) == 0);
		FUZZ_ASSERT(capture_stats(back)->frames == st.frames);
		FUZZ_ASSERT(capture_stats(back)->arp == st.arp);
		FUZZ_ASSERT(capture_ports(back)->available);
		capture_close(back, errbuf);
	}
	free(rec);
	/* A pipe reads the same frames; its ports, learnt as libpcap reads,
	 * are the file's (which may name more: it reads ahead past a block
	 * libpcap stops at). */
	static struct ports pipe_pt;
	struct capture_stats pst;
	int prc;
	if (through_pipe(data, size, &prc, &pst, &pipe_pt)) {
		FUZZ_ASSERT(prc != -2);
		if (rc == 0 && prc == 0) {
			FUZZ_ASSERT(pst.frames == st.frames);
			FUZZ_ASSERT(pst.arp == st.arp);
		}
		for (unsigned i = 0; i < pipe_pt.n; i++) {
			const struct port *fpp = ports_find(&file_pt,
			    pipe_pt.p[i].ifindex);
			FUZZ_ASSERT(fpp != NULL);
			FUZZ_ASSERT(strcmp(fpp->name, pipe_pt.p[i].name) == 0);
		}
	}
	free(copy);
	return 0;
}
