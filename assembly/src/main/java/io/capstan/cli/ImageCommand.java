package io.capstan.cli;

import io.capstan.node.image.Digest;
import io.capstan.node.image.Image;
import io.capstan.node.image.ImageReference;
import io.capstan.node.image.ImageStore;
import io.capstan.node.image.ImageUsage;
import io.capstan.node.image.ImportOptions;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code capstan image import|ls|rm}: the node's local image store in {@code <data-dir>/images}
 * (default data dir /var/lib/capstan), safe to use while {@code capstan server} runs on the same
 * data dir. See docs/images.md.
 */
final class ImageCommand {
  static final String DEFAULT_DATA_DIR = "/var/lib/capstan";
  private static final Set<String> IMPORT_FLAGS = Set.of("data-dir", "entrypoint", "cmd", "env", "workdir");
  private static final Set<String> DATA_DIR_FLAG = Set.of("data-dir");
  private static final String[] SIZE_UNITS = {"B", "kB", "MB", "GB", "TB", "PB"};

  private ImageCommand() {}

  static void run(String[] args) throws IOException {
    if (args.length == 0) {
      throw new UsageException("image needs a command: import, ls or rm (see capstan --help)");
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    try {
      switch (args[0]) {
        case "import", "load" -> importImage(Flags.withOperands(rest, IMPORT_FLAGS));
        case "ls", "list" -> list(Flags.withOperands(rest, DATA_DIR_FLAG));
        case "rm", "remove" -> remove(Flags.withOperands(rest, DATA_DIR_FLAG));
        default -> throw new UsageException("unknown image command \"" + args[0] + "\" (expected import, ls or rm)");
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  private static void importImage(Flags flags) throws IOException {
    List<String> operands = flags.operands();
    if (operands.isEmpty() || operands.size() > 2) {
      throw new UsageException("image import needs FILE and at most one REF");
    }
    ImportOptions options = new ImportOptions(ImportOptions.commandLine(flags.get("entrypoint")),
        ImportOptions.commandLine(flags.get("cmd")), flags.all("env"), flags.get("workdir"));
    ImageStore store = store(flags);
    List<Image> images = store.importArchive(Path.of(operands.get(0)), operands.size() > 1 ? operands.get(1) : null,
        options);
    for (Image image : images) {
      for (String ref : image.references()) {
        System.out.println("Loaded image: " + familiar(ref) + " (" + image.id() + ")");
      }
    }
  }

  private static void list(Flags flags) throws IOException {
    if (!flags.operands().isEmpty()) {
      throw new UsageException("image ls takes no arguments");
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"REPOSITORY", "TAG", "IMAGE ID", "SIZE"});
    if (Files.isDirectory(dataDir(flags).resolve("images"))) {
      List<String[]> images = new ArrayList<>();
      for (Image image : store(flags).images()) {
        String size = humanSize(image.unpackedSize());
        if (image.references().isEmpty()) {
          images.add(new String[] {"<none>", "<none>", image.id().shortHex(), size});
        }
        for (String ref : image.references()) {
          ImageReference r = ImageReference.parse(ref);
          images.add(new String[] {r.familiarName(), r.tag(), image.id().shortHex(), size});
        }
      }
      images.sort(Comparator.<String[], Boolean>comparing(r -> r[0].equals("<none>")).thenComparing(r -> r[0])
          .thenComparing(r -> r[1]));
      rows.addAll(images);
    }
    System.out.print(table(rows));
  }

  private static void remove(Flags flags) throws IOException {
    if (flags.operands().isEmpty()) {
      throw new UsageException("image rm needs REF");
    }
    ImageStore store = store(flags);
    for (String ref : flags.operands()) {
      ImageStore.Removal r = store.remove(ref);
      r.untagged().forEach(t -> System.out.println("Untagged: " + familiar(t)));
      r.deleted().map(Digest::toString).ifPresent(id -> System.out.println("Deleted: " + id));
    }
  }

  private static ImageStore store(Flags flags) throws IOException {
    Path dataDir = dataDir(flags);
    return ImageStore.open(dataDir, ImageUsage.fromContainerState(dataDir));
  }

  private static Path dataDir(Flags flags) {
    return Path.of(flags.get("data-dir", DEFAULT_DATA_DIR));
  }

  private static String familiar(String normalized) {
    ImageReference r = ImageReference.parse(normalized);
    return r.familiarName() + (r.tag() == null ? "" : ":" + r.tag());
  }

  /** Columns as {@code docker images} aligns them: at least 10 wide, 3 spaces apart. */
  static String table(List<String[]> rows) {
    int columns = rows.get(0).length;
    int[] width = new int[columns];
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        width[c] = Math.max(width[c], Math.max(10, row[c].length() + 3));
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      for (int c = 0; c < columns; c++) {
        out.append(c == columns - 1 ? row[c] : String.format("%-" + width[c] + "s", row[c]));
      }
      out.append('\n');
    }
    return out.toString();
  }

  /** A size as Docker prints it: decimal units, three significant digits ({@code 4.26MB}, {@code 558kB}). */
  static String humanSize(long bytes) {
    double size = bytes;
    int unit = 0;
    while (size >= 1000 && unit < SIZE_UNITS.length - 1) {
      size /= 1000;
      unit++;
    }
    String number = new BigDecimal(size).round(new MathContext(3)).stripTrailingZeros().toPlainString();
    return number + SIZE_UNITS[unit];
  }
}
