package io.capstan.cli;

import io.capstan.apiserver.ApiServerConfig;
import io.capstan.apiserver.storage.etcd.EtcdStorageConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code capstan server} and {@code capstan apiserver}: checks flags and the data directory
 * before Quarkus starts, so that a bad invocation is one clear line, and hands the typed config
 * to {@link ServerRuntime}.
 */
final class ServerCommand {
  static final Set<String> FLAGS = Set.of("data-dir", "listen", "storage", "node-monitor-grace-period", "node-agent",
      "graph-driver", "cgroup-root", "service-cluster-ip-range", "service-node-port-range", "cluster-cidr",
      "node-cidr-mask-size", "pod-cidr", "cluster-dns", "cluster-domain", "host-gw-routes", "kubelet-port",
      "node-secrets-dir", "pod-network");

  private ServerCommand() {}

  static void prepare(String role, Flags flags) {
    Listen listen = Listen.parse(flags.get("listen", "127.0.0.1:6443"));
    java.time.Duration grace = flags.duration("node-monitor-grace-period",
        io.capstan.controllers.nodelifecycle.NodeLifecycleReconciler.DEFAULT_GRACE_PERIOD);
    for (String controllersOnly : java.util.List.of("node-monitor-grace-period", "cluster-cidr", "node-cidr-mask-size")) {
      if (role.equals("apiserver") && flags.get(controllersOnly) != null) {
        throw new UsageException("apiserver runs no controllers: --" + controllersOnly + " is for server");
      }
    }
    ControllersRole.NodeIpam ipam = ControllersRole.NodeIpam.of(flags);
    String serviceRange = flags.get("service-cluster-ip-range", ApiServerConfig.DEFAULT_SERVICE_CLUSTER_IP_RANGE);
    String nodePorts = flags.get("service-node-port-range", ApiServerConfig.DEFAULT_SERVICE_NODE_PORT_RANGE);
    try {
      io.capstan.apiserver.registry.alloc.Ranges.parse(serviceRange, nodePorts);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (role.equals("apiserver") && (flags.get("node-agent") != null || flags.get("graph-driver") != null
        || flags.get("cgroup-root") != null || flags.get("pod-cidr") != null || flags.get("cluster-dns") != null
        || flags.get("cluster-domain") != null || flags.get("host-gw-routes") != null
        || flags.get("kubelet-port") != null || flags.get("pod-network") != null)) {
      throw new UsageException("apiserver runs no node agent: --node-agent, --graph-driver, --cgroup-root,"
          + " --pod-cidr, --cluster-dns, --cluster-domain, --host-gw-routes, --kubelet-port and --pod-network are for"
          + " server");
    }
    if (role.equals("server") && flags.get("node-secrets-dir") != null) {
      throw new UsageException("server keeps the node secrets in DIR/node-secrets: --node-secrets-dir is for"
          + " apiserver and agent");
    }
    String nodeAgent = flags.get("node-agent", "true");
    if (!nodeAgent.equals("true") && !nodeAgent.equals("false")) {
      throw new UsageException("--node-agent must be true or false, not \"" + nodeAgent + "\"");
    }
    Path dataDir;
    String storage;
    if (role.equals("server")) {
      String dir = flags.get("data-dir");
      if (dir == null) {
        throw new UsageException("server needs --data-dir DIR");
      }
      dataDir = Path.of(dir).toAbsolutePath();
      storage = flags.get("storage", "sqlite:" + dataDir);
    } else {
      storage = flags.get("storage");
      if (storage == null) {
        throw new UsageException("apiserver needs --storage sqlite:DIR or --storage etcd://HOST:PORT[,HOST:PORT...]");
      }
      dataDir = null;
    }
    if (storage.startsWith("sqlite:")) {
      ensureWritableDir(Path.of(storage.substring("sqlite:".length())).toAbsolutePath());
    } else if (storage.startsWith("etcd://")) {
      try {
        EtcdStorageConfig.parse(storage);
      } catch (IllegalArgumentException e) {
        throw new UsageException("invalid --storage \"" + storage + "\": " + e.getMessage());
      }
    } else {
      throw new UsageException("unsupported --storage \"" + storage + "\" (expected sqlite:DIR or etcd://HOST:PORT[,HOST:PORT...])");
    }
    if (dataDir != null) {
      ensureWritableDir(dataDir);
    }
    // the API server and the node agents share the per-node secrets (DIR/node-secrets for server)
    Path secrets = dataDir != null ? dataDir.resolve("node-secrets")
        : flags.get("node-secrets-dir") == null ? null : Path.of(flags.get("node-secrets-dir")).toAbsolutePath();
    ApiServerConfig config = ApiServerConfig.defaults(storage).withListen(listen.host(), listen.port())
        .withServiceRanges(serviceRange, nodePorts).withNodeSecretsDir(secrets == null ? null : secrets.toString());
    // the agent's safety routes cover the ranges this server hands out
    AgentRole.Settings agent = role.equals("server") && nodeAgent.equals("true")
        ? new AgentRole.Settings(AgentCommand.runtimeConfig(flags, dataDir),
            AgentCommand.networkOptions(flags).withCidrs(ipam.clusterCidr(), serviceRange),
            AgentCommand.apiOptions(flags, secrets)) : null;
    ServerRuntime.configure(role, config, dataDir, listen, grace, ipam, agent);
    System.setProperty("quarkus.http.host", listen.host());
    System.setProperty("quarkus.http.port", Integer.toString(listen.port()));
  }

  private static void ensureWritableDir(Path dir) {
    try {
      Files.createDirectories(dir);
    } catch (java.nio.file.FileSystemException e) {
      String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
      throw new UsageException("cannot create data directory " + dir + ": " + why);
    } catch (IOException e) {
      throw new UsageException("cannot create data directory " + dir + ": " + e.getMessage());
    }
    if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new UsageException("data directory " + dir + " is not a writable directory");
    }
  }
}
