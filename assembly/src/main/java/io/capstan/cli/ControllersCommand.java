package io.capstan.cli;

import io.fabric8.kubernetes.client.Config;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code capstan controllers --kubeconfig F}: the controllers alone, against any capstan API
 * server, leader-elected on the Lease kube-system/capstan-controllers so that several may run.
 * Runs until SIGTERM or Ctrl-C.
 */
final class ControllersCommand {
  static final Set<String> FLAGS = Set.of("kubeconfig", "node-monitor-grace-period", "cluster-cidr",
      "node-cidr-mask-size");

  private ControllersCommand() {}

  static void run(Flags flags) throws Exception {
    String file = flags.get("kubeconfig");
    java.time.Duration grace = flags.duration("node-monitor-grace-period",
        io.capstan.controllers.nodelifecycle.NodeLifecycleReconciler.DEFAULT_GRACE_PERIOD);
    if (file == null) {
      throw new UsageException("controllers needs --kubeconfig FILE");
    }
    ControllersRole.NodeIpam ipam = ControllersRole.NodeIpam.of(flags);
    Config config = Kubeconfig.load(file);
    ConsoleLogging.install();
    ControllersRole role = ControllersRole.start(config, true, grace, ipam);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      role.close();
      stopped.countDown();
    }, "capstan-controllers-shutdown"));
    System.out.println("capstan controllers running against " + config.getMasterUrl()
        + " (leader election on kube-system/capstan-controllers)");
    System.out.flush();
    stopped.await();
  }
}
