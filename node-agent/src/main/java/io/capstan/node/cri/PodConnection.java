package io.capstan.node.cri;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * A TCP connection to a port on localhost inside a pod's network namespace
 * ({@code kubectl port-forward}). Closing it closes the connection; safe to call more than once.
 */
public interface PodConnection extends AutoCloseable {

    /** Bytes from the pod's side. */
    InputStream input();

    /** Bytes to the pod's side; closing it half-closes the connection. */
    OutputStream output();

    @Override
    void close();
}
