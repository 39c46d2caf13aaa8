package io.capstan.node.proxy;

import java.util.regex.Pattern;

/** An IPv4 network in CIDR notation, such as {@code 10.96.0.0/12}; the host bits must be zero. */
public record Cidr(int address, int prefix) {
    private static final Pattern IPV4 = Pattern.compile(
            "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("bad prefix length " + prefix);
        }
        if ((address & ~mask(prefix)) != 0) {
            throw new IllegalArgumentException("host bits set in " + format(address) + "/" + prefix);
        }
    }

    /** Parses {@code a.b.c.d/n}; throws IllegalArgumentException on anything else. */
    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR: " + text);
        }
        String ip = text.substring(0, slash);
        if (!isIpv4(ip)) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
        }
        try {
            return new Cidr(toInt(ip), Integer.parseInt(text.substring(slash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR: " + text, e);
        }
    }

    /** Whether {@code text} is a dotted-quad IPv4 address without leading zeros. */
    public static boolean isIpv4(String text) {
        return text != null && IPV4.matcher(text).matches();
    }

    public boolean contains(String ip) {
        return isIpv4(ip) && (toInt(ip) & mask(prefix)) == address;
    }

    @Override
    public String toString() {
        return format(address) + "/" + prefix;
    }

    private static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    private static int toInt(String ip) {
        int value = 0;
        for (String part : ip.split("\\.")) {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    private static String format(int a) {
        return (a >>> 24) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }
}
