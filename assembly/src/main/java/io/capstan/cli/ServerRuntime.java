package io.capstan.cli;

import io.capstan.apiserver.ApiServer;
import io.capstan.apiserver.ApiServerConfig;
import io.capstan.apiserver.storage.StorageFactory;
import io.capstan.node.runtime.RuntimeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The roles running in this process, created once from the command line (before Quarkus starts)
 * and mounted on Quarkus' router by {@link HttpMount}.
 */
final class ServerRuntime {
  private static volatile ServerRuntime current;

  private final String role;
  private final ApiServerConfig config;
  private final Path dataDir;
  private final Listen listen;
  private final java.time.Duration nodeMonitorGracePeriod;
  private final AgentRole.Settings agentRuntime;
  private final ControllersRole.NodeIpam ipam;
  private ApiServer apiServer;
  private ControllersRole controllers;
  private AgentRole agent;

  private ServerRuntime(String role, ApiServerConfig config, Path dataDir, Listen listen,
      java.time.Duration nodeMonitorGracePeriod, ControllersRole.NodeIpam ipam, AgentRole.Settings agentRuntime) {
    this.role = role;
    this.ipam = ipam;
    this.agentRuntime = agentRuntime;
    this.nodeMonitorGracePeriod = nodeMonitorGracePeriod;
    this.config = config;
    this.dataDir = dataDir;
    this.listen = listen;
  }

  /** {@code agentRuntime} is the node agent's runtime config, or {@code null} to run no agent. */
  static void configure(String role, ApiServerConfig config, Path dataDir, Listen listen,
      java.time.Duration nodeMonitorGracePeriod, ControllersRole.NodeIpam ipam, AgentRole.Settings agentRuntime) {
    current = new ServerRuntime(role, config, dataDir, listen, nodeMonitorGracePeriod, ipam, agentRuntime);
  }

  static ServerRuntime current() {
    if (current == null) {
      throw new IllegalStateException("capstan was started without a role");
    }
    return current;
  }

  /** Opens storage and builds the API server (on Quarkus start, before the port opens). */
  synchronized ApiServer apiServer() {
    if (apiServer == null) {
      apiServer = new ApiServer(StorageFactory.open(config.storage()), config).start();
    }
    return apiServer;
  }

  /** Writes the kubeconfig (server role) and prints the one line that says where we are. */
  void announce() {
    String line = "capstan " + role + " listening on " + listen.url();
    if (dataDir != null) {
      Path kubeconfig = dataDir.resolve("kubeconfig");
      try {
        Kubeconfig.write(kubeconfig, listen.url());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      line += "; kubeconfig: " + kubeconfig;
    }
    System.out.println(line);
    System.out.flush();
  }

  /**
   * {@code capstan server} runs the controllers in process, as clients of its own API (one
   * process: no leader election). The API server role runs none.
   */
  synchronized void startControllers() {
    if (!role.equals("server") || controllers != null) {
      return;
    }
    try {
      controllers = ControllersRole.start(new io.fabric8.kubernetes.client.ConfigBuilder()
          .withMasterUrl(listen.url()).build(), false, nodeMonitorGracePeriod, ipam);
    } catch (Exception e) {
      throw new IllegalStateException("controllers failed to start: " + e.getMessage(), e);
    }
    startAgent();
  }

  /**
   * {@code capstan server} also runs the node agent for this machine (node name = hostname) with the
   * native runtime over its data directory, unless {@code --node-agent false}. An agent that
   * cannot start here (not root, no usable cgroups or overlay) is reported on stderr and the server
   * runs on without it.
   */
  private void startAgent() {
    if (agentRuntime == null || agent != null) {
      return;
    }
    String node = AgentRole.hostname();
    try {
      agent = AgentRole.start(new io.fabric8.kubernetes.client.ConfigBuilder().withMasterUrl(listen.url()).build(),
          node, agentRuntime);
      System.out.println("capstan node agent running node " + node + " (graph driver "
          + agentRuntime.runtime().graphDriver()
          + ")");
    } catch (Exception e) {
      System.err.println("capstan: node agent not started: " + e.getMessage());
    }
    System.out.flush();
    System.err.flush();
  }

  private void stopAgent() {
    if (agent != null) {
      agent.close();
      agent = null;
    }
  }

  /** Stops the controllers and ends every open watch, so that shutdown need not wait for them. */
  synchronized void beginShutdown() {
    stopAgent();
    if (controllers != null) {
      controllers.close();
      controllers = null;
    }
    if (apiServer != null) {
      apiServer.closeWatches();
    }
  }

  synchronized void stop() {
    stopAgent();
    if (controllers != null) {
      controllers.close();
      controllers = null;
    }
    if (apiServer != null) {
      apiServer.close();
      apiServer = null;
    }
  }
}
