/*
 * fuzz_capture: a whole capture file through the replay pipeline, as
 * arpsweep -r runs it: libpcap's reader (pcap, pcapng) -> decode -> table
 * -> table_finish -> findings -> every output format.
 */
#include <string.h>

#include "../../capture/capture.h"
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
	int rc;

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
	if (findings_compute(s.t, &fs) == -1)
		goto out;
	rep.table = s.t;
	rep.findings = &fs;
	rep.vendors = vendor_load_buffer(oui, sizeof(oui) - 1, "oui", warn,
	    sizeof(warn));
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
	vendor_free((struct vendor_db *)rep.vendors);
	findings_free(&fs);
out:
	table_free(s.t);
	capture_close(c, errbuf);
	free(copy);
	return 0;
}
