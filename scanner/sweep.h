/* sweep: one live sweep: handles, privileges, sender and receiver threads. */
#ifndef ARPSWEEP_SWEEP_H
#define ARPSWEEP_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../capture/capture.h"
#include "../report/table.h"
#include "fdb.h"
#include "iface.h"

struct sweep_options {
	const char	*ifname;	/* -I, or NULL to choose */
	struct iface_hint hint;		/* the inventory's bridges, to choose */
	const char	*write_file;	/* -w, for messages */
	struct atomic_out *record;	/* -w, opened by the caller; sweep_run
					 * takes it over (puts it in place, or
					 * removes it when the sweep fails) */
	const char	*target_file;	/* -f, for messages */
	FILE		*target_fp;	/* -f, opened by the caller */
	char		**specs;	/* TARGET... */
	int		nspecs;
	const char	*source_ip;	/* --source-ip */
	bool		probe;		/* --probe: sender IP 0.0.0.0 */
	int		vlan;		/* --vlan, -1 for none */
	double		rate;		/* --rate */
	bool		rate_max;
	unsigned	retries, confirm;
	int64_t		timeout_ns;
	bool		random;
	bool		seed_set;
	uint64_t	seed;
	bool		dry_run, force, quiet;
	uint64_t	max_bindings;	/* --max-bindings, 0 for the default */
	bool		no_ports;	/* --no-ports: a bridge captured as today */
	/* Called once every privilege is gone, before the sweep starts: work
	 * that may overlap the sweep (loading vendor names). */
	void		(*after_drop)(void *);
	void		*after_drop_arg;
};

struct sweep_result {
	struct iface	iface;
	uint32_t	src_ip;
	uint64_t	targets, sent;
	double		send_s;		/* the sender's time sending */
	double		rate;		/* requests/s the sweep settled at */
	uint64_t	canaries, canaries_lost;	/* loss measured (rate.h) */
	double		missed;		/* hosts that loss likely cost */
	bool		partial;	/* stopped by a signal */
	struct capture_stats stats;
	struct table	*table;		/* caller frees */
	struct ports	ports;		/* the bridge's ports seen (available
					   only when its ports were captured) */
	struct fdb	fdb;		/* ports: its forwarding database at
					   the end; caller frees (fdb_free) */
	char		fdb_error[FDB_ERRBUF_SIZE]; /* it could not be read */
	char		record_error[CAPTURE_ERRBUF_SIZE]; /* -w failed; report valid */
};

/*
 * Run the sweep described by o (or, with dry_run, print the target count and
 * the first and last target to stdout and fill nothing else). Returns 0 on
 * success, -1 with a one-line message in errbuf on a usage or setup error
 * (the caller exits 2). SIGINT, SIGTERM and SIGUSR1 are left blocked in the
 * calling thread: a signal after the sweep must not cut the report short.
 */
int sweep_run(const struct sweep_options *o, struct sweep_result *res,
    char *errbuf, size_t errlen);

#endif
