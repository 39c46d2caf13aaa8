package io.capstan.node.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literals to bytes and back, and reverse-lookup names, without ever resolving a host name. */
final class Addresses {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private Addresses() {}

    /** The bytes of IPv4 or IPv6 literal {@code ip}, or empty when it is not one. */
    static Optional<byte[]> parse(String ip) {
        if (ip == null || ip.isEmpty()) {
            return Optional.empty();
        }
        var m = IPV4.matcher(ip);
        if (m.matches()) {
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(m.group(i + 1));
                if (v > 255) {
                    return Optional.empty();
                }
                b[i] = (byte) v;
            }
            return Optional.of(b);
        }
        if (ip.indexOf(':') >= 0 && ip.matches("[0-9a-fA-F:.]+")) {
            try {
                return Optional.of(InetAddress.getByName(ip).getAddress());
            } catch (UnknownHostException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    static String format(byte[] address) {
        try {
            return InetAddress.getByAddress(address).getHostAddress();
        } catch (UnknownHostException e) {
            return "?";
        }
    }

    /** The in-addr.arpa / ip6.arpa name of {@code address}. */
    static String reverseName(byte[] address) {
        StringBuilder sb = new StringBuilder();
        if (address.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(address[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = address.length - 1; i >= 0; i--) {
            sb.append(Character.forDigit(address[i] & 0xf, 16)).append('.');
            sb.append(Character.forDigit((address[i] >> 4) & 0xf, 16)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    /** The "dashed" label CoreDNS gives an address: 10-244-1-5, or for IPv6 the colons as dashes. */
    static String dashed(String ip) {
        return ip.replace('.', '-').replace(':', '-');
    }
}
