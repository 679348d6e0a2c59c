/* progress: the sweep's one-line progress report and its smoothed ETA. */
#ifndef ARPSWEEP_PROGRESS_H
#define ARPSWEEP_PROGRESS_H

#include <stddef.h>
#include <stdint.h>

/* What the line shows, read from the sweep's counters. */
struct progress_counts {
	uint64_t	targets;	/* all targets */
	uint64_t	asked;		/* targets asked at least once */
	uint64_t	sent;		/* requests sent, retries included */
	uint64_t	replies, hosts;
};

/*
 * The ETA as shown. The sender's estimate jumps when a pass ends (a retry
 * pass it had not counted yet, a timeout that shrank); the shown value
 * counts down with the clock and moves toward the estimate by a share that
 * grows with the time passed (time constant PROGRESS_TAU_S), so it bends
 * instead of jumping.
 */
#define PROGRESS_TAU_S	2.0

struct progress_eta {
	double		shown_s;	/* < 0: nothing shown yet */
	int64_t		at_ns;		/* when shown_s was computed */
};

void progress_eta_init(struct progress_eta *e);

/* Feed the sender's estimate (seconds; < 0: unknown) at time now_ns;
 * returns the ETA to show, < 0 for none. */
double progress_eta_update(struct progress_eta *e, double estimate_s,
    int64_t now_ns);

/* The line, without "\r" or a newline: "200/256 targets asked, 64 retries,
 * 30 answers, 14 hosts, 1.2 s, ~1.8 s left". Returns snprintf's result. */
int progress_format(char *buf, size_t len, const struct progress_counts *c,
    double elapsed_s, double eta_s);

#endif
