package io.capstan.node.network;

/** An IPv4 prefix such as {@code 10.244.1.0/24}. */
record Cidr(long base, int bits) {

    static Cidr parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
        }
        try {
            int bits = Integer.parseInt(text.substring(slash + 1));
            String[] parts = text.substring(0, slash).split("\\.");
            if (parts.length != 4 || bits < 0 || bits > 32) {
                throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
            }
            long addr = 0;
            for (String p : parts) {
                int octet = Integer.parseInt(p);
                if (octet < 0 || octet > 255) {
                    throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
                }
                addr = addr << 8 | octet;
            }
            long mask = bits == 0 ? 0 : (0xffffffffL << (32 - bits)) & 0xffffffffL;
            if ((addr & ~mask & 0xffffffffL) != 0) {
                throw new IllegalArgumentException("CIDR has host bits set: " + text);
            }
            return new Cidr(addr, bits);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + text);
        }
    }

    /** The n-th address of the prefix (1 = the gateway), as dotted quad. */
    String address(long n) {
        long a = base + n;
        return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
    }

    @Override
    public String toString() {
        return address(0) + "/" + bits;
    }
}
