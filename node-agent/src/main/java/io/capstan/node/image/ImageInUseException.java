package io.capstan.node.image;

import java.io.IOException;

/** Removing the image would delete it while a container still uses it. */
public class ImageInUseException extends IOException {
    public ImageInUseException(String message) {
        super(message);
    }
}
