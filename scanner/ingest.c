/* ingest: capture -> table, with the replay's prefetch queue. */
#include "ingest.h"

#include <string.h>

void
ingest_init(struct ingest *in, struct table *t, struct capture *c,
    unsigned lookahead, ingest_event_fn *on_event, void *arg)
{
	memset(in, 0, sizeof(*in));
	in->table = t;
	in->cap = c;
	in->on_event = on_event;
	in->arg = arg;
	in->lookahead = lookahead > INGEST_LOOKAHEAD ? INGEST_LOOKAHEAD :
	    lookahead;
}

static void
add(struct ingest *in, const struct arp_frame *f)
{
	struct table_event ev;

	if (in->oom)
		return;
	if (table_add(in->table, f, in->on_event != NULL ? &ev : NULL) == -1) {
		in->oom = true;
		capture_stop(in->cap);
		return;
	}
	if (in->on_event != NULL)
		in->on_event(f, &ev, in->arg);
}

void
ingest_frame(const struct arp_frame *f, void *user)
{
	struct ingest *in = user;

	if (in->lookahead == 0) {
		add(in, f);
		return;
	}
	table_prefetch(in->table, f);
	if (in->n == in->lookahead) {
		add(in, &in->q[in->head]);
		in->q[in->head] = *f;
		in->head = (in->head + 1) % in->lookahead;
	} else
		in->q[(in->head + in->n++) % in->lookahead] = *f;
}

void
ingest_flush(struct ingest *in)
{
	for (; in->n > 0; in->n--, in->head = (in->head + 1) % in->lookahead)
		add(in, &in->q[in->head]);
}
