package io.capstan.cli;

import io.capstan.node.agent.AgentConfig;
import io.capstan.node.agent.NodeAgent;
import io.capstan.node.agent.api.KubeletApi;
import io.capstan.node.agent.net.NetworkOptions;
import io.capstan.node.agent.net.NodeNetworking;
import io.capstan.node.runtime.NativeContainerRuntime;
import io.capstan.node.runtime.RuntimeConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The node agent role: the native container runtime over the data directory and a {@link NodeAgent}
 * for this machine, as a client of the API (also inside {@code capstan server}). Closing stops the
 * agent's threads and the runtime's; containers keep running and a new agent adopts them.
 */
final class AgentRole implements AutoCloseable {
  private final KubernetesClient client;
  private final NativeContainerRuntime runtime;
  private final NodeAgent agent;

  private AgentRole(KubernetesClient client, NativeContainerRuntime runtime, NodeAgent agent) {
    this.client = client;
    this.runtime = runtime;
    this.agent = agent;
  }

  /**
   * The agent's settings from the command line: its runtime, its pod networking and its API (port
   * and node secrets directory).
   */
  record Settings(RuntimeConfig runtime, NetworkOptions network, KubeletApi.Options api) {}

  /** Opens the runtime and starts the agent for node {@code nodeName}; undoes both on failure. */
  static AgentRole start(Config config, String nodeName, Settings settings) throws Exception {
    RuntimeConfig runtimeConfig = settings.runtime();
    NativeContainerRuntime runtime = NativeContainerRuntime.open(runtimeConfig);
    KubernetesClient client = null;
    try {
      client = new KubernetesClientBuilder().withConfig(Kubeconfig.http11(config)).build();
      NodeNetworking network = new NodeNetworking(settings.network(), runtimeConfig.dataDir(), client, nodeName);
      NodeAgent agent = new NodeAgent(AgentConfig.defaults(nodeName, runtimeConfig.dataDir()), client, runtime,
          runtime.images(), java.time.Clock.systemUTC(), network, settings.api());
      agent.start();
      return new AgentRole(client, runtime, agent);
    } catch (Exception | Error e) {
      runtime.close();
      if (client != null) {
        client.close();
      }
      throw e;
    }
  }

  /** This machine's node name, as kubelet takes it: the hostname in lowercase. */
  static String hostname() {
    try {
      return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim().toLowerCase(Locale.ROOT);
    } catch (IOException e) {
      try {
        return java.net.InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
      } catch (java.net.UnknownHostException u) {
        throw new UsageException("cannot tell this machine's hostname; give --node-name");
      }
    }
  }

  @Override
  public void close() {
    agent.close();
    runtime.close();
    client.close();
  }
}
