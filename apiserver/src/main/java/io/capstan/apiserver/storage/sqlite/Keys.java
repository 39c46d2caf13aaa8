package io.capstan.apiserver.storage.sqlite;

/**
 * Key-range helpers. Keys compare by code point, which is the byte order of their UTF-8 form and
 * therefore the order SQLite's BINARY collation gives TEXT columns.
 */
final class Keys {
  private Keys() {}

  /** Compares two keys by code point (= UTF-8 byte order). */
  static int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  /** The first key of the range: the larger of {@code prefix} and {@code startKey}. */
  static String rangeStart(String prefix, String startKey) {
    if (startKey == null || startKey.isEmpty()) {
      return prefix;
    }
    return compare(startKey, prefix) > 0 ? startKey : prefix;
  }

  /**
   * The smallest key greater than every key starting with {@code prefix}, or {@code null} when the
   * range has no upper bound (empty prefix).
   */
  static String prefixEnd(String prefix) {
    int[] cps = prefix.codePoints().toArray();
    for (int i = cps.length - 1; i >= 0; i--) {
      if (cps[i] < Character.MAX_CODE_POINT) {
        int next = cps[i] + 1;
        cps[i] = next == Character.MIN_SURROGATE ? Character.MAX_SURROGATE + 1 : next;
        return new String(cps, 0, i + 1);
      }
    }
    return null;
  }
}
