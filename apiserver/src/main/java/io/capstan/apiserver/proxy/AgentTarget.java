package io.capstan.apiserver.proxy;

/**
 * Where one proxied request goes: the node agent of {@code node} on 127.0.0.1:{@code port},
 * authenticated with {@code secret}, at {@code pathAndQuery} (an agent API path such as
 * {@code /exec/ns/pod/c?command=sh&stdout=true}).
 */
record AgentTarget(String node, int port, String secret, String pathAndQuery) {}
