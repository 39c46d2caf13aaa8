package io.capstan.node.image;

import java.io.IOException;

/** No image in the store matches the reference. */
public class NoSuchImageException extends IOException {
    public NoSuchImageException(String message) {
        super(message);
    }
}
