package io.capstan.cli;

/** The text of {@code capstan --help}. */
final class Usage {
  static final String TEXT = """
      capstan: a Kubernetes-style control plane with its own container engine

      usage:
        capstan server --data-dir DIR [--storage etcd://HOST:PORT[,HOST:PORT...]] [--listen HOST:PORT]
                       [--node-monitor-grace-period 50s]
                       [--node-agent true|false] [--graph-driver overlay|vfs] [--cgroup-root R]
                       [--service-cluster-ip-range 10.96.0.0/12] [--service-node-port-range 30000-32767]
                       [--cluster-cidr 10.244.0.0/16] [--node-cidr-mask-size 24]
                       [--pod-cidr CIDR] [--cluster-dns IP[,IP]] [--cluster-domain D] [--host-gw-routes true|false]
                       [--kubelet-port 10250] [--pod-network capstan-bridge|cni]
            all-in-one: API server on embedded SQLite in DIR (or on etcd), the controllers, and
            a node agent running this machine's pods (node name = hostname; needs root; images,
            containers and logs under DIR); writes an admin kubeconfig to DIR/kubeconfig.
            Default listen 127.0.0.1:6443. The agent's API (kubectl logs/exec/attach/port-forward)
            listens on 127.0.0.1:--kubelet-port (0: any free port) with a secret in DIR/node-secrets.
        capstan apiserver --storage sqlite:DIR|etcd://HOST:PORT[,HOST:PORT...][/PREFIX] [--listen HOST:PORT]
                          [--service-cluster-ip-range 10.96.0.0/12] [--service-node-port-range 30000-32767]
                          [--node-secrets-dir DIR]
            the API server alone. With --node-secrets-dir (shared with the agents, which must run
            on this machine) it serves kubectl logs, exec, attach and port-forward.
        capstan controllers --kubeconfig FILE [--node-monitor-grace-period 50s]
               [--cluster-cidr 10.244.0.0/16] [--node-cidr-mask-size 24]
            the controllers alone (leader-elected, so several may run).
        capstan agent --kubeconfig FILE [--node-name N] [--data-dir DIR] [--graph-driver overlay|vfs]
                      [--cgroup-root R] [--pod-cidr CIDR] [--cluster-dns IP[,IP]] [--cluster-domain D]
                      [--host-gw-routes true|false] [--pod-network capstan-bridge|cni]
                      [--kubelet-port 10250] [--node-secrets-dir S]
            the node agent alone: registers this machine as node N (default: the hostname)
            and runs its pods with the native runtime (needs root). Default DIR
            /var/lib/capstan, graph driver overlay, cgroup root "capstan" (relative to
            the agent's own cgroup; absolute when it starts with /). Pods get addresses from
            the Node's spec.podCIDR, set by the node IPAM controller (--pod-cidr: used while
            it is unset), a resolv.conf naming the cluster DNS served on this node
            (--cluster-dns, default 10.96.0.10; --cluster-domain, default cluster.local).
            --host-gw-routes true routes other nodes' podCIDRs via their InternalIPs (the
            nodes must share a link). --pod-network cni attaches pods with the standard CNI
            plugins instead of capstan's native bridge (docs/pod-network.md). Its API listens
            on 127.0.0.1:--kubelet-port (0: any free port; published in the Node's status) and
            accepts only the holder of the secret S/N (default S DIR/node-secrets, created if
            absent; give the API server the same S).
        capstan agent cleanup [--data-dir DIR]
            removes what pod networking left once no agent runs on DIR: pods' networks, the
            bridge capstan0, the unreachable safety routes, the capstan-dns interface.
        capstan simulate --kubeconfig FILE --nodes N [--name-prefix sim] [--lease-renew-interval 10s]
            simulated nodes PREFIX-0..N-1 that run the pods bound to them (no containers),
            for testing the control plane; stop it and the nodes go NotReady.
        capstan image import [--data-dir DIR] FILE [REF] [--entrypoint CMD] [--cmd CMD] [--env K=V]... [--workdir D]
            imports an OCI-layout, docker-archive or root-filesystem tarball into the node's
            image store (DIR/images; default DIR /var/lib/capstan), also while the server runs.
            REF names the image (required for a root filesystem); CMD is a JSON array or words.
        capstan image ls [--data-dir DIR]
            lists the images: REPOSITORY TAG IMAGE ID SIZE.
        capstan image rm [--data-dir DIR] REF...
            untags REF; deletes the image and its unshared blobs when no tag is left,
            unless a container uses it.
        capstan storage migrate --from sqlite:DIR --to etcd://HOST:PORT[,HOST:PORT...][/PREFIX] [--force] [--connect-timeout 30s]
            copies every object of a stopped server's SQLite store into etcd under the same keys
            (contents kept, resourceVersions renumbered); the source is not modified. A target
            that already holds keys is refused unless --force (keys in both are overwritten).
        capstan version
            prints the version.
      """;

  private Usage() {}
}
