package io.capstan.node.proxy;

/** nft could not be run or refused a script; the message carries nft's own error text. */
public final class NftException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NftException(String message, Throwable cause) {
        super(message, cause);
    }
}
