/* output: the finished table and findings as text for people or programs. */
#ifndef ARPSWEEP_OUTPUT_H
#define ARPSWEEP_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../capture/capture.h"
#include "facts.h"
#include "findings.h"
#include "fmt.h"
#include "table.h"
#include "vendor.h"

enum output_format { FORMAT_TABLE = 0, FORMAT_JSON, FORMAT_CSV, FORMAT_PROM,
    FORMAT_CSV_FINDINGS };

enum output_color { COLOR_AUTO = 0, COLOR_ALWAYS, COLOR_NEVER };

/* Where the table goes: its width in columns (0: no limit) and whether
 * it may use colour (SGR sequences). */
struct output_term {
	int	width;
	bool	color;
};

/* Everything a report says; filled by the program, read by report_print(). */
struct report {
	const char	*tool_version;	/* arpsweep's, for the JSON report */
	bool		live;		/* "live" source, else "replay" */
	bool		partial;	/* interrupted before the sweep finished */
	const char	*file;		/* replay: the capture file */
	const char	*interface;	/* live */
	const char	*iface_reason;	/* live: why this interface was chosen */
	uint8_t		mac[6];		/* live: our MAC */
	uint32_t	ip;		/* live: our source IP (0 for --probe) */
	uint64_t	targets, sent;	/* live */
	double		send_s;		/* live: time spent sending */
	bool		rate_max;	/* live: --rate max */
	double		rate;		/* live: requests/s it settled at */
	uint64_t	canaries, canaries_lost;	/* live: measured loss */
	double		elapsed_s;
	struct capture_stats stats;
	struct table	*table;		/* finished (table_finish) */
	struct ports	ports;		/* bridge ports, when available */
	const struct findings *findings;
	const struct host_facts *facts;	/* per table_host() index */
	const struct inventory *inv;	/* finished, or NULL */
	const char	*inv_note;	/* what the inventory holds, or NULL */
	struct output_term term;	/* the table's; zero: no limit, plain */
};

/* Parse "table", "json", "csv", "csv-findings" or "prom"; -1 when
 * unknown. */
int output_parse_format(const char *s);

/* Parse --color's "auto", "always" or "never"; -1 when unknown. */
int output_parse_color(const char *when);

/*
 * The table's width and colour, for a report written to standard output
 * (to_stdout) or to a file: the width from COLUMNS when it is a number,
 * else the terminal's (TIOCGWINSZ) when standard output is one, else no
 * limit; colour always, never, or (auto) when standard output is a
 * terminal, NO_COLOR is unset or empty, and TERM is set and not "dumb".
 * Call before privs_confine(): the seccomp stages forbid that ioctl.
 */
void output_term_detect(struct output_term *t, enum output_color mode,
    bool to_stdout);

/* The hosts the table's summary counts: every binding but this host's
 * (the scanner's own address, on any VLAN); *self says whether it has one. */
size_t report_host_count(const struct report *r, bool *self);

/* Write the report; returns -1 on a write error (errno set). */
int report_print(FILE *out, enum output_format fmt, const struct report *r);

#endif
