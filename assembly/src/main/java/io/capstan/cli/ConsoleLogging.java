package io.capstan.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jboss.logmanager.formatters.PatternFormatter;
import org.jboss.logmanager.handlers.ConsoleHandler;

/**
 * Log output for the roles that run without Quarkus ({@code capstan controllers|simulate}): INFO and up to
 * standard error, in the same format the server role's Quarkus logging prints.
 */
final class ConsoleLogging {
  private static final String FORMAT = "%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c{3.}] (%t) %s%e%n";

  private ConsoleLogging() {}

  static void install() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler console = new ConsoleHandler(ConsoleHandler.Target.SYSTEM_ERR, new PatternFormatter(FORMAT));
    console.setLevel(Level.INFO);
    root.addHandler(console);
    root.setLevel(Level.INFO);
  }
}
