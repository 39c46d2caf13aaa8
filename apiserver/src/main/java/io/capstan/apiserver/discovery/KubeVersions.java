package io.capstan.apiserver.discovery;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes version priority, as upstream's {@code CompareKubeAwareVersionStrings}: GA before
 * beta before alpha, higher major then higher minor first (v2, v1, v1beta2, v1beta1, v1alpha1),
 * then versions of other shapes in lexical order.
 */
final class KubeVersions {
  private KubeVersions() {}

  private static final Pattern KUBE = Pattern.compile("^v([0-9]{1,18})(?:(alpha|beta)([0-9]{1,18}))?$");

  /** Sorts the highest-priority (preferred) version first. */
  static final Comparator<String> PRIORITY = (a, b) -> -compare(a, b);

  /** Positive when {@code a} has the higher priority, negative when {@code b} has, 0 when equal. */
  static int compare(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    Matcher ma = KUBE.matcher(a);
    Matcher mb = KUBE.matcher(b);
    boolean ka = ma.matches();
    boolean kb = mb.matches();
    if (!ka || !kb) {
      return ka ? 1 : kb ? -1 : b.compareTo(a);
    }
    int ta = stability(ma.group(2));
    int tb = stability(mb.group(2));
    if (ta != tb) {
      return Integer.compare(ta, tb);
    }
    int major = Long.compare(Long.parseLong(ma.group(1)), Long.parseLong(mb.group(1)));
    if (major != 0) {
      return major;
    }
    return ta == 2 ? 0 : Long.compare(Long.parseLong(ma.group(3)), Long.parseLong(mb.group(3)));
  }

  private static int stability(String qualifier) {
    return qualifier == null ? 2 : qualifier.equals("beta") ? 1 : 0;
  }
}
