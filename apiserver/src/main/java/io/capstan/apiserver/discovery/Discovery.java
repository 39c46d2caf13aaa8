package io.capstan.apiserver.discovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.resources.ResourceCatalog;
import io.capstan.apiserver.resources.ResourceType;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Discovery documents for the resources of a {@link ResourceCatalog}. Every method builds a fresh
 * tree, so callers may modify what they get. Thread-safe.
 */
public final class Discovery {
  /** Media type of the aggregated discovery document (request Accept and response Content-Type). */
  public static final String AGGREGATED_MEDIA_TYPE =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ResourceCatalog catalog;

  public Discovery(ResourceCatalog catalog) {
    this.catalog = catalog;
  }

  /** Whether an Accept header asks for the aggregated (apidiscovery.k8s.io/v2) document. */
  public static boolean acceptsAggregated(String accept) {
    if (accept == null) {
      return false;
    }
    String compact = accept.replace(" ", "");
    return compact.contains("g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
  }

  /** {@code APIVersions} for {@code GET /api}. */
  public ObjectNode apiVersions(String serverAddress) {
    ObjectNode doc = NODES.objectNode();
    doc.put("kind", "APIVersions");
    ArrayNode versions = doc.putArray("versions");
    coreVersions().forEach(versions::add);
    ObjectNode cidr = doc.putArray("serverAddressByClientCIDRs").addObject();
    cidr.put("clientCIDR", "0.0.0.0/0");
    cidr.put("serverAddress", serverAddress);
    return doc;
  }

  /** {@code APIGroupList} for {@code GET /apis}: every named group, in catalog order. */
  public ObjectNode apiGroupList() {
    ObjectNode doc = NODES.objectNode();
    doc.put("kind", "APIGroupList");
    doc.put("apiVersion", "v1");
    ArrayNode groups = doc.putArray("groups");
    groupVersions().forEach((group, versions) -> groups.add(groupBody(group, versions)));
    return doc;
  }

  /** {@code APIGroup} for {@code GET /apis/{group}}, empty when the group is not served. */
  public Optional<ObjectNode> apiGroup(String group) {
    List<String> versions = groupVersions().get(group);
    if (versions == null) {
      return Optional.empty();
    }
    ObjectNode doc = NODES.objectNode();
    doc.put("kind", "APIGroup");
    doc.put("apiVersion", "v1");
    doc.setAll(groupBody(group, versions));
    return Optional.of(doc);
  }

  /**
   * {@code APIResourceList} for {@code GET /api/v1} (group "") and {@code GET /apis/{g}/{v}},
   * including subresource entries; empty when the group-version is not served.
   */
  public Optional<ObjectNode> apiResourceList(String group, String version) {
    List<ResourceType> types = sorted(catalog.inGroupVersion(group, version));
    if (types.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode doc = NODES.objectNode();
    doc.put("kind", "APIResourceList");
    doc.put("apiVersion", "v1");
    doc.put("groupVersion", group.isEmpty() ? version : group + "/" + version);
    ArrayNode resources = doc.putArray("resources");
    for (ResourceType t : types) {
      ObjectNode r = resources.addObject();
      r.put("name", t.plural());
      r.put("singularName", t.singular());
      r.put("namespaced", t.namespaced());
      r.put("kind", t.kind());
      strings(r.putArray("verbs"), ResourceType.VERBS);
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      r.put("storageVersionHash", storageVersionHash(t.group(), t.version(), t.kind()));
      for (Subresources.Info sub : Subresources.of(t)) {
        ObjectNode s = resources.addObject();
        s.put("name", t.plural() + "/" + sub.name());
        s.put("singularName", "");
        s.put("namespaced", t.namespaced());
        if (sub.crossesGroupVersion(t)) {
          s.put("group", sub.group());
          s.put("version", sub.version());
        }
        s.put("kind", sub.kind());
        strings(s.putArray("verbs"), sub.verbs());
      }
    }
    return Optional.of(doc);
  }

  /** Aggregated {@code APIGroupDiscoveryList} for {@code GET /api}: the core group only. */
  public ObjectNode aggregatedCore() {
    ObjectNode doc = aggregatedList();
    ArrayNode items = (ArrayNode) doc.get("items");
    List<String> versions = coreVersions();
    if (!versions.isEmpty()) {
      items.add(aggregatedGroup("", versions));
    }
    return doc;
  }

  /** Aggregated {@code APIGroupDiscoveryList} for {@code GET /apis}: every named group. */
  public ObjectNode aggregatedGroups() {
    ObjectNode doc = aggregatedList();
    ArrayNode items = (ArrayNode) doc.get("items");
    groupVersions().forEach((group, versions) -> items.add(aggregatedGroup(group, versions)));
    return doc;
  }

  /** A quoted strong ETag: the SHA-256 of the document's JSON bytes, in hex. */
  public static String etag(ObjectNode doc) {
    try {
      byte[] bytes = MAPPER.writeValueAsBytes(doc);
      return "\"" + HexFormat.of().formatHex(sha256(bytes)) + "\"";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialize discovery document", e);
    }
  }

  /**
   * The storage version hash Kubernetes publishes: base64 of the first 8 bytes of the SHA-256 of
   * "group/version/kind". Stable for a given group, version and kind.
   */
  public static String storageVersionHash(String group, String version, String kind) {
    byte[] digest = sha256((group + "/" + version + "/" + kind).getBytes(StandardCharsets.UTF_8));
    byte[] first = new byte[8];
    System.arraycopy(digest, 0, first, 0, 8);
    return Base64.getEncoder().encodeToString(first);
  }

  private ObjectNode aggregatedList() {
    ObjectNode doc = NODES.objectNode();
    doc.put("kind", "APIGroupDiscoveryList");
    doc.put("apiVersion", "apidiscovery.k8s.io/v2");
    doc.putObject("metadata");
    doc.putArray("items");
    return doc;
  }

  private ObjectNode aggregatedGroup(String group, List<String> versions) {
    ObjectNode item = NODES.objectNode();
    ObjectNode meta = item.putObject("metadata");
    if (!group.isEmpty()) {
      meta.put("name", group);
    }
    meta.putNull("creationTimestamp");
    ArrayNode vs = item.putArray("versions");
    for (String version : versions) {
      ObjectNode v = vs.addObject();
      v.put("version", version);
      ArrayNode resources = v.putArray("resources");
      for (ResourceType t : sorted(catalog.inGroupVersion(group, version))) {
        resources.add(aggregatedResource(t));
      }
      v.put("freshness", "Current");
    }
    return item;
  }

  private static ObjectNode aggregatedResource(ResourceType t) {
    ObjectNode r = NODES.objectNode();
    r.put("resource", t.plural());
    r.set("responseKind", gvk(t.group(), t.version(), t.kind()));
    r.put("scope", t.namespaced() ? "Namespaced" : "Cluster");
    r.put("singularResource", t.singular());
    strings(r.putArray("verbs"), ResourceType.VERBS);
    if (!t.shortNames().isEmpty()) {
      strings(r.putArray("shortNames"), t.shortNames());
    }
    if (!t.categories().isEmpty()) {
      strings(r.putArray("categories"), t.categories());
    }
    List<Subresources.Info> subs = Subresources.of(t);
    if (!subs.isEmpty()) {
      ArrayNode out = r.putArray("subresources");
      for (Subresources.Info sub : subs) {
        ObjectNode s = out.addObject();
        s.put("subresource", sub.name());
        s.set("responseKind", gvk(sub.group(), sub.version(), sub.kind()));
        strings(s.putArray("verbs"), sub.verbs());
      }
    }
    return r;
  }

  private static ObjectNode groupBody(String group, List<String> versions) {
    ObjectNode g = NODES.objectNode();
    g.put("name", group);
    ArrayNode vs = g.putArray("versions");
    for (String v : versions) {
      vs.add(groupVersionForDiscovery(group, v));
    }
    g.set("preferredVersion", groupVersionForDiscovery(group, versions.get(0)));
    return g;
  }

  private static ObjectNode groupVersionForDiscovery(String group, String version) {
    ObjectNode v = NODES.objectNode();
    v.put("groupVersion", group + "/" + version);
    v.put("version", version);
    return v;
  }

  private static ObjectNode gvk(String group, String version, String kind) {
    ObjectNode k = NODES.objectNode();
    k.put("group", group);
    k.put("version", version);
    k.put("kind", kind);
    return k;
  }

  /** Versions of the core group, in catalog order. */
  private List<String> coreVersions() {
    List<String> out = new ArrayList<>();
    for (ResourceType t : catalog.all()) {
      if (t.group().isEmpty() && !out.contains(t.version())) {
        out.add(t.version());
      }
    }
    return out;
  }

  /** Named groups and their versions, in catalog order; the first version is preferred. */
  private Map<String, List<String>> groupVersions() {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ResourceType t : catalog.all()) {
      if (t.group().isEmpty()) {
        continue;
      }
      List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
      if (!versions.contains(t.version())) {
        versions.add(t.version());
      }
    }
    return out;
  }

  private static List<ResourceType> sorted(List<ResourceType> types) {
    return types.stream().sorted(Comparator.comparing(ResourceType::plural)).toList();
  }

  private static void strings(ArrayNode array, List<String> values) {
    values.forEach(array::add);
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }
}
