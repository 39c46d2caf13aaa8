package io.capstan.apiserver;

/**
 * The API server's configuration root, with its defaults in {@link #defaults()}.
 *
 * @param host address to listen on (loopback by default: no TLS or authentication yet)
 * @param port port to listen on, 0 for any free one
 * @param storage storage URL, e.g. {@code sqlite:/var/lib/capstan}
 * @param maxBodyBytes the largest request body accepted (413 above), 3 MiB as kube-apiserver
 * @param watchTimeoutSeconds watches without timeoutSeconds last between this and twice this,
 *     as kube-apiserver's min-request-timeout (1800 s)
 * @param bookmarkSeconds interval of BOOKMARK events for watches that allow them
 * @param serviceClusterIpRange the CIDR Service ClusterIPs come from ({@code --service-cluster-ip-range})
 * @param serviceNodePortRange the NodePort range, {@code MIN-MAX} ({@code --service-node-port-range})
 * @param nodeSecretsDir the directory of the per-node secrets shared with the node agents
 *     ({@code --node-secrets-dir}), or {@code null}: then pods/log, exec, attach and portforward are
 *     not served
 */
public record ApiServerConfig(String host, int port, String storage, long maxBodyBytes, long watchTimeoutSeconds,
    long bookmarkSeconds, String serviceClusterIpRange, String serviceNodePortRange, String nodeSecretsDir) {

  public static final long DEFAULT_MAX_BODY = 3L * 1024 * 1024;
  public static final String DEFAULT_SERVICE_CLUSTER_IP_RANGE = "10.96.0.0/12";
  public static final String DEFAULT_SERVICE_NODE_PORT_RANGE = "30000-32767";

  public static ApiServerConfig defaults(String storage) {
    return new ApiServerConfig("127.0.0.1", 6443, storage, DEFAULT_MAX_BODY, 1800, 60,
        DEFAULT_SERVICE_CLUSTER_IP_RANGE, DEFAULT_SERVICE_NODE_PORT_RANGE, null);
  }

  public ApiServerConfig withListen(String host, int port) {
    return new ApiServerConfig(host, port, storage, maxBodyBytes, watchTimeoutSeconds, bookmarkSeconds,
        serviceClusterIpRange, serviceNodePortRange, nodeSecretsDir);
  }

  /** The same with other Service ranges (a CIDR and a {@code MIN-MAX} port range). */
  public ApiServerConfig withServiceRanges(String clusterIpRange, String nodePortRange) {
    return new ApiServerConfig(host, port, storage, maxBodyBytes, watchTimeoutSeconds, bookmarkSeconds,
        clusterIpRange, nodePortRange, nodeSecretsDir);
  }

  /** The same with the node agents' secrets in {@code dir} (pods/log, exec, attach, portforward served). */
  public ApiServerConfig withNodeSecretsDir(String dir) {
    return new ApiServerConfig(host, port, storage, maxBodyBytes, watchTimeoutSeconds, bookmarkSeconds,
        serviceClusterIpRange, serviceNodePortRange, dir);
  }
}
