/* rate: AIMD on canary loss, capped below the lowest pace that lost. */
#include "rate.h"

#include <string.h>

/* Multiplicative decrease (at least), the most one cut may take, and the
 * cap's margin below a lossy pace. */
#define CUT		0.8
#define CAP		0.95
#define MIN_KEPT	0.05
/* A cut's additive step: this share of the new pace per window. */
#define STEP_SHARE	0.125

void
rate_init(struct rate_ctl *c, bool adapt, double rate)
{
	memset(c, 0, sizeof(*c));
	c->adapt = adapt;
	c->rate = adapt ? 0 : rate;
}

static void
set_rate(struct rate_ctl *c, double r)
{
	if (r < RATE_FLOOR)
		r = RATE_FLOOR;
	c->rate = r;
	c->level++;
	c->window = 0;
	c->lvl_asked = c->lvl_lost = 0;
}

void
rate_cut(struct rate_ctl *c, double r)
{
	set_rate(c, r);
	c->cut_level = c->level;
	c->step = c->rate * STEP_SHARE;
}

bool
rate_canary(struct rate_ctl *c, bool lost, double sent_at, unsigned level,
    bool early, bool again)
{
	c->asked++;
	if (level == c->level) {
		c->lvl_asked++;
		c->lvl_lost += lost;
	}
	if (lost) {
		c->lost++;
		if (early && level > 0)
			return false;
		if (c->lossy == 0 || sent_at < c->lossy)
			c->lossy = sent_at;
		if (c->lossfree >= c->lossy)
			c->lossfree = 0;
		/*
		 * One cut per excursion, as TCP cuts once per window: a canary
		 * sent before the last cut says nothing of the pace since.
		 */
		if (!c->adapt || level < c->cut_level)
			return false;
		/*
		 * A receiver that takes C/s loses 1 - C/R of what comes at R:
		 * cut by the share this pace kept (smoothed: one loss in one
		 * is no proof of 100%), and by at least CUT.
		 */
		double kept = 1 - (double)c->lvl_lost / (double)(c->lvl_asked + 1);

		if (kept > CUT)
			kept = CUT;
		if (kept < MIN_KEPT)
			kept = MIN_KEPT;
		rate_cut(c, (c->rate > 0 && c->rate < sent_at ? c->rate :
		    sent_at) * kept);
		return true;
	}
	/* A level that lost any canary, right after the change or not, is
	 * not loss-free. */
	if (level != c->level || c->lvl_lost > 0)
		return false;
	c->window += again ? RATE_AGAIN : 1;
	if (c->window < RATE_WINDOW)
		return false;
	c->window = 0;
	if (c->lossy == 0 || sent_at < c->lossy) {
		if (sent_at > c->lossfree)
			c->lossfree = sent_at;
	}
	/* Unpaced and never lost: nothing to increase; a retry pass after
	 * loss holds the loss-free pace. */
	if (!c->adapt || c->rate == 0 || c->hold)
		return false;
	double r = c->rate + c->step, cap = c->lossy * CAP;

	if (c->lossy > 0 && r > cap)
		r = cap;
	if (r <= c->rate)
		return false;
	set_rate(c, r);
	return true;
}

double
rate_retry(struct rate_ctl *c)
{
	double r = c->rate;

	if (c->lost == 0 || !c->adapt)
		return c->rate;
	if (c->lossfree > 0 && (r == 0 || c->lossfree < r))
		r = c->lossfree;
	else if (r == 0)
		r = c->lossy * CUT;	/* unpaced, and nothing was loss-free */
	if (r != c->rate)
		set_rate(c, r);
	c->hold = true;
	return c->rate;
}

double
rate_loss(const struct rate_ctl *c)
{
	return c->asked > 0 ? (double)c->lost / (double)c->asked : 0;
}
