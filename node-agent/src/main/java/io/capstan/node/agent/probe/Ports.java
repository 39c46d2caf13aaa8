package io.capstan.node.agent.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;

/** A probe's port: a number, or the name of one of the container's ports (a numeric string also works). */
final class Ports {
    private Ports() {}

    /** The port number; IllegalArgumentException for an unknown name or a number outside 1..65535. */
    static int resolve(IntOrString port, Container c) {
        if (port == null) {
            throw new IllegalArgumentException("the probe has no port");
        }
        int n;
        if (port.getIntVal() != null) {
            n = port.getIntVal();
        } else {
            String name = port.getStrVal() == null ? "" : port.getStrVal();
            n = byName(c, name);
        }
        if (n <= 0 || n >= 65536) {
            throw new IllegalArgumentException("invalid port number: " + n);
        }
        return n;
    }

    private static int byName(Container c, String name) {
        if (c.getPorts() != null) {
            for (ContainerPort p : c.getPorts()) {
                if (name.equals(p.getName()) && p.getContainerPort() != null) {
                    return p.getContainerPort();
                }
            }
        }
        try {
            return Integer.parseInt(name);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("no port named \"" + name + "\" in the ports of container "
                    + c.getName());
        }
    }

    /** host:port, with brackets around an IPv6 address. */
    static String hostPort(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
