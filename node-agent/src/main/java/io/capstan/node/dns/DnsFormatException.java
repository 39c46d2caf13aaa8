package io.capstan.node.dns;

/** A message that is not valid DNS wire format (answered with FORMERR when its header could be read). */
public final class DnsFormatException extends RuntimeException {
    public DnsFormatException(String message) {
        super(message);
    }
}
