package io.capstan.node.image;

import java.io.IOException;

/** An archive or blob that is not a usable image; the message says what is wrong in one line. */
public class InvalidImageException extends IOException {
    public InvalidImageException(String message) {
        super(message);
    }
}
