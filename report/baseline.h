/* baseline: what changed since a previous JSON report (--baseline). */
#ifndef ARPSWEEP_BASELINE_H
#define ARPSWEEP_BASELINE_H

#include <stddef.h>
#include <stdio.h>

#include "findings.h"
#include "table.h"

/* The JSON report format this arpsweep writes ("format",
 * "format_version") and the versions it reads back (version 1 named its
 * number "version"); a report of another version is refused, never
 * guessed at. Bump the version when a field changes name or meaning. */
#define BASELINE_FORMAT		"arpsweep-report"
#define BASELINE_VERSION	2
#define BASELINE_VERSION_OLDEST	1
#define BASELINE_MAX_BYTES	(256u << 20)

struct baseline;

/*
 * Read and check a JSON report from fp (name for messages). On error
 * returns NULL with one sentence in errbuf naming the file and what to do.
 */
struct baseline *baseline_read(FILE *fp, const char *name, char *errbuf,
    size_t errlen);

/*
 * Append to fs the differences between the finished table (table_finish()
 * and findings_compute() done) and the baseline:
 *   new-host     an answering binding whose IP the baseline had no answer for
 *   changed-mac  an IP now answered by a MAC that did not answer it then
 *   gone         a binding that answered then, not now, although its IP was
 *                asked for now (a request seen: swept, or in the replay)
 *   moved-port   a binding that answered then and now, entering now on a
 *                bridge port (pt, named) that is none of its ports then;
 *                needs ports in both
 * Each says when the baseline last saw it (baseline_last_seen).
 * Flags the current hosts involved. Returns -1 when out of memory.
 */
int baseline_compare(const struct baseline *b, struct table *t,
    const struct ports *pt, struct findings *fs);

void baseline_free(struct baseline *b);

#endif
