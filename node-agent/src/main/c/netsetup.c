/*
 * Mode net: the native pod network ("capstan-bridge", docs/adr/0014). One process does what the
 * CNI loopback + bridge plugins did for a pod, with rtnetlink instead of exec'd Go binaries:
 *
 *   capstan-shim net add --netns PIN --bridge BR --veth HOSTIF --address A.B.C.D/N --gateway G
 *                        [--mtu N] [--host-netns PATH]
 *     creates a network namespace and pins it with a bind mount at PIN (as `unshare --net=PIN`),
 *     brings lo up in it, creates the veth pair HOSTIF <-> eth0 with eth0 in the pod namespace,
 *     attaches HOSTIF to BR (hairpin on) and up, and gives eth0 the address and a default route
 *     via G. Exit 2 when BR does not exist (the agent creates it and retries), 1 on other errors.
 *   capstan-shim net del --veth HOSTIF [--host-netns PATH]
 *     deletes HOSTIF (and so eth0); a missing link is fine.
 *
 * --host-netns makes another namespace play the node's (tests, nested nodes). The address
 * allocation is the agent's (Java); undoing a failed add is the agent's teardown.
 * Linux UAPI definitions are in netlink.h (musl ships no kernel headers).
 */
#include "shim.h"
#include "netlink.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <unistd.h>

struct net_args {
    const char *cmd, *netns, *host_netns, *bridge, *veth, *address, *gateway;
    int mtu;
};

static _Noreturn void net_fail(int code, const char *step, int err) {
    dprintf(2, "capstan-shim net: %s: %s\n", step, strerror(err));
    exit(code);
}

static _Noreturn void net_usage(const char *what) {
    dprintf(2, "usage: capstan-shim net add --netns PIN --bridge BR --veth HOSTIF --address A/N --gateway G"
               " [--mtu N] [--host-netns PATH]\n"
               "       capstan-shim net del --veth HOSTIF [--host-netns PATH]\n"
               "capstan-shim net: %s\n", what);
    exit(SHIM_EXIT_SETUP);
}

static void setns_path(const char *path) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || setns(fd, CLONE_NEWNET) < 0) net_fail(1, path, errno);
    close(fd);
}

static int open_ns_self(void) {
    int fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
    if (fd < 0) net_fail(1, "open /proc/self/ns/net", errno);
    return fd;
}

/* Creates the veth pair, the pod end (eth0) in the namespace podfd (down: a veth cannot be up
 * before its peer is linked, which happens after both are registered). */
static int add_veth(int nl, const struct net_args *a, int bridge, int podfd) {
    struct nl_req r;
    nl_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL);
    nl_put_raw(&r, sizeof(struct ifinfomsg));
    nl_put_str(&r, IFLA_IFNAME, a->veth);
    nl_put_u32(&r, IFLA_MTU, (uint32_t)a->mtu);
    nl_put_u32(&r, IFLA_MASTER, (uint32_t)bridge);
    struct rtattr *info = nl_nest(&r, IFLA_LINKINFO);
    nl_put_str(&r, IFLA_INFO_KIND, "veth");
    struct rtattr *data = nl_nest(&r, IFLA_INFO_DATA);
    struct rtattr *peer = nl_nest(&r, VETH_INFO_PEER);
    nl_put_raw(&r, sizeof(struct ifinfomsg));
    nl_put_str(&r, IFLA_IFNAME, "eth0");
    nl_put_u32(&r, IFLA_MTU, (uint32_t)a->mtu);
    nl_put_u32(&r, IFLA_NET_NS_FD, (uint32_t)podfd);
    nl_end(&r, peer);
    nl_end(&r, data);
    nl_end(&r, info);
    return nl_talk(nl, &r);
}

static int link_up(int nl, int index) {
    struct nl_req r;
    nl_init(&r, RTM_NEWLINK, 0);
    struct ifinfomsg *ifi = nl_put_raw(&r, sizeof *ifi);
    ifi->ifi_index = index;
    ifi->ifi_flags = IFF_UP;
    ifi->ifi_change = IFF_UP;
    return nl_talk(nl, &r);
}

static int del_link(int nl, const char *name) {
    struct nl_req r;
    nl_init(&r, RTM_DELLINK, 0);
    nl_put_raw(&r, sizeof(struct ifinfomsg));
    nl_put_str(&r, IFLA_IFNAME, name);
    return nl_talk(nl, &r);
}

static int hairpin(int nl, int index) {
    struct nl_req r;
    nl_init(&r, RTM_SETLINK, 0);
    struct ifinfomsg *ifi = nl_put_raw(&r, sizeof *ifi);
    ifi->ifi_family = AF_BRIDGE;
    ifi->ifi_index = index;
    struct rtattr *p = nl_nest(&r, IFLA_PROTINFO | NLA_F_NESTED);
    uint8_t on = 1;
    nl_put(&r, IFLA_BRPORT_MODE, &on, 1);
    nl_end(&r, p);
    return nl_talk(nl, &r);
}

static int add_address(int nl, int index, struct in_addr addr, int prefix) {
    struct nl_req r;
    nl_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_REPLACE);
    struct ifaddrmsg *ifa = nl_put_raw(&r, sizeof *ifa);
    ifa->ifa_family = AF_INET;
    ifa->ifa_prefixlen = (uint8_t)prefix;
    ifa->ifa_index = (uint32_t)index;
    nl_put(&r, IFA_LOCAL, &addr, 4);
    nl_put(&r, IFA_ADDRESS, &addr, 4);
    struct in_addr brd = addr;
    if (prefix < 31) brd.s_addr = addr.s_addr | htonl(prefix == 0 ? 0xffffffffu : (0xffffffffu >> prefix));
    nl_put(&r, IFA_BROADCAST, &brd, 4);
    return nl_talk(nl, &r);
}

static int add_default_route(int nl, int index, struct in_addr gw) {
    struct nl_req r;
    nl_init(&r, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE);
    struct rtmsg *rt = nl_put_raw(&r, sizeof *rt);
    rt->rtm_family = AF_INET;
    rt->rtm_table = RT_TABLE_MAIN;
    rt->rtm_protocol = RTPROT_BOOT;
    rt->rtm_scope = RT_SCOPE_UNIVERSE;
    rt->rtm_type = RTN_UNICAST;
    nl_put(&r, RTA_GATEWAY, &gw, 4);
    uint32_t oif = (uint32_t)index;
    nl_put(&r, RTA_OIF, &oif, 4);
    return nl_talk(nl, &r);
}

static int net_add(const struct net_args *a) {
    char addr_text[32];
    struct in_addr addr, gw;
    const char *slash = strchr(a->address, '/');
    if (!slash || (size_t)(slash - a->address) >= sizeof addr_text) net_usage("--address needs A.B.C.D/N");
    memcpy(addr_text, a->address, (size_t)(slash - a->address));
    addr_text[slash - a->address] = 0;
    int prefix = atoi(slash + 1);
    if (inet_pton(AF_INET, addr_text, &addr) != 1 || prefix < 1 || prefix > 32) net_usage("bad --address");
    if (inet_pton(AF_INET, a->gateway, &gw) != 1) net_usage("bad --gateway");
    if (strlen(a->veth) >= IFNAMSIZ) net_usage("--veth name too long");

    if (a->host_netns) setns_path(a->host_netns);
    int hostfd = open_ns_self();
    int bridge = (int)if_nametoindex(a->bridge);
    if (bridge == 0) net_fail(2, a->bridge, ENODEV);
    int nl_host = nl_open();

    /* the pinned pod namespace, as unshare --net=PIN and ip netns add do it */
    int pin = open(a->netns, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
    if (pin < 0) net_fail(1, a->netns, errno);
    close(pin);
    if (unshare(CLONE_NEWNET) < 0) net_fail(1, "unshare net", errno);
    if (mount("/proc/self/ns/net", a->netns, "none", MS_BIND, NULL) < 0) net_fail(1, "pin the namespace", errno);
    int podfd = open_ns_self();
    loopback_up();
    int nl_pod = nl_open();
    if (setns(hostfd, CLONE_NEWNET) < 0) net_fail(1, "back to the host namespace", errno);

    int err = add_veth(nl_host, a, bridge, podfd);
    if (err == -EEXIST) { /* a leftover of this pod (an interrupted add): replace it */
        del_link(nl_host, a->veth);
        err = add_veth(nl_host, a, bridge, podfd);
    }
    if (err < 0) net_fail(1, "create the veth pair", -err);
    int host_if = (int)if_nametoindex(a->veth);
    if (host_if == 0) net_fail(1, a->veth, errno);
    if ((err = hairpin(nl_host, host_if)) < 0) net_fail(1, "hairpin mode", -err);
    if ((err = link_up(nl_host, host_if)) < 0) net_fail(1, "host end up", -err);

    if (setns(podfd, CLONE_NEWNET) < 0) net_fail(1, "enter the pod namespace", errno);
    int eth0 = (int)if_nametoindex("eth0");
    if (eth0 == 0) net_fail(1, "eth0", errno);
    if ((err = link_up(nl_pod, eth0)) < 0) net_fail(1, "eth0 up", -err);
    if ((err = add_address(nl_pod, eth0, addr, prefix)) < 0) net_fail(1, "eth0 address", -err);
    if ((err = add_default_route(nl_pod, eth0, gw)) < 0) net_fail(1, "default route", -err);
    return 0;
}

static int net_del(const struct net_args *a) {
    if (a->host_netns) setns_path(a->host_netns);
    int err = del_link(nl_open(), a->veth);
    if (err < 0 && err != -ENODEV) net_fail(1, "delete the veth pair", -err);
    return 0;
}

int net_main(int argc, char **argv) {
    struct net_args a = {.mtu = 1500};
    if (argc < 1) net_usage("missing add or del");
    a.cmd = argv[0];
    for (int i = 1; i < argc; i += 2) {
        if (i + 1 >= argc) net_usage("missing value");
        const char *k = argv[i], *v = argv[i + 1];
        if (!strcmp(k, "--netns")) a.netns = v;
        else if (!strcmp(k, "--host-netns")) a.host_netns = v;
        else if (!strcmp(k, "--bridge")) a.bridge = v;
        else if (!strcmp(k, "--veth")) a.veth = v;
        else if (!strcmp(k, "--address")) a.address = v;
        else if (!strcmp(k, "--gateway")) a.gateway = v;
        else if (!strcmp(k, "--mtu")) a.mtu = atoi(v);
        else net_usage(k);
    }
    if (!a.veth) net_usage("missing --veth");
    if (!strcmp(a.cmd, "add")) {
        if (!a.netns || !a.bridge || !a.address || !a.gateway || a.mtu < 68) net_usage("add needs --netns --bridge --address --gateway");
        return net_add(&a);
    }
    if (!strcmp(a.cmd, "del")) return net_del(&a);
    net_usage("unknown command");
}
