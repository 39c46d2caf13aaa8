package io.capstan.cli;

import io.capstan.node.graph.GraphDrivers;
import io.capstan.node.runtime.RuntimeConfig;
import io.fabric8.kubernetes.client.Config;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code capstan agent --kubeconfig F [--node-name N] [--data-dir D] [--graph-driver overlay|vfs]
 * [--cgroup-root R]}:
 * the node agent alone, running this machine's pods with the native runtime against any capstan
 * API server. Runs until SIGTERM or Ctrl-C; its containers keep running and are adopted by the
 * next agent on the same data directory.
 */
final class AgentCommand {
  static final Set<String> FLAGS = Set.of("kubeconfig", "node-name", "data-dir", "graph-driver", "cgroup-root");
  static final String DEFAULT_DATA_DIR = "/var/lib/capstan";

  private AgentCommand() {}

  static void run(Flags flags) throws Exception {
    String file = flags.get("kubeconfig");
    if (file == null) {
      throw new UsageException("agent needs --kubeconfig FILE");
    }
    Config config = Kubeconfig.load(file);
    RuntimeConfig runtime = runtimeConfig(flags, Path.of(flags.get("data-dir", DEFAULT_DATA_DIR)).toAbsolutePath());
    String nodeName = flags.get("node-name", AgentRole.hostname());
    ConsoleLogging.install();
    AgentRole role = AgentRole.start(config, nodeName, runtime);
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
