/* ingest: one path from a capture (live or file) into the table. */
#ifndef ARPSWEEP_INGEST_H
#define ARPSWEEP_INGEST_H

#include <stdbool.h>

#include "../capture/capture.h"
#include "../report/table.h"

/*
 * A replay knows its next frames before it adds them: it holds the last
 * INGEST_LOOKAHEAD frames back and prefetches each one's table slot as it
 * comes in, so the slot is in cache by the time it is added. A live sweep
 * needs each frame's meaning at once (its feedback loop), so it holds none.
 */
#define INGEST_LOOKAHEAD 8

/* What a frame meant, once it is in the table (live: the sender's feedback). */
typedef void ingest_event_fn(const struct arp_frame *f,
    const struct table_event *ev, void *arg);

struct ingest {
	struct table		*table;
	struct capture		*cap;		/* stopped when out of memory */
	ingest_event_fn		*on_event;	/* NULL: none */
	void			*arg;
	unsigned		lookahead;	/* 0 .. INGEST_LOOKAHEAD */
	struct arp_frame	q[INGEST_LOOKAHEAD];
	unsigned		head, n;
	bool			oom;		/* a table_add() failed */
};

/* lookahead: frames held back (0 for live). */
void ingest_init(struct ingest *in, struct table *t, struct capture *c,
    unsigned lookahead, ingest_event_fn *on_event, void *arg);

/* The capture_loop() callback; user is the struct ingest. */
void ingest_frame(const struct arp_frame *f, void *user);

/* Add the frames still held back; after the capture loop ends. */
void ingest_flush(struct ingest *in);

#endif
