/*
 * The rtnetlink ABI the net mode needs (values from the Linux UAPI headers <linux/netlink.h>,
 * <linux/rtnetlink.h>, <linux/if_link.h>, <linux/veth.h>, <linux/if_addr.h>; musl ships no kernel
 * headers) and a request builder. Used by netsetup.c only.
 */
#ifndef CAPSTAN_NETLINK_H
#define CAPSTAN_NETLINK_H

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef AF_NETLINK
#define AF_NETLINK 16
#endif
#ifndef AF_BRIDGE
#define AF_BRIDGE 7
#endif
#define NETLINK_ROUTE 0
#define NLM_F_REQUEST 0x1
#define NLM_F_ACK 0x4
#define NLM_F_REPLACE 0x100
#define NLM_F_EXCL 0x200
#define NLM_F_CREATE 0x400
#define NLMSG_ERROR 0x2
#define NLA_F_NESTED 0x8000
#define RTM_NEWLINK 16
#define RTM_DELLINK 17
#define RTM_SETLINK 19
#define RTM_NEWADDR 20
#define RTM_NEWROUTE 24
#define IFLA_IFNAME 3
#define IFLA_MTU 4
#define IFLA_MASTER 10
#define IFLA_PROTINFO 12
#define IFLA_LINKINFO 18
#define IFLA_NET_NS_FD 28
#define IFLA_INFO_KIND 1
#define IFLA_INFO_DATA 2
#define VETH_INFO_PEER 1
#define IFLA_BRPORT_MODE 4
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_BROADCAST 4
#define RTA_OIF 4
#define RTA_GATEWAY 5
#define RT_TABLE_MAIN 254
#define RTPROT_BOOT 3
#define RT_SCOPE_UNIVERSE 0
#define RTN_UNICAST 1

struct nlmsghdr { uint32_t nlmsg_len; uint16_t nlmsg_type, nlmsg_flags; uint32_t nlmsg_seq, nlmsg_pid; };
struct nlmsgerr { int error; struct nlmsghdr msg; };
struct rtattr { unsigned short rta_len, rta_type; };
struct ifinfomsg { unsigned char ifi_family, ifi_pad; unsigned short ifi_type; int ifi_index; unsigned ifi_flags, ifi_change; };
struct ifaddrmsg { uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope; uint32_t ifa_index; };
struct rtmsg { unsigned char rtm_family, rtm_dst_len, rtm_src_len, rtm_tos, rtm_table, rtm_protocol, rtm_scope, rtm_type; unsigned rtm_flags; };
struct sockaddr_nl { unsigned short nl_family, nl_pad; uint32_t nl_pid, nl_groups; };

#define NL_ALIGN(n) (((n) + 3u) & ~3u)

struct nl_req {
    union { struct nlmsghdr h; char buf[2048]; } u;
};

static inline void nl_init(struct nl_req *r, uint16_t type, uint16_t flags) {
    memset(r, 0, sizeof *r);
    r->u.h.nlmsg_len = NL_ALIGN(sizeof(struct nlmsghdr));
    r->u.h.nlmsg_type = type;
    r->u.h.nlmsg_flags = (uint16_t)(NLM_F_REQUEST | NLM_F_ACK | flags);
    r->u.h.nlmsg_seq = 1;
}

/* Appends len zeroed bytes (a family header) and returns them. */
static inline void *nl_put_raw(struct nl_req *r, size_t len) {
    char *p = r->u.buf + r->u.h.nlmsg_len;
    r->u.h.nlmsg_len += NL_ALIGN((uint32_t)len);
    return p;
}

static inline void nl_put(struct nl_req *r, unsigned short type, const void *data, size_t len) {
    struct rtattr *a = (struct rtattr *)(r->u.buf + r->u.h.nlmsg_len);
    a->rta_type = type;
    a->rta_len = (unsigned short)(sizeof *a + len);
    memcpy((char *)a + sizeof *a, data, len);
    r->u.h.nlmsg_len += NL_ALIGN((uint32_t)a->rta_len);
}

static inline void nl_put_str(struct nl_req *r, unsigned short type, const char *s) {
    nl_put(r, type, s, strlen(s) + 1);
}

static inline void nl_put_u32(struct nl_req *r, unsigned short type, uint32_t v) {
    nl_put(r, type, &v, 4);
}

static inline struct rtattr *nl_nest(struct nl_req *r, unsigned short type) {
    struct rtattr *a = (struct rtattr *)(r->u.buf + r->u.h.nlmsg_len);
    a->rta_type = type;
    r->u.h.nlmsg_len += sizeof *a;
    return a;
}

static inline void nl_end(struct nl_req *r, struct rtattr *nest) {
    nest->rta_len = (unsigned short)(r->u.buf + r->u.h.nlmsg_len - (char *)nest);
}

/* A route netlink socket in the current network namespace. */
static inline int nl_open(void) {
    int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    return fd;
}

/* Sends the request and waits for its acknowledgement: 0, or -errno. */
static inline int nl_talk(int fd, struct nl_req *r) {
    if (fd < 0) return -EBADF;
    struct sockaddr_nl k = {.nl_family = AF_NETLINK};
    if (sendto(fd, r->u.buf, r->u.h.nlmsg_len, 0, (struct sockaddr *)&k, sizeof k) < 0) return -errno;
    char buf[4096];
    for (;;) {
        ssize_t n = recv(fd, buf, sizeof buf, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        struct nlmsghdr *h = (struct nlmsghdr *)buf;
        while (n >= (ssize_t)sizeof *h && h->nlmsg_len >= sizeof *h && h->nlmsg_len <= (uint32_t)n) {
            if (h->nlmsg_type == NLMSG_ERROR) {
                struct nlmsgerr *e = (struct nlmsgerr *)((char *)h + NL_ALIGN(sizeof *h));
                return e->error;
            }
            n -= NL_ALIGN(h->nlmsg_len);
            h = (struct nlmsghdr *)((char *)h + NL_ALIGN(h->nlmsg_len));
        }
    }
}

#endif
