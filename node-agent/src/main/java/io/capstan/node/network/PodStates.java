package io.capstan.node.network;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code <data-dir>/network/pods/<pod-uid>.json}: what DEL and CHECK need after an agent restart,
 * as libcni's result cache: the configuration lists used, the port mappings and the ADD result
 * ({@code result} is absent while ADD runs, so an interrupted ADD is still cleaned up).
 */
final class PodStates {
    private final Path dir;

    PodStates(Path dir) {
        this.dir = dir;
    }

    void write(String podUid, ObjectNode state) throws IOException {
        Files.createDirectories(dir);
        Path file = file(podUid);
        Path tmp = dir.resolve("." + podUid + ".tmp");
        Files.write(tmp, CniRunner.JSON.writeValueAsBytes(state));
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    boolean exists(String podUid) {
        return Files.exists(file(podUid), LinkOption.NOFOLLOW_LINKS);
    }

    Optional<ObjectNode> read(String podUid) throws IOException {
        Path file = file(podUid);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = CniRunner.JSON.readTree(Files.readAllBytes(file));
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (JacksonException e) {
            return Optional.empty(); // torn or foreign file: DEL falls back to the current configuration
        }
    }

    void delete(String podUid) throws IOException {
        Files.deleteIfExists(file(podUid));
    }

    List<String> list() throws IOException {
        List<String> out = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".json") && !n.startsWith("."))
                        .forEach(n -> out.add(n.substring(0, n.length() - 5)));
            }
        }
        return out;
    }

    private Path file(String podUid) {
        PodNetwork.checkUid(podUid);
        return dir.resolve(podUid + ".json");
    }
}
