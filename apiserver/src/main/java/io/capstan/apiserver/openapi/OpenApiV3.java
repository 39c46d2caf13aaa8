package io.capstan.apiserver.openapi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The OpenAPI v3 documents of a {@link ResourceCatalog}, one per served group-version, cached as
 * bytes. They follow the catalog: the first read after a change (a new {@link
 * ResourceCatalog#generation()}) rebuilds the documents of the group-versions whose resource types
 * changed, reuses the others, and drops group-versions no longer served. Built-in kinds are
 * described from their Fabric8 model classes, custom kinds from their CRD's {@code openAPIV3Schema}.
 * Thread-safe: reads see one consistent snapshot; rebuilds are serialized.
 *
 * <p>Serve {@link #root()} at {@code /openapi/v3} and {@link #document(String)} at {@code
 * /openapi/v3/<gvPath>}; use {@link #hash(String)} as the ETag (quoted) and to decide whether a
 * {@code ?hash=} request may be cached as immutable. {@link #get(String)} gives bytes and hash
 * of the same snapshot in one call.
 */
public final class OpenApiV3 {
  /** The Kubernetes version the documents describe. */
  public static final String KUBERNETES_VERSION = "v1.32.4";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * One group-version document.
   *
   * @param json the document's JSON bytes (a copy: callers may keep or modify it)
   * @param hash uppercase hex SHA-512 of {@code json}
   */
  public record Document(byte[] json, String hash) {}

  /** A built document and the resource types it was built from. */
  private record Entry(List<ResourceType> types, byte[] bytes, String hash) {}

  /** The documents of one catalog generation, by document path, in catalog order. */
  private record Snapshot(long generation, Map<String, Entry> entries) {}

  private final ResourceCatalog catalog;
  /** Guarded by {@code this}. */
  private final DocumentBuilder builder;
  private volatile Snapshot snapshot = new Snapshot(Long.MIN_VALUE, Map.of());

  /** Builds the documents of every type {@code catalog} serves now; later changes are picked up on read. */
  public OpenApiV3(ResourceCatalog catalog) {
    this.catalog = catalog;
    this.builder = new DocumentBuilder(catalog.all());
    current();
  }

  /** {@code "api/v1"} or {@code "apis/<group>/<version>"}: the document path of a resource's group-version. */
  public static String gvPath(ResourceType t) {
    return t.group().isEmpty() ? "api/" + t.version() : "apis/" + t.group() + "/" + t.version();
  }

  /** The served document paths, e.g. {@code ["api/v1", "apis/apps/v1", ...]}. */
  public List<String> gvPaths() {
    return List.copyOf(current().entries().keySet());
  }

  /** The discovery document for {@code GET /openapi/v3}: one entry per served group-version. */
  public ObjectNode root() {
    ObjectNode root = NODES.objectNode();
    ObjectNode paths = root.putObject("paths");
    current().entries().forEach((gv, e) ->
        paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv + "?hash=" + e.hash()));
    return root;
  }

  /** The JSON bytes of one group-version document ({@code "api/v1"}, {@code "apis/apps/v1"}). */
  public Optional<byte[]> document(String gvPath) {
    return get(gvPath).map(Document::json);
  }

  /** Uppercase hex SHA-512 of the document bytes; null for an unknown group-version. */
  public String hash(String gvPath) {
    Entry e = current().entries().get(normalize(gvPath));
    return e == null ? null : e.hash();
  }

  /** The bytes and hash of one group-version document, consistent with each other. */
  public Optional<Document> get(String gvPath) {
    Entry e = current().entries().get(normalize(gvPath));
    return e == null ? Optional.empty() : Optional.of(new Document(e.bytes().clone(), e.hash()));
  }

  private static String normalize(String gvPath) {
    String p = gvPath.startsWith("/") ? gvPath.substring(1) : gvPath;
    return p.startsWith("openapi/v3/") ? p.substring("openapi/v3/".length()) : p;
  }

  /** The snapshot of the catalog's current generation, rebuilt first if the catalog changed. */
  private Snapshot current() {
    Snapshot s = snapshot;
    if (s.generation() == catalog.generation()) {
      return s;
    }
    synchronized (this) {
      s = snapshot;
      // Read the generation before the types: the types are then at least that new, and a change
      // racing with this rebuild bumps the generation again, so the next read rebuilds.
      long generation = catalog.generation();
      if (s.generation() != generation) {
        s = rebuild(s, generation, catalog.all());
        snapshot = s;
      }
      return s;
    }
  }

  private Snapshot rebuild(Snapshot previous, long generation, List<ResourceType> all) {
    Map<String, List<ResourceType>> byGv = new LinkedHashMap<>();
    for (ResourceType t : all) {
      byGv.computeIfAbsent(gvPath(t), k -> new ArrayList<>()).add(t);
    }
    Map<String, Entry> entries = new LinkedHashMap<>();
    byGv.forEach((gv, types) -> {
      Entry old = previous.entries().get(gv);
      if (old != null && old.types().equals(types)) {
        entries.put(gv, old);
      } else {
        byte[] bytes = serialize(builder.build(types));
        entries.put(gv, new Entry(List.copyOf(types), bytes, sha512(bytes)));
      }
    });
    return new Snapshot(generation, Collections.unmodifiableMap(entries));
  }

  private static byte[] serialize(ObjectNode doc) {
    try {
      return MAPPER.writeValueAsBytes(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize OpenAPI document", e);
    }
  }

  private static String sha512(byte[] bytes) {
    try {
      return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-512 unavailable", e);
    }
  }
}
