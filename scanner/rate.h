/* rate: the sweep's pace from canary feedback (AIMD), and the loss it measured. */
#ifndef ARPSWEEP_RATE_H
#define ARPSWEEP_RATE_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A canary is a request to a target that has already answered; one that
 * stays silent for a timeout was lost downstream (a receiver's queue, a
 * busy VM), which the sender cannot see any other way. The controller is
 * fed each canary's fate with the pace it was sent at and the level (a
 * count of pace changes) current then. Pure logic: one thread, no clock.
 */
struct rate_ctl {
	bool		adapt;		/* --rate max: the pace follows the loss */
	double		rate;		/* pace in requests/s; 0: unpaced */
	double		step;		/* additive increase per loss-free window */
	double		lossy;		/* lowest pace a lost canary was sent at; 0: none */
	double		lossfree;	/* highest pace below `lossy` with a loss-free window */
	unsigned	level;		/* pace changes so far */
	unsigned	cut_level;	/* level set by the last cut */
	unsigned	window;		/* answered canaries sent at the current level */
	unsigned	lvl_asked, lvl_lost;	/* canaries of the current level */
	bool		hold;		/* a retry pass after loss: no increase */
	uint64_t	asked, lost;	/* canaries resolved */
};

/* Answered canaries at one level before the pace goes up (a loss-free
 * window), a re-asked one counting RATE_AGAIN. */
#define RATE_WINDOW	8
#define RATE_AGAIN	3
/* Never paced below this. */
#define RATE_FLOOR	100.0

/* adapt: start unpaced (rate is ignored); else a fixed pace of rate/s. */
void rate_init(struct rate_ctl *c, bool adapt, double rate);

/*
 * One canary's fate. `sent_at` is the pace it went out at (the achieved
 * rate when unpaced), `level` the c->level of then. `early`: it went out
 * so soon after that level began that a queue the pace before filled may
 * still have been draining; its loss is counted but blames no pace.
 * `again`: it re-asked a target whose canary was lost. Loss is seldom
 * everywhere: one port's queue overflows while the hosts on the others
 * answer at any pace, so the answer of a target that was lost weighs
 * RATE_AGAIN times another's. Returns true when the pace changed (read c->rate).
 */
bool rate_canary(struct rate_ctl *c, bool lost, double sent_at,
    unsigned level, bool early, bool again);

/*
 * A cut from another signal (kernel drops, a full send queue) to r/s; it
 * counts as a cut for the once-per-excursion rule.
 */
void rate_cut(struct rate_ctl *c, double r);

/*
 * Start a retry pass. After measured loss (with adapt) it goes at the
 * highest pace that was loss-free, or the current, already cut, one when
 * it is lower or none was, and holds it: cuts still apply, increases do
 * not. Without loss nothing changes. Returns the pace, 0 for unpaced.
 */
double rate_retry(struct rate_ctl *c);

/* Share of the resolved canaries that were lost, 0 when none resolved. */
double rate_loss(const struct rate_ctl *c);

#endif
