/*
 * Mode connect: one TCP connection to a port on localhost inside a pod's network namespace
 * (kubectl port-forward). The shim joins the namespace with setns (it is single-threaded, unlike
 * the JVM), connects to 127.0.0.1:PORT, then [::1]:PORT. On failure it prints one line
 * "connect: <strerror>" (the IPv4 error) to stderr and exits 1. Otherwise it writes one status
 * byte 'C' to stdout and relays stdin -> socket (stdin EOF = shutdown(SHUT_WR)) and
 * socket -> stdout until both directions have ended.
 */
#include "shim.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int dial(int family, int port, int *err) {
    int s = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0) {
        *err = errno;
        return -1;
    }
    int rc;
    if (family == AF_INET) {
        struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        rc = connect(s, (struct sockaddr *)&a, sizeof a);
    } else {
        struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
        a.sin6_addr = in6addr_loopback;
        rc = connect(s, (struct sockaddr *)&a, sizeof a);
    }
    if (rc < 0) {
        *err = errno;
        close(s);
        return -1;
    }
    return s;
}

int connect_main(struct config *c) {
    signal(SIGPIPE, SIG_IGN);
    int ns = open(c->netns, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) < 0) {
        dprintf(2, "connect: join network namespace %s: %s\n", c->netns, strerror(errno));
        return 1;
    }
    close(ns);
    int err4 = 0, err6 = 0;
    int s = dial(AF_INET, c->port, &err4);
    if (s < 0) s = dial(AF_INET6, c->port, &err6);
    if (s < 0) {
        dprintf(2, "connect: %s\n", strerror(err4));
        return 1;
    }
    if (write_all(1, "C", 1) < 0) return 1;
    set_nonblocking(s);
    static struct flow up, down;
    flow_init(&up, 0, s, FLOW_EOF_SHUTDOWN);
    flow_init(&down, s, 1, FLOW_EOF_CLOSE);
    while (up.active || down.active) {
        struct pollfd p[2];
        flow_poll(&up, &p[0]);
        flow_poll(&down, &p[1]);
        if (poll(p, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        flow_step(&up, p[0].revents);
        if (!flow_step(&down, p[1].revents) && !down.eof) {
            break; /* stdout is gone: nobody reads the pod's side any more */
        }
    }
    close(s);
    return 0;
}
