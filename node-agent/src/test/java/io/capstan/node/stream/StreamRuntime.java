package io.capstan.node.stream;

import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ContainerRuntime;
import io.capstan.node.cri.ContainerSpec;
import io.capstan.node.cri.ContainerStatus;
import io.capstan.node.cri.ExecOptions;
import io.capstan.node.cri.ExecResult;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import io.capstan.node.cri.RuntimeFailure;
import io.capstan.node.cri.SandboxSpec;
import io.capstan.node.cri.SandboxStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A test-only runtime with just the streaming calls, over in-memory pipes and real loopback
 * sockets. exec commands: {@code echo ARGS} (stdout, exit 0), {@code cat} (stdin to stdout),
 * {@code err TEXT} (stderr, exit 1), {@code exit N}, {@code sleep} (until the session closes),
 * {@code nosuch} (RunContainerError). attach: input is recorded in {@link #attachInput}. port
 * forwarding connects to 127.0.0.1:port. Resizes are recorded in {@link #resizes}.
 */
final class StreamRuntime implements ContainerRuntime {
    final List<String> resizes = new CopyOnWriteArrayList<>();
    final ByteArrayOutputStream attachInput = new ByteArrayOutputStream();
    volatile boolean attachClosed;
    final java.util.concurrent.atomic.AtomicInteger execsClosed = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public ExecSession execStream(String containerId, List<String> command, ExecOptions options) throws RuntimeFailure {
        if (!containerId.equals("c1")) {
            throw new RuntimeFailure("ContainerNotFound", "container " + containerId + " not found");
        }
        if (command.get(0).equals("nosuch")) {
            throw new RuntimeFailure("RunContainerError", "exec: \"nosuch\": executable file not found in $PATH");
        }
        BytePipe stdin = new BytePipe(1 << 16, null);
        BytePipe stdout = new BytePipe(1 << 16, null);
        BytePipe stderr = new BytePipe(1 << 16, null);
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        InputStream in = stdin.input();
        Thread t = new Thread(() -> {
            int code = 0;
            try {
                String args = String.join(" ", command.subList(1, command.size()));
                switch (command.get(0)) {
                    case "echo" -> write(stdout, args + "\n");
                    case "err" -> {
                        write(stderr, args + "\n");
                        code = 1;
                    }
                    case "exit" -> code = Integer.parseInt(args);
                    case "cat" -> {
                        byte[] buf = new byte[8192];
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            stdout.write(buf, 0, n);
                        }
                    }
                    case "sleep" -> code = exit.join();
                    default -> code = 127;
                }
            } catch (IOException e) {
                code = 1;
            }
            stdout.close();
            stderr.close();
            exit.complete(code);
        }, "test-exec");
        t.setDaemon(true);
        t.start();
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return options.stdin() ? pipeOutput(stdin) : null;
            }

            @Override
            public InputStream stdout() {
                return stdout.input();
            }

            @Override
            public InputStream stderr() {
                return stderr.input();
            }

            @Override
            public void resize(int columns, int rows) {
                resizes.add(columns + "x" + rows);
            }

            @Override
            public int waitFor() {
                return exit.join();
            }

            @Override
            public void close() {
                if (exit.complete(137)) {
                    execsClosed.incrementAndGet(); // killed while it still ran
                }
                stdin.close();
                stdout.close();
                stderr.close();
            }
        };
    }

    @Override
    public ContainerInput attach(String containerId) throws RuntimeFailure {
        if (!containerId.equals("c1")) {
            throw new RuntimeFailure("NoStdin", "container " + containerId + " was not started with stdin");
        }
        return new ContainerInput() {
            @Override
            public OutputStream stdin() {
                return new OutputStream() {
                    @Override
                    public void write(int b) {
                        synchronized (attachInput) {
                            attachInput.write(b);
                        }
                    }
                };
            }

            @Override
            public void resize(int columns, int rows) {
                resizes.add(columns + "x" + rows);
            }

            @Override
            public void close() {
                attachClosed = true;
            }
        };
    }

    String attachInput() {
        synchronized (attachInput) {
            return attachInput.toString(StandardCharsets.UTF_8);
        }
    }

    @Override
    public PodConnection portForward(String podUid, int port) throws RuntimeFailure {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
        } catch (ConnectException e) {
            throw new RuntimeFailure("PortForwardError", "dial tcp4 127.0.0.1:" + port + ": connect: connection refused");
        } catch (IOException e) {
            throw new RuntimeFailure("PortForwardError", e.getMessage());
        }
        return new PodConnection() {
            @Override
            public InputStream input() {
                try {
                    return s.getInputStream();
                } catch (IOException e) {
                    return InputStream.nullInputStream();
                }
            }

            @Override
            public OutputStream output() {
                try {
                    OutputStream o = s.getOutputStream();
                    return new java.io.FilterOutputStream(o) {
                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            o.write(b, off, len);
                        }

                        @Override
                        public void close() throws IOException {
                            s.shutdownOutput();
                        }
                    };
                } catch (IOException e) {
                    return OutputStream.nullOutputStream();
                }
            }

            @Override
            public void close() {
                Streams.closeQuietly(s);
            }
        };
    }

    private static void write(BytePipe p, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        p.write(b, 0, b.length);
    }

    private static OutputStream pipeOutput(BytePipe p) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                p.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                p.write(b, off, len);
            }

            @Override
            public void close() {
                p.close();
            }
        };
    }

    // ---- not used by the streaming tests ------------------------------------------------------------

    @Override
    public SandboxStatus runSandbox(SandboxSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void removeSandbox(String podUid) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<SandboxStatus> listSandboxes() {
        return List.of();
    }

    @Override
    public ContainerStatus startContainer(ContainerSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ContainerStatus stopContainer(String containerId, Duration gracePeriod) {
        return null;
    }

    @Override
    public void removeContainer(String containerId) {}

    @Override
    public List<ContainerStatus> listContainers() {
        return List.of();
    }

    @Override
    public Optional<ContainerStatus> containerStatus(String containerId) {
        return Optional.empty();
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Duration timeout) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void addExitListener(ExitListener listener) {}

    @Override
    public void removeExitListener(ExitListener listener) {}

    @Override
    public void close() {}
}
