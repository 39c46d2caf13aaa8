package io.capstan.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The {@code capstan} binary: reads the role from the first argument, checks the flags, and
 * either runs a one-shot command or starts Quarkus with the role's server. Every bad invocation
 * prints one line and exits 2.
 */
@QuarkusMain
public final class CapstanMain implements QuarkusApplication {
  private static final String LAUNCH_MECHANISM = "jdk.lang.Process.launchMechanism";

  public static void main(String... args) {
    // Processes start with one exec instead of two (the default, posix_spawn, first runs the JDK's
    // jspawnhelper): the agent starts shims and network helpers on every pod start, 1.9 -> 1.0 ms
    // each on the 2-core test machine. Set before any process is started; a -D given wins.
    if (System.getProperty(LAUNCH_MECHANISM) == null) {
      System.setProperty(LAUNCH_MECHANISM, "VFORK");
    }
    String command = args.length == 0 ? "help" : args[0];
    String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    try {
      switch (command) {
        case "server", "apiserver" -> {
          ServerCommand.prepare(command, Flags.parse(rest, ServerCommand.FLAGS));
          Quarkus.run(CapstanMain.class, (code, failure) -> {
            if (failure != null) {
              System.err.println("capstan: " + rootMessage(failure));
            }
            System.exit(code);
          }, rest);
        }
        case "controllers" -> ControllersCommand.run(Flags.parse(rest, ControllersCommand.FLAGS));
        case "agent" -> {
          if (rest.length > 0 && rest[0].equals("cleanup")) {
            AgentCommand.cleanup(Flags.parse(java.util.Arrays.copyOfRange(rest, 1, rest.length),
                AgentCommand.CLEANUP_FLAGS));
          } else {
            AgentCommand.run(Flags.parse(rest, AgentCommand.FLAGS));
          }
        }
        case "simulate" -> SimulateCommand.run(Flags.parse(rest, SimulateCommand.FLAGS));
        case "image" -> ImageCommand.run(rest);
        case "storage" -> StorageCommand.run(rest);
        case "version", "--version" -> System.out.println("capstan " + io.capstan.apiserver.Version.CAPSTAN
            + " (Kubernetes API " + io.capstan.apiserver.Version.KUBERNETES + ")");
        case "help", "--help", "-h" -> System.out.println(Usage.TEXT);
        default -> throw new UsageException("unknown command \"" + command + "\" (see capstan --help)");
      }
    } catch (UsageException e) {
      System.err.println("capstan: " + e.getMessage());
      System.exit(2);
    } catch (Exception e) {
      System.err.println("capstan: " + rootMessage(e));
      System.exit(1);
    }
  }

  @Override
  public int run(String... args) {
    ServerRuntime.current().announce();
    ServerRuntime.current().startControllers();
    Quarkus.waitForExit();
    // Long-lived requests (watches, the controllers' own) would hold Quarkus' graceful shutdown
    // for its whole timeout: end them first.
    ServerRuntime.current().beginShutdown();
    return 0;
  }

  private static String rootMessage(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.toString() : c.getMessage();
  }
}
