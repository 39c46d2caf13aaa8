package io.capstan.apiserver.registry.alloc;

/**
 * An IPv4 CIDR such as 10.96.0.0/12, with the usable addresses numbered from 0 (the network and
 * broadcast addresses are never handed out, as in kube's service IP allocator).
 *
 * @param base the network address as an unsigned 32-bit number
 * @param prefix the mask length
 */
public record Ipv4Cidr(long base, int prefix) {

  /**
   * Parses {@code a.b.c.d/n}; the address is masked to its network.
   *
   * @throws IllegalArgumentException when it is not an IPv4 CIDR
   */
  public static Ipv4Cidr parse(String cidr) {
    int slash = cidr.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("invalid CIDR address: " + cidr);
    }
    long ip = parseIp(cidr.substring(0, slash));
    int prefix;
    try {
      prefix = Integer.parseInt(cidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (ip < 0 || prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("invalid CIDR address: " + cidr);
    }
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    return new Ipv4Cidr(ip & mask, prefix);
  }

  /** A dotted IPv4 address as an unsigned number, or -1 when it is not one. */
  public static long parseIp(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)
          || (p.length() > 1 && p.charAt(0) == '0')) {
        return -1;
      }
      int octet = Integer.parseInt(p);
      if (octet > 255) {
        return -1;
      }
      v = (v << 8) | octet;
    }
    return v;
  }

  public static String format(long ip) {
    return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255);
  }

  /** Number of addresses in the block. */
  public long blockSize() {
    return 1L << (32 - prefix);
  }

  public boolean contains(long ip) {
    return ip >= base && ip < base + blockSize();
  }

  /** Number of addresses that may be handed out (without network and broadcast). */
  public int usable() {
    return (int) Math.max(0, blockSize() - 2);
  }

  /** The usable address at {@code offset} (0 is the first address after the network address). */
  public String address(int offset) {
    return format(base + 1 + offset);
  }

  /** The offset of a usable address, or -1 when it is outside, the network or the broadcast address. */
  public int offset(long ip) {
    if (!contains(ip) || ip == base || ip == base + blockSize() - 1) {
      return -1;
    }
    return (int) (ip - base - 1);
  }

  @Override
  public String toString() {
    return format(base) + "/" + prefix;
  }
}
