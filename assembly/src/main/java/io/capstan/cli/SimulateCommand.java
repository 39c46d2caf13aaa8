package io.capstan.cli;

import io.capstan.controllers.simulate.SimulatedNodes;
import io.capstan.controllers.simulate.SimulationConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code capstan simulate --kubeconfig F --nodes N [--name-prefix P] [--lease-renew-interval D]}:
 * registers N simulated nodes ({@code P-0 .. P-(N-1)}, default prefix {@code sim}) and plays their
 * kubelets until SIGTERM or Ctrl-C; then their Leases stop and the nodes go NotReady.
 */
final class SimulateCommand {
  static final Set<String> FLAGS = Set.of("kubeconfig", "nodes", "name-prefix", "lease-renew-interval");
  /** A DNS-1123 subdomain prefix, leaving room for the {@code -index} suffix. */
  private static final String PREFIX = "[a-z0-9]([-a-z0-9.]{0,200}[a-z0-9])?";

  private SimulateCommand() {}

  static void run(Flags flags) throws Exception {
    String file = flags.get("kubeconfig");
    if (file == null) {
      throw new UsageException("simulate needs --kubeconfig FILE");
    }
    if (flags.get("nodes") == null) {
      throw new UsageException("simulate needs --nodes N");
    }
    int nodes = flags.integer("nodes", 0, 1, 10_000);
    String prefix = flags.get("name-prefix", "sim");
    if (!prefix.matches(PREFIX)) {
      throw new UsageException("invalid --name-prefix \"" + prefix + "\" (expected lowercase letters, digits, '-' or '.')");
    }
    SimulationConfig sim = SimulationConfig.of(prefix, nodes)
        .withLeaseRenewInterval(flags.duration("lease-renew-interval", SimulationConfig.DEFAULT_RENEW));
    Config config = Kubeconfig.load(file);
    ConsoleLogging.install();
    KubernetesClient client = new KubernetesClientBuilder().withConfig(Kubeconfig.http11(config)).build();
    SimulatedNodes running;
    try {
      running = SimulatedNodes.start(client, sim);
    } catch (Exception e) {
      client.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      client.close();
      stopped.countDown();
    }, "capstan-simulate-shutdown"));
    System.out.println("capstan simulate running " + nodes + " nodes (" + sim.nodeName(0) + " .. "
        + sim.nodeName(nodes - 1) + ") against " + config.getMasterUrl());
    System.out.flush();
    stopped.await();
  }
}
