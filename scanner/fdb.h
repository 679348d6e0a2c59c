/* fdb: a Linux bridge's forwarding database (MAC -> port), read through netlink with libmnl. */
#ifndef ARPSWEEP_FDB_H
#define ARPSWEEP_FDB_H

#include <stddef.h>
#include <stdint.h>

#define FDB_ERRBUF_SIZE 256

struct fdb_entry {
	uint8_t		mac[6];
	uint16_t	vlan;		/* 0 when the entry has none */
	int32_t		port;		/* ifindex of the bridge port */
};

struct fdb {
	struct fdb_entry *v;
	size_t		n;
};

struct mnl_socket;

/*
 * The netlink socket, opened with the other handles before the privilege
 * drop: under seccomp no socket can be made. NULL with errbuf on failure.
 */
struct mnl_socket *fdb_open(char *errbuf);

/*
 * Dump the forwarding entries of bridge br_ifindex (RTM_GETNEIGH,
 * AF_BRIDGE, filtered by NDA_MASTER), learnt and static, local ones (the
 * bridge's own addresses) left out. Needs no privilege and no new socket.
 * Returns -1 with a one-line message in errbuf.
 */
int fdb_dump(struct mnl_socket *nl, int br_ifindex, struct fdb *out,
    char *errbuf);

void fdb_close(struct mnl_socket *nl);

/* The port the bridge forwards mac to (an untagged entry first), or -1. */
int32_t fdb_port(const struct fdb *db, const uint8_t mac[6]);

/* Parse one RTM_NEWNEIGH message (for tests and the dump). Returns 1
 * when it is a usable entry (filled into *e), 0 when it is to be skipped,
 * -1 when malformed. */
int fdb_parse(const void *nlh, size_t len, int br_ifindex,
    struct fdb_entry *e);

void fdb_free(struct fdb *db);

#endif
