package io.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Service range and cluster CIDR flags: defaults, and one-line refusals of bad values. */
class NetworkFlagsTest {

  @Test
  void nodeIpamFlags() {
    ControllersRole.NodeIpam d = ControllersRole.NodeIpam.of(Flags.parse(new String[0], ControllersCommand.FLAGS));
    assertEquals(new ControllersRole.NodeIpam("10.244.0.0/16", 24), d);
    ControllersRole.NodeIpam custom = ControllersRole.NodeIpam.of(Flags.parse(
        new String[] {"--cluster-cidr", "10.200.0.0/16", "--node-cidr-mask-size", "26"}, ControllersCommand.FLAGS));
    assertEquals(new ControllersRole.NodeIpam("10.200.0.0/16", 26), custom);
    UsageException bad = assertThrows(UsageException.class, () -> ControllersRole.NodeIpam.of(Flags.parse(
        new String[] {"--node-cidr-mask-size", "x"}, ControllersCommand.FLAGS)));
    assertTrue(bad.getMessage().contains("--node-cidr-mask-size"), bad.getMessage());
    assertThrows(UsageException.class, () -> ControllersRole.NodeIpam.of(Flags.parse(
        new String[] {"--cluster-cidr", "10.0.0.0/8", "--node-cidr-mask-size", "30"}, ControllersCommand.FLAGS)));
  }

  @Test
  void serviceRangeFlagsAreCheckedBeforeStart() {
    UsageException e = assertThrows(UsageException.class, () -> ServerCommand.prepare("apiserver", Flags.parse(
        new String[] {"--storage", "sqlite:/tmp/unused", "--service-cluster-ip-range", "10.0.0.0/8"}, ServerCommand.FLAGS)));
    assertTrue(e.getMessage().contains("too large"), e.getMessage());
    UsageException ipam = assertThrows(UsageException.class, () -> ServerCommand.prepare("apiserver", Flags.parse(
        new String[] {"--storage", "sqlite:/tmp/unused", "--cluster-cidr", "10.1.0.0/16"}, ServerCommand.FLAGS)));
    assertEquals("apiserver runs no controllers: --cluster-cidr is for server", ipam.getMessage());
  }

  @Test
  void podNetworkFlag() {
    assertEquals(io.capstan.node.network.NetworkConfig.Mode.CAPSTAN_BRIDGE,
        AgentCommand.networkOptions(Flags.parse(new String[0], AgentCommand.FLAGS)).podNetwork());
    assertEquals(io.capstan.node.network.NetworkConfig.Mode.CNI, AgentCommand.networkOptions(Flags.parse(
        new String[] {"--pod-network", "cni"}, AgentCommand.FLAGS)).podNetwork());
    UsageException bad = assertThrows(UsageException.class, () -> AgentCommand.networkOptions(Flags.parse(
        new String[] {"--pod-network", "flannel"}, AgentCommand.FLAGS)));
    assertEquals("--pod-network must be capstan-bridge or cni, not \"flannel\"", bad.getMessage());
  }
}
