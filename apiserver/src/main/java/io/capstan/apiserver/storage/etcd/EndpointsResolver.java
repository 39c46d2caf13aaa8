package io.capstan.apiserver.storage.etcd;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;

/**
 * Gives gRPC the fixed list of etcd members from the storage URL; the channel's default
 * {@code pick_first} policy then uses the first reachable member and fails over to the next.
 */
final class EndpointsResolver extends NameResolver.Factory {
  private final List<String> endpoints;

  EndpointsResolver(List<String> endpoints) {
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
    return new NameResolver() {
      @Override
      public String getServiceAuthority() {
        return endpoints.get(0);
      }

      @Override
      public void start(Listener2 listener) {
        List<EquivalentAddressGroup> groups = endpoints.stream().map(e -> {
          int colon = e.lastIndexOf(':');
          String host = e.substring(0, colon);
          if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
          }
          return new EquivalentAddressGroup(
              new InetSocketAddress(host, Integer.parseInt(e.substring(colon + 1))));
        }).toList();
        listener.onResult(ResolutionResult.newBuilder().setAddresses(groups).build());
      }

      @Override
      public void refresh() {
        // the list is fixed
      }

      @Override
      public void shutdown() {}
    };
  }

  @Override
  public String getDefaultScheme() {
    return "capstan-etcd";
  }
}
