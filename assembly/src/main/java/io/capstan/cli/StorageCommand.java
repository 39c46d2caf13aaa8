package io.capstan.cli;

import io.capstan.apiserver.storage.migrate.StorageMigration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code capstan storage migrate --from sqlite:DIR --to etcd://HOST:PORT[,...][/PREFIX] [--force]
 * [--connect-timeout 30s]}: copies every object of the source store into the target (see {@link
 * StorageMigration}) and prints how many keys were copied at which source revision.
 */
final class StorageCommand {
  static final Set<String> MIGRATE_FLAGS = Set.of("from", "to", "connect-timeout");

  private StorageCommand() {}

  static void run(String[] args) {
    if (args.length == 0 || !args[0].equals("migrate")) {
      throw new UsageException("usage: capstan storage migrate --from sqlite:DIR --to etcd://HOST:PORT[,HOST:PORT...][/PREFIX] [--force]");
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    boolean force = rest.remove("--force") | rest.remove("--force=true");
    Flags flags = Flags.parse(rest.toArray(String[]::new), MIGRATE_FLAGS);
    String from = flags.get("from");
    String to = flags.get("to");
    if (from == null || to == null) {
      throw new UsageException("storage migrate needs --from sqlite:DIR and --to etcd://HOST:PORT[,...][/PREFIX]");
    }
    if (!from.startsWith("sqlite:") && !from.startsWith("etcd://")) {
      throw new UsageException("--from must be sqlite:DIR or etcd://..., not " + from);
    }
    if (!to.startsWith("sqlite:") && !to.startsWith("etcd://")) {
      throw new UsageException("--to must be etcd://HOST:PORT[,...][/PREFIX] or sqlite:DIR, not " + to);
    }
    Duration connect = flags.duration("connect-timeout", Duration.ofSeconds(30));
    StorageMigration.Result r;
    try {
      r = StorageMigration.migrate(from, to, force, connect);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    System.out.println("copied " + r.copied() + " keys from " + from + " (revision " + r.sourceRevision() + ") to " + to);
  }
}
