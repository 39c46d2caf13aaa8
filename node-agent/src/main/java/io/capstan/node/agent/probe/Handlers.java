package io.capstan.node.agent.probe;

import io.capstan.node.cri.ContainerRuntime;
import io.fabric8.kubernetes.api.model.Probe;

/**
 * The real {@link Prober}: picks the probe's handler (exec, httpGet, tcpSocket; gRPC is not
 * supported yet and errors) and, as kubelet does, runs it up to three times while it errors.
 */
final class Handlers implements Prober {
    static final int MAX_TRIES = 3;

    private final ExecProbe exec;
    private final HttpProbe http = new HttpProbe();
    private final TcpProbe tcp = new TcpProbe();

    Handlers(ContainerRuntime runtime) {
        this.exec = new ExecProbe(runtime);
    }

    @Override
    public Outcome probe(Probe probe, ProbeTarget target) {
        Outcome last = null;
        for (int i = 0; i < MAX_TRIES; i++) {
            last = once(probe, target);
            if (last.status() != Outcome.Status.ERROR) {
                return last;
            }
        }
        return last;
    }

    private Outcome once(Probe probe, ProbeTarget target) {
        var timeout = ProbeTiming.of(probe).timeout();
        try {
            if (probe.getExec() != null) {
                return exec.probe(probe.getExec(), target.containerId(), timeout);
            }
            if (probe.getHttpGet() != null) {
                return http.probe(probe.getHttpGet(), target.container(), target.podIp(), timeout);
            }
            if (probe.getTcpSocket() != null) {
                return tcp.probe(probe.getTcpSocket(), target.container(), target.podIp(), timeout);
            }
        } catch (IllegalArgumentException e) {
            return Outcome.error(e.getMessage()); // a port or URL that cannot be used: nothing to retry
        }
        if (probe.getGrpc() != null) {
            return Outcome.error("gRPC probes are not supported by this node agent yet");
        }
        return Outcome.error("missing probe handler for " + target.pod().getMetadata().getNamespace() + "/"
                + target.pod().getMetadata().getName() + ":" + target.container().getName());
    }
}
