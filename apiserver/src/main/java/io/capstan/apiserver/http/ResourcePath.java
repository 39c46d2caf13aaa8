package io.capstan.apiserver.http;

import io.capstan.apiserver.errors.StatusErrors;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed resource URL: {@code /api/v1/...} or {@code /apis/{group}/{version}/...}, then
 * {@code [namespaces/{ns}/]{resource}[/{name}[/{subresource}]]}.
 */
record ResourcePath(String group, String version, String namespace, String resource, String name,
    String subresource) {

  /** Parses a path; null when it is a group-version root (discovery) or not an API path. */
  static ResourcePath parse(String path) {
    List<String> segs = new ArrayList<>();
    for (String s : path.split("/")) {
      if (!s.isEmpty()) {
        segs.add(decode(s));
      }
    }
    String group;
    String version;
    int i;
    if (segs.size() >= 2 && segs.get(0).equals("api")) {
      group = "";
      version = segs.get(1);
      i = 2;
    } else if (segs.size() >= 3 && segs.get(0).equals("apis")) {
      group = segs.get(1);
      version = segs.get(2);
      i = 3;
    } else {
      return null;
    }
    List<String> rest = segs.subList(i, segs.size());
    if (rest.isEmpty()) {
      return null;
    }
    if (rest.get(0).equals("namespaces") && rest.size() >= 3
        && !(rest.size() == 3 && (rest.get(2).equals("status") || rest.get(2).equals("finalize")))) {
      if (rest.size() > 5) {
        throw StatusErrors.pathNotFound();
      }
      return new ResourcePath(group, version, rest.get(1), rest.get(2), at(rest, 3), at(rest, 4));
    }
    if (rest.size() > 3) {
      throw StatusErrors.pathNotFound();
    }
    return new ResourcePath(group, version, null, rest.get(0), at(rest, 1), at(rest, 2));
  }

  private static String at(List<String> l, int i) {
    return i < l.size() ? l.get(i) : null;
  }

  private static String decode(String s) {
    return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
