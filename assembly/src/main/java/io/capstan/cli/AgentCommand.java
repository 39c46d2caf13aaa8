package io.capstan.cli;

import io.capstan.node.agent.api.KubeletApi;
import io.capstan.node.agent.net.NetworkOptions;
import io.capstan.node.agent.net.NodeNetworking;
import io.capstan.node.graph.GraphDrivers;
import io.capstan.node.runtime.RuntimeConfig;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code capstan agent --kubeconfig F [--node-name N] [--data-dir D] [--graph-driver overlay|vfs]
 * [--cgroup-root R] [--kubelet-port P] [--node-secrets-dir S]}:
 * the node agent alone, running this machine's pods with the native runtime against any capstan
 * API server. Runs until SIGTERM or Ctrl-C; its containers keep running and are adopted by the
 * next agent on the same data directory.
 */
final class AgentCommand {
  static final Set<String> FLAGS = Set.of("kubeconfig", "node-name", "data-dir", "graph-driver", "cgroup-root",
      "pod-cidr", "cluster-dns", "cluster-domain", "host-gw-routes", "pod-network", "kubelet-port",
      "node-secrets-dir");
  static final Set<String> CLEANUP_FLAGS = Set.of("data-dir");
  static final String DEFAULT_DATA_DIR = "/var/lib/capstan";

  private AgentCommand() {}

  static void run(Flags flags) throws Exception {
    String file = flags.get("kubeconfig");
    if (file == null) {
      throw new UsageException("agent needs --kubeconfig FILE");
    }
    Config config = Kubeconfig.load(file);
    RuntimeConfig runtime = runtimeConfig(flags, Path.of(flags.get("data-dir", DEFAULT_DATA_DIR)).toAbsolutePath());
    KubeletApi.Options api = apiOptions(flags, Path.of(flags.get("node-secrets-dir",
        runtime.dataDir().resolve("node-secrets").toString())).toAbsolutePath());
    String nodeName = flags.get("node-name", AgentRole.hostname());
    ConsoleLogging.install();
    AgentRole role = AgentRole.start(config, nodeName,
        new AgentRole.Settings(runtime, networkOptions(flags), api));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      role.close();
      stopped.countDown();
    }, "capstan-agent-shutdown"));
    System.out.println("capstan agent running node " + nodeName + " against " + config.getMasterUrl()
        + " (data dir " + runtime.dataDir() + ", graph driver " + runtime.graphDriver() + ")");
    System.out.flush();
    stopped.await();
  }

  /**
   * The pod networking of the {@code --pod-cidr} (used while the Node has no spec.podCIDR, which the
   * node IPAM controller sets; none by default), {@code --cluster-dns} (comma-separated; default
   * 10.96.0.10; empty for no cluster DNS) and {@code --cluster-domain} (cluster.local) flags, with
   * kubelet's names, and {@code --host-gw-routes true} (routes to other nodes' podCIDRs; off by default).
   */
  static NetworkOptions networkOptions(Flags flags) {
    NetworkOptions o = NetworkOptions.defaults();
    String cidr = flags.get("pod-cidr");
    if (cidr != null) {
      try {
        io.capstan.node.network.NetworkConfig.defaults(Path.of("/"), cidr);
      } catch (IllegalArgumentException e) {
        throw new UsageException("invalid --pod-cidr \"" + cidr + "\": " + e.getMessage());
      }
    }
    o = o.withPodCidr(cidr).withClusterDomain(flags.get("cluster-domain", o.clusterDomain()));
    String hostGw = flags.get("host-gw-routes", "false");
    if (!hostGw.equals("true") && !hostGw.equals("false")) {
      throw new UsageException("--host-gw-routes must be true or false, not \"" + hostGw + "\"");
    }
    o = o.withHostGwRoutes(hostGw.equals("true"));
    try {
      o = o.withPodNetwork(io.capstan.node.network.NetworkConfig.Mode.of(flags.get("pod-network", "capstan-bridge")));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--pod-network must be capstan-bridge or cni, not \"" + flags.get("pod-network") + "\"");
    }
    String dns = flags.get("cluster-dns");
    if (dns != null) {
      List<String> addresses = dns.isBlank() ? List.of() : List.of(dns.split(",")).stream().map(String::trim).toList();
      try {
        o = o.withClusterDns(addresses);
      } catch (IllegalArgumentException e) {
        throw new UsageException("invalid --cluster-dns \"" + dns + "\": " + e.getMessage());
      }
    }
    return o;
  }

  /**
   * The agent API of the {@code --kubelet-port} flag (default 10250; 0 for any free port) with the
   * node secrets in {@code secretsDir}.
   */
  static KubeletApi.Options apiOptions(Flags flags, Path secretsDir) {
    String p = flags.get("kubelet-port", Integer.toString(KubeletApi.Options.DEFAULT_PORT));
    int port;
    try {
      port = Integer.parseInt(p);
    } catch (NumberFormatException e) {
      port = -1;
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("invalid --kubelet-port \"" + p + "\" (0-65535; 0 for any free port)");
    }
    return new KubeletApi.Options(port, secretsDir);
  }

  /**
   * {@code capstan agent cleanup [--data-dir D]}: removes what the node's pod networking left with
   * no agent running: every pod's network, the bridge, the safety routes, the IPAM state and the
   * {@code capstan-dns} interface.
   */
  static void cleanup(Flags flags) throws Exception {
    Path dataDir = Path.of(flags.get("data-dir", DEFAULT_DATA_DIR)).toAbsolutePath();
    NodeNetworking.cleanup(NetworkOptions.defaults(), dataDir);
    System.out.println("capstan agent: removed the pod network of " + dataDir);
  }

  /** The runtime config of the {@code --data-dir}, {@code --graph-driver} and {@code --cgroup-root} flags. */
  static RuntimeConfig runtimeConfig(Flags flags, Path dataDir) {
    String driver = flags.get("graph-driver", GraphDrivers.DEFAULT);
    if (!GraphDrivers.NAMES.contains(driver)) {
      throw new UsageException("unknown --graph-driver \"" + driver + "\" (overlay or vfs)");
    }
    String cgroupRoot = flags.get("cgroup-root", "capstan");
    if (cgroupRoot.isBlank()
        || List.of(cgroupRoot.split("/")).stream().anyMatch(s -> s.equals("..") || s.equals("."))) {
      throw new UsageException("invalid --cgroup-root \"" + cgroupRoot + "\"");
    }
    return RuntimeConfig.defaults(dataDir).withGraphDriver(driver).withCgroupRoot(cgroupRoot);
  }
}
