/* fdb: RTM_GETNEIGH dump of one bridge, built and parsed with libmnl's helpers. */
#include "fdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_bridge.h>
#include <linux/neighbour.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sys/socket.h>

/* A bridge with more entries than this is not ours to read in full. */
#define FDB_MAX	(1u << 20)

struct dump {
	struct fdb	*db;
	size_t		cap;
	int		br;
	int		malformed;
};

struct attrs {
	const struct nlattr *tb[NDA_MAX + 1];
};

static int
attr_cb(const struct nlattr *a, void *data)
{
	struct attrs *at = data;
	int type = mnl_attr_get_type(a);

	if (mnl_attr_type_valid(a, NDA_MAX) < 0)
		return MNL_CB_OK;	/* newer kernels' attributes: skip */
	at->tb[type] = a;
	return MNL_CB_OK;
}

int
fdb_parse(const void *buf, size_t len, int br_ifindex, struct fdb_entry *e)
{
	const struct nlmsghdr *nlh = buf;
	const struct ndmsg *nd;
	struct attrs at;

	if (len < sizeof(*nlh) || !mnl_nlmsg_ok(nlh, (int)len) ||
	    nlh->nlmsg_type != RTM_NEWNEIGH ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*nd))
		return -1;
	nd = mnl_nlmsg_get_payload(nlh);
	if (nd->ndm_family != AF_BRIDGE)
		return 0;
	memset(&at, 0, sizeof(at));
	if (mnl_attr_parse(nlh, sizeof(*nd), attr_cb, &at) != MNL_CB_OK)
		return -1;
	/* The bridge's own addresses are not where a host is. */
	if (nd->ndm_state & NUD_PERMANENT || nd->ndm_ifindex == br_ifindex)
		return 0;
	if (at.tb[NDA_MASTER] != NULL && (mnl_attr_get_payload_len(
	    at.tb[NDA_MASTER]) < 4 ||
	    (int)mnl_attr_get_u32(at.tb[NDA_MASTER]) != br_ifindex))
		return 0;
	if (at.tb[NDA_LLADDR] == NULL ||
	    mnl_attr_get_payload_len(at.tb[NDA_LLADDR]) != 6)
		return 0;
	memset(e, 0, sizeof(*e));
	memcpy(e->mac, mnl_attr_get_payload(at.tb[NDA_LLADDR]), 6);
	if (at.tb[NDA_VLAN] != NULL &&
	    mnl_attr_get_payload_len(at.tb[NDA_VLAN]) >= 2)
		e->vlan = mnl_attr_get_u16(at.tb[NDA_VLAN]);
	e->port = nd->ndm_ifindex;
	return 1;
}

static int
data_cb(const struct nlmsghdr *nlh, void *arg)
{
	struct dump *d = arg;
	struct fdb_entry e;
	int rc = fdb_parse(nlh, nlh->nlmsg_len, d->br, &e);

	if (rc == -1) {
		d->malformed++;
		return MNL_CB_OK;
	}
	if (rc == 0 || d->db->n >= FDB_MAX)
		return MNL_CB_OK;
	if (d->db->n == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 64;
		struct fdb_entry *v = realloc(d->db->v, ncap * sizeof(*v));
		if (v == NULL)
			return MNL_CB_ERROR;
		d->db->v = v;
		d->cap = ncap;
	}
	d->db->v[d->db->n++] = e;
	return MNL_CB_OK;
}

struct mnl_socket *
fdb_open(char *errbuf)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);

	if (nl == NULL || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(errbuf, FDB_ERRBUF_SIZE, "bridge forwarding database: "
		    "cannot open a netlink socket: %s", strerror(errno));
		if (nl != NULL)
			mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

void
fdb_close(struct mnl_socket *nl)
{
	if (nl != NULL)
		mnl_socket_close(nl);
}

int
fdb_dump(struct mnl_socket *nl, int br_ifindex, struct fdb *out, char *errbuf)
{
	char *buf = malloc(MNL_SOCKET_BUFFER_SIZE);
	struct nlmsghdr *nlh;
	struct ndmsg *nd;
	struct dump d = { .db = out, .br = br_ifindex };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	unsigned seq = (unsigned)time(NULL), portid;
	ssize_t n;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (buf == NULL) {
		snprintf(errbuf, FDB_ERRBUF_SIZE, "bridge forwarding database: "
		    "out of memory");
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	nd = mnl_nlmsg_put_extra_header(nlh, sizeof(*nd));
	nd->ndm_family = AF_BRIDGE;
	mnl_attr_put_u32(nlh, NDA_MASTER, (uint32_t)br_ifindex);
	portid = mnl_socket_get_portid(nl);
	/* mnl_socket_sendto() with MSG_NOSIGNAL: the seccomp report stage
	 * allows sendto with that flag only (scanner/privs.c). */
	if (sendto(mnl_socket_get_fd(nl), nlh, nlh->nlmsg_len, MSG_NOSIGNAL,
	    (struct sockaddr *)&kernel, sizeof(kernel)) < 0) {
		snprintf(errbuf, FDB_ERRBUF_SIZE, "bridge forwarding database: "
		    "cannot ask netlink: %s", strerror(errno));
		goto out;
	}
	while ((n = mnl_socket_recvfrom(nl, buf, MNL_SOCKET_BUFFER_SIZE)) > 0) {
		int r = mnl_cb_run(buf, (size_t)n, seq, portid, data_cb, &d);
		if (r == MNL_CB_STOP) {
			rc = 0;
			break;
		}
		if (r == MNL_CB_ERROR) {
			snprintf(errbuf, FDB_ERRBUF_SIZE, "bridge forwarding "
			    "database: %s", errno != 0 ? strerror(errno) :
			    "out of memory");
			break;
		}
	}
	if (n < 0)
		snprintf(errbuf, FDB_ERRBUF_SIZE, "bridge forwarding database: "
		    "netlink read failed: %s", strerror(errno));
out:
	free(buf);
	if (rc == -1)
		fdb_free(out);
	return rc;
}

int32_t
fdb_port(const struct fdb *db, const uint8_t mac[6])
{
	int32_t tagged = -1;

	for (size_t i = 0; i < db->n; i++) {
		if (memcmp(db->v[i].mac, mac, 6) != 0)
			continue;
		if (db->v[i].vlan == 0)
			return db->v[i].port;
		if (tagged == -1)
			tagged = db->v[i].port;
	}
	return tagged;
}

void
fdb_free(struct fdb *db)
{
	free(db->v);
	db->v = NULL;
	db->n = 0;
}
