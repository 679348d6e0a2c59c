/* prom: one report as Prometheus text exposition, for node_exporter's
 * textfile collector. */
#ifndef ARPSWEEP_PROM_H
#define ARPSWEEP_PROM_H

#include <stdio.h>

struct report;

/*
 * At most PROM_FINDING_INFO arpsweep_finding_info series (the only ones
 * with ip and mac labels), so a flood of findings cannot flood the
 * monitoring; arpsweep_findings counts them all.
 */
#define PROM_FINDING_INFO	64

/* Write the metrics; the caller flushes and checks the stream. */
void prom_print(FILE *out, const struct report *r);

#endif
