package io.capstan.cli;

/** A {@code HOST:PORT} listen address. */
record Listen(String host, int port) {
  static Listen parse(String s) {
    int colon = s.lastIndexOf(':');
    if (colon <= 0) {
      throw new UsageException("--listen must be HOST:PORT, got \"" + s + "\"");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    try {
      int port = Integer.parseInt(s.substring(colon + 1));
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return new Listen(host, port);
    } catch (NumberFormatException e) {
      throw new UsageException("--listen port must be 1-65535, got \"" + s.substring(colon + 1) + "\"");
    }
  }

  String url() {
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
