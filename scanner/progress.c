/* progress: the sweep's one-line progress report and its smoothed ETA. */
#include "progress.h"

#include <math.h>
#include <stdio.h>

void
progress_eta_init(struct progress_eta *e)
{
	e->shown_s = -1;
	e->at_ns = 0;
}

double
progress_eta_update(struct progress_eta *e, double estimate_s, int64_t now_ns)
{
	if (estimate_s < 0)
		return e->shown_s;
	if (e->shown_s < 0) {
		e->shown_s = estimate_s;
		e->at_ns = now_ns;
		return e->shown_s;
	}
	double dt = (double)(now_ns - e->at_ns) / 1e9;
	if (dt <= 0)
		return e->shown_s;
	double s = e->shown_s - dt;	/* the countdown */
	if (s < 0)
		s = 0;
	s += (estimate_s - s) * (1 - exp(-dt / PROGRESS_TAU_S));
	e->shown_s = s;
	e->at_ns = now_ns;
	return s;
}

int
progress_format(char *buf, size_t len, const struct progress_counts *c,
    double elapsed_s, double eta_s)
{
	uint64_t retries = c->sent > c->asked ? c->sent - c->asked : 0;
	char left[32] = "";

	if (eta_s >= 0)
		snprintf(left, sizeof(left), ", ~%.1f s left", eta_s);
	return snprintf(buf, len, "%llu/%llu targets asked, %llu retries, "
	    "%llu answers, %llu hosts, %.1f s%s",
	    (unsigned long long)c->asked, (unsigned long long)c->targets,
	    (unsigned long long)retries, (unsigned long long)c->replies,
	    (unsigned long long)c->hosts, elapsed_s, left);
}
