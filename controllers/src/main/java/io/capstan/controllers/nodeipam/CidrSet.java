package io.capstan.controllers.nodeipam;

import java.util.BitSet;

/**
 * The blocks of one mask size inside the cluster CIDR (10.244.0.0/16 into /24s: 256 blocks), each
 * taken or free, as upstream's cidrset: new blocks are handed out round-robin from after the last
 * one given, so that a freed block is not reused at once. IPv4 only. Thread-safe.
 */
public final class CidrSet {
  private final long base;
  private final int clusterPrefix;
  private final int maskSize;
  private final int count;
  private final BitSet taken;
  private int next;

  /**
   * @param clusterCidr e.g. {@code 10.244.0.0/16}
   * @param maskSize the node block's mask length, e.g. 24; at most 16 bits longer than the cluster's
   * @throws IllegalArgumentException for a bad CIDR or mask size
   */
  public CidrSet(String clusterCidr, int maskSize) {
    int slash = clusterCidr.indexOf('/');
    long ip = slash < 0 ? -1 : parseIp(clusterCidr.substring(0, slash));
    int prefix;
    try {
      prefix = slash < 0 ? -1 : Integer.parseInt(clusterCidr.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (ip < 0 || prefix < 0 || prefix > 32) {
      throw new IllegalArgumentException("invalid cluster CIDR " + clusterCidr);
    }
    if (maskSize < prefix || maskSize > 32 || maskSize - prefix > 16) {
      throw new IllegalArgumentException("node CIDR mask size " + maskSize + " does not fit cluster CIDR "
          + clusterCidr + " (it must be between " + prefix + " and " + Math.min(32, prefix + 16) + ")");
    }
    long mask = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
    this.base = ip & mask;
    this.clusterPrefix = prefix;
    this.maskSize = maskSize;
    this.count = 1 << (maskSize - prefix);
    this.taken = new BitSet(count);
  }

  /** Number of blocks. */
  public int size() {
    return count;
  }

  /** Takes a free block and returns it as {@code a.b.c.d/n}, or null when all are taken. */
  public synchronized String allocateNext() {
    int hit = taken.nextClearBit(next);
    if (hit >= count) {
      hit = taken.nextClearBit(0);
      if (hit >= count) {
        return null;
      }
    }
    taken.set(hit);
    next = (hit + 1) % count;
    return block(hit);
  }

  /** Marks a block taken; false when {@code cidr} is not one of this set's blocks. */
  public synchronized boolean occupy(String cidr) {
    int i = index(cidr);
    if (i < 0) {
      return false;
    }
    taken.set(i);
    return true;
  }

  /** Frees a block (nothing when it is not one of this set's). */
  public synchronized void release(String cidr) {
    int i = index(cidr);
    if (i >= 0) {
      taken.clear(i);
    }
  }

  public synchronized boolean isTaken(String cidr) {
    int i = index(cidr);
    return i >= 0 && taken.get(i);
  }

  /** The block index of {@code cidr}, or -1 when it is not exactly one block of this set. */
  int index(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0 || !cidr.substring(slash + 1).equals(Integer.toString(maskSize))) {
      return -1;
    }
    long ip = parseIp(cidr.substring(0, slash));
    long blockSize = 1L << (32 - maskSize);
    if (ip < base || ip >= base + (1L << (32 - clusterPrefix)) || (ip - base) % blockSize != 0) {
      return -1;
    }
    return (int) ((ip - base) / blockSize);
  }

  private String block(int i) {
    long ip = base + ((long) i << (32 - maskSize));
    return ((ip >> 24) & 255) + "." + ((ip >> 16) & 255) + "." + ((ip >> 8) & 255) + "." + (ip & 255) + "/" + maskSize;
  }

  private static long parseIp(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return -1;
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
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
}
