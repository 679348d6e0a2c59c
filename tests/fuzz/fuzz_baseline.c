/*
 * fuzz_baseline: baseline_read(), the --baseline JSON reader (json-c, the
 * format check, every host field), then baseline_compare() against a
 * table holding one answered binding that entered on bridge port vnet0,
 * so what was read is also used (ports included: moved-port).
 */
#include <string.h>

#include "../../report/baseline.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char errbuf[512];
	struct baseline *b;
	struct findings fs;
	struct table *t;
	FILE *fp;

	if (size == 0 || (fp = fmemopen((void *)data, size, "r")) == NULL)
		return 0;
	errbuf[0] = '\0';
	b = baseline_read(fp, "fuzz.json", errbuf, sizeof(errbuf));
	fclose(fp);
	if (b == NULL) {
		FUZZ_ASSERT(errbuf[0] != '\0');
		FUZZ_ASSERT(strchr(errbuf, '\n') == NULL);
		return 0;
	}
	if ((t = table_new()) != NULL) {
		/* 198.18.100.10 is-at 52:54:00:00:64:0a, asked and answered. */
		struct arp_frame req = {
			.op = 1, .vlan = VLAN_NONE, .outer_vlan = VLAN_NONE,
			.sha = { 0x52, 0x54, 0, 0, 0, 1 }, .spa = 0xc6120001,
			.tpa = 0xc612640a, .ts_ns = 1,
		}, rep = req;
		rep.op = 2;
		memcpy(rep.sha, "\x52\x54\x00\x00\x64\x0a", 6);
		memcpy(rep.tha, req.sha, 6);
		rep.spa = req.tpa;
		rep.tpa = req.spa;
		rep.ts_ns = 2;
		req.ifindex = IFINDEX_NONE;
		rep.ifindex = 5;
		(void)table_add(t, &req, NULL);
		(void)table_add(t, &rep, NULL);
		table_finish(t);
		static struct ports pt = { .available = true };
		if (pt.n == 0)
			(void)ports_add(&pt, 5, "vnet0", false);
		struct findings_input in = { .table = t, .ports = &pt };
		if (findings_compute(&in, &fs) == 0) {
			size_t n = fs.n;
			if (baseline_compare(b, t, &pt, &fs) == 0)
				FUZZ_ASSERT(fs.n >= n);
			findings_free(&fs);
		}
		table_free(t);
	}
	baseline_free(b);
	return 0;
}
