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
 * Discovery documents for the resources of a {@link ResourceCatalog}, read live: every method
 * builds a fresh tree from one snapshot of the catalog ({@link ResourceCatalog#all()}), so custom
 * resources appear and disappear with their CRDs, {@link #etag} changes with the content, and
 * callers may modify what they get. Versions of a group are listed in Kubernetes version priority
 * (v1 before v1beta1 before v1alpha1), the first being the preferred one. Thread-safe.
 */
public final class Discovery {
  /** Media type of the aggregated discovery document (request Accept and response Content-Type). */
  public static final String AGGREGATED_MEDIA_TYPE =
      "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The verbs of custom resources, in the order the upstream CRD discovery controller lists them. */
  private static final List<String> CUSTOM_VERBS =
      List.of("delete", "deletecollection", "get", "list", "patch", "create", "update", "watch");

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
    coreVersions(catalog.all()).forEach(versions::add);
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
    groupVersions(catalog.all()).forEach((group, versions) -> groups.add(groupBody(group, versions)));
    return doc;
  }

  /** {@code APIGroup} for {@code GET /apis/{group}}, empty when the group is not served. */
  public Optional<ObjectNode> apiGroup(String group) {
    List<String> versions = groupVersions(catalog.all()).get(group);
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
    List<ResourceType> types = inGroupVersion(catalog.all(), group, version);
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
      strings(r.putArray("verbs"), verbs(t));
      if (!t.shortNames().isEmpty()) {
        strings(r.putArray("shortNames"), t.shortNames());
      }
      if (!t.categories().isEmpty()) {
        strings(r.putArray("categories"), t.categories());
      }
      r.put("storageVersionHash", storageVersionHash(t.group(), storageVersion(t), t.kind()));
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
    List<ResourceType> all = catalog.all();
    List<String> versions = coreVersions(all);
    if (!versions.isEmpty()) {
      items.add(aggregatedGroup(all, "", versions));
    }
    return doc;
  }

  /** Aggregated {@code APIGroupDiscoveryList} for {@code GET /apis}: every named group. */
  public ObjectNode aggregatedGroups() {
    ObjectNode doc = aggregatedList();
    ArrayNode items = (ArrayNode) doc.get("items");
    List<ResourceType> all = catalog.all();
    groupVersions(all).forEach((group, versions) -> items.add(aggregatedGroup(all, group, versions)));
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

  private static ObjectNode aggregatedGroup(List<ResourceType> all, String group, List<String> versions) {
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
      for (ResourceType t : inGroupVersion(all, group, version)) {
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
    strings(r.putArray("verbs"), verbs(t));
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

  /** Versions of the core group, highest priority first. */
  private static List<String> coreVersions(List<ResourceType> all) {
    return groupVersionsOf(all, true).getOrDefault("", List.of());
  }

  /** Named groups in catalog order and their versions, highest priority (preferred) first. */
  private static Map<String, List<String>> groupVersions(List<ResourceType> all) {
    return groupVersionsOf(all, false);
  }

  private static Map<String, List<String>> groupVersionsOf(List<ResourceType> all, boolean core) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ResourceType t : all) {
      if (t.group().isEmpty() != core) {
        continue;
      }
      List<String> versions = out.computeIfAbsent(t.group(), g -> new ArrayList<>());
      if (!versions.contains(t.version())) {
        versions.add(t.version());
      }
    }
    out.values().forEach(v -> v.sort(KubeVersions.PRIORITY));
    return out;
  }

  /** Types of one group-version, sorted by resource name. */
  private static List<ResourceType> inGroupVersion(List<ResourceType> all, String group, String version) {
    return all.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version))
        .sorted(Comparator.comparing(ResourceType::plural))
        .toList();
  }

  /** The verbs of a resource, in the order upstream lists them for built-in and custom resources. */
  private static List<String> verbs(ResourceType t) {
    return t.isCustom() ? CUSTOM_VERBS : t.verbs();
  }

  /** The version objects are stored as: the custom resource's storage version, else the served one. */
  private static String storageVersion(ResourceType t) {
    String storage = t.isCustom() ? t.custom().storageVersion() : null;
    return storage == null || storage.isEmpty() ? t.version() : storage;
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
