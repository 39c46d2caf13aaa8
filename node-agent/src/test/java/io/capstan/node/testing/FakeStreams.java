package io.capstan.node.testing;

import io.capstan.node.cri.ContainerInput;
import io.capstan.node.cri.ExecSession;
import io.capstan.node.cri.PodConnection;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The fake runtime's streams. An exec interprets its command: {@code cat} echoes stdin to stdout
 * and exits 0 at stdin EOF; {@code echo ARGS} prints them; {@code tty} prints {@code /dev/pts/0}
 * with a tty and "not a tty" (exit 1) without; {@code sh -c "exit N"}, {@code true} and
 * {@code false} exit with their code; anything else exits 0 silently. A port forward reaches an
 * echo server: a running container of the pod whose command is {@code nc -l[l] -p PORT ...}.
 */
final class FakeStreams {
    private FakeStreams() {
    }

    static ExecSession exec(List<String> command, boolean stdin, boolean tty) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        FakePipe out = new FakePipe(p -> exit.complete(0));
        FakePipe err = new FakePipe();
        err.closeSink();
        String cmd = command.get(0);
        OutputStream in = null;
        if (cmd.equals("cat")) {
            in = stdin ? out.sink() : null;
            if (!stdin) {
                out.closeSink();
            }
        } else {
            FakePipe discard = new FakePipe();
            in = stdin ? discard.sink() : null;
            int code = 0;
            if (cmd.equals("echo")) {
                String line = String.join(" ", command.subList(1, command.size())) + "\n";
                out.offer(line.getBytes(StandardCharsets.UTF_8));
            } else if (cmd.equals("tty")) {
                out.offer((tty ? "/dev/pts/0\n" : "not a tty\n").getBytes(StandardCharsets.UTF_8));
                code = tty ? 0 : 1;
            } else if (command.equals(List.of("false"))) {
                code = 1;
            } else if (command.size() == 3 && cmd.endsWith("sh") && command.get(2).matches("exit \\d+")) {
                code = Integer.parseInt(command.get(2).substring(5));
            }
            exit.complete(code);
            out.closeSink();
        }
        OutputStream stdinStream = in;
        return new ExecSession() {
            @Override
            public OutputStream stdin() {
                return stdinStream;
            }

            @Override
            public InputStream stdout() {
                return out.source();
            }

            @Override
            public InputStream stderr() {
                return err.source();
            }

            @Override
            public void resize(int columns, int rows) {
            }

            @Override
            public int waitFor() throws InterruptedException {
                try {
                    return exit.get();
                } catch (ExecutionException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void close() {
                exit.complete(137);
                out.closeSink();
                out.closeSource();
            }
        };
    }

    /** Whether {@code argv} is {@code nc -l[l] -p PORT ...} listening on {@code port}. */
    static boolean listens(List<String> argv, int port) {
        int p = argv.indexOf("-p");
        return !argv.isEmpty() && argv.get(0).equals("nc") && (argv.contains("-l") || argv.contains("-ll"))
                && p > 0 && p + 1 < argv.size() && argv.get(p + 1).equals(Integer.toString(port));
    }

    /** A connection to an echo server: what is written comes back; closing the output ends the input. */
    static PodConnection echo() {
        FakePipe pipe = new FakePipe();
        return new PodConnection() {
            @Override
            public InputStream input() {
                return pipe.source();
            }

            @Override
            public OutputStream output() {
                return pipe.sink();
            }

            @Override
            public void close() {
                pipe.closeSink();
                pipe.closeSource();
            }
        };
    }

    /** The input of an attached container: writes are kept in {@code written}; resizes too. */
    static ContainerInput input(boolean stdin, ByteArrayOutputStream written, List<String> resizes) {
        OutputStream out = !stdin ? null : new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (written) {
                    written.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (written) {
                    written.write(b, off, len);
                }
            }
        };
        return new ContainerInput() {
            @Override
            public OutputStream stdin() {
                return out;
            }

            @Override
            public void resize(int columns, int rows) {
                resizes.add(columns + "x" + rows);
            }

            @Override
            public void close() {
            }
        };
    }
}
