package io.capstan.apiserver.registry.fieldmanager;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.fieldmanager.ManagedFields.Entry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps {@code metadata.managedFields} and implements server-side apply, as kube-apiserver's
 * field manager: every write records which manager set which fields ({@link #recordUpdate}), and
 * an apply merges a configuration into the live object, prunes what the manager stopped applying
 * and refuses to change fields another manager owns unless forced ({@link #apply}).
 *
 * <p>Pure functions over JSON trees; {@code model} is the Fabric8 class of the kind (null for
 * kinds without one), which gives the structure of each path.
 */
public final class FieldManager {
  private static final FieldSet STRIPPED = FieldSet.of(
      List.of(f("apiVersion")), List.of(f("kind")), List.of(f("metadata")),
      List.of(f("metadata"), f("name")), List.of(f("metadata"), f("namespace")),
      List.of(f("metadata"), f("creationTimestamp")), List.of(f("metadata"), f("selfLink")),
      List.of(f("metadata"), f("uid")), List.of(f("metadata"), f("clusterName")),
      List.of(f("metadata"), f("generation")), List.of(f("metadata"), f("managedFields")),
      List.of(f("metadata"), f("resourceVersion")));
  private static final String BEFORE_FIRST_APPLY = "before-first-apply";

  private FieldManager() {}

  /**
   * Records a create ({@code oldObj} null), update or non-apply patch in {@code newObj}'s
   * managedFields, in place. The fields the write added or changed become owned by {@code
   * manager} (operation Update, this apiVersion and subresource) and are taken from every other
   * manager; fields it removed are dropped from every set; entries left empty disappear.
   *
   * <p>The managedFields the request carries are the starting point when they decode to at least
   * one entry (so a client can rewrite them, as kubectl does when it migrates to server-side
   * apply: a write that changes nothing else keeps its list exactly); {@code [{}]} starts from
   * none; absent, empty or invalid lists keep the stored ones. Writes to a subresource always
   * start from the stored list.
   *
   * @param subresource null for the main resource, or e.g. "status" (then only status counts)
   */
  public static void recordUpdate(ObjectNode oldObj, ObjectNode newObj, String manager, String apiVersion,
      String subresource, Instant now, Class<?> model) {
    String sub = emptyToNull(subresource);
    Schema schema = Schema.root(model);
    Map<String, Entry> managed = startingPoint(oldObj, newObj, sub);
    JsonNode oldClean = oldObj == null ? Typed.zeroObject(schema) : withoutManagedFields(oldObj);
    JsonNode newClean = withoutManagedFields(newObj);
    Comparison cmp = Comparison.of(oldClean, newClean, schema).excluding(ignored(sub, oldClean, newClean));
    FieldSet changed = cmp.changed();
    for (Entry e : managed.values()) {
      e.set = e.set.difference(changed).difference(cmp.removed());
    }
    FieldSet own = changed.difference(STRIPPED);
    if (!own.isEmpty()) {
      String id = ManagedFields.identity(name(manager), ManagedFields.UPDATE, apiVersion, sub);
      Entry self = managed.computeIfAbsent(id,
          k -> new Entry(name(manager), ManagedFields.UPDATE, apiVersion, now, sub, new FieldSet()));
      self.set = self.set.union(own);
      self.time = now;
    }
    ManagedFields.dropEmpty(managed);
    ManagedFields.capUpdateManagers(managed);
    write(newObj, managed);
  }

  /**
   * Server-side apply of {@code config} by {@code manager} to {@code live} (null: the object does
   * not exist and the apply creates it). Returns the new object with its managedFields; the
   * caller still runs the kind's strategy (defaults, validation) on it.
   *
   * @throws ApiException 409 Conflict (causes FieldManagerConflict) when the configuration changes
   *     fields other managers own and {@code force} is false; 400 for configurations that cannot
   *     be applied (managedFields set, wrong apiVersion or kind, unidentifiable list items)
   */
  public static ObjectNode apply(ObjectNode live, ObjectNode config, String manager, boolean force,
      String apiVersion, String subresource, Instant now, Class<?> model) {
    if (config == null) {
      throw StatusErrors.badRequest("the apply configuration must be an object");
    }
    String sub = emptyToNull(subresource);
    String mgr = name(manager);
    JsonNode configManaged = config.path("metadata").get("managedFields");
    if (configManaged != null && !configManaged.isNull()) {
      throw StatusErrors.badRequest("metadata.managedFields must be nil");
    }
    String configVersion = config.path("apiVersion").asText("");
    if (!configVersion.equals(apiVersion)) {
      throw StatusErrors.badRequest("Incorrect version specified in apply patch. Specified patch version: "
          + configVersion + ", expected: " + apiVersion);
    }
    String kind = config.path("kind").asText("");
    if (live != null && live.hasNonNull("kind") && !live.get("kind").asText().equals(kind)) {
      throw StatusErrors.badRequest("invalid object type: " + gvk(apiVersion, kind));
    }
    Schema schema = Schema.root(model);
    List<String> problems = Applier.validate(config, schema);
    if (!problems.isEmpty()) {
      throw StatusErrors.badRequest("failed to create typed patch object (" + objectName(config, live) + "; "
          + gvk(apiVersion, kind) + "): "
          + (problems.size() == 1 ? problems.get(0) : "errors:\n  " + String.join("\n  ", problems)));
    }
    Map<String, Entry> managed;
    try {
      managed = ManagedFields.decode(live == null ? null : live.path("metadata").get("managedFields"));
    } catch (IllegalArgumentException e) {
      throw StatusErrors.internal("failed to decode managed fields: " + e.getMessage());
    }
    ObjectNode liveClean = live == null ? null : withoutManagedFields(live);
    if (liveClean != null && managed.isEmpty()) {
      FieldSet existing = Typed.toFieldSet(liveClean, schema).recursiveDifference(ignored(null, null, null))
          .difference(STRIPPED);
      Entry unknown = new Entry(BEFORE_FIRST_APPLY, ManagedFields.UPDATE, apiVersion, null, null, existing);
      managed.put(unknown.identity(), unknown);
    }

    Applier.Outcome out = Applier.attempt(liveClean, config, copy(managed), mgr, force, apiVersion, sub, schema);
    if (!out.conflicts().isEmpty() && LastApplied.KUBECTL.equals(mgr)) {
      FieldSet allowed = LastApplied.allowedConflicts(liveClean, schema);
      if (allowed != null) {
        if (out.conflictSet().difference(allowed).isEmpty()) {
          out = Applier.attempt(liveClean, config, copy(managed), mgr, true, apiVersion, sub, schema);
        } else {
          throw Applier.conflictError(out.withoutAllowed(allowed).conflicts());
        }
      }
    }
    if (!out.conflicts().isEmpty()) {
      throw Applier.conflictError(out.conflicts());
    }

    ObjectNode merged = (ObjectNode) JsonValues.withoutNulls(out.merged());
    boolean noop = liveClean != null && JsonValues.equal(JsonValues.withoutNulls(liveClean), merged);
    ObjectNode result = noop ? liveClean : merged;
    Entry self = out.self();
    if (!noop || self.time == null) {
      self.time = now;
    }
    if (LastApplied.KUBECTL.equals(mgr) && LastApplied.get(result) != null) {
      LastApplied.set(result, LastApplied.build(config));
    }
    Map<String, Entry> entries = out.managed();
    ManagedFields.dropEmpty(entries);
    ManagedFields.capUpdateManagers(entries);
    write(result, entries);
    return result;
  }

  /** The managedFields list a write starts from (see {@link #recordUpdate}). */
  private static Map<String, Entry> startingPoint(ObjectNode oldObj, ObjectNode newObj, String sub) {
    if (sub == null) {
      JsonNode requested = newObj.path("metadata").get("managedFields");
      if (ManagedFields.isReset(requested)) {
        return new LinkedHashMap<>();
      }
      try {
        Map<String, Entry> m = ManagedFields.decode(requested);
        if (!m.isEmpty()) {
          return m;
        }
      } catch (IllegalArgumentException e) {
        // fall back to the stored list
      }
    }
    try {
      return ManagedFields.decode(oldObj == null ? null : oldObj.path("metadata").get("managedFields"));
    } catch (IllegalArgumentException e) {
      return new LinkedHashMap<>();
    }
  }

  /** Fields a write of this kind does not own: status on the main resource, all but status on /status. */
  static FieldSet ignored(String sub, JsonNode a, JsonNode b) {
    FieldSet s = new FieldSet();
    if ("status".equals(sub)) {
      for (JsonNode o : new JsonNode[] {a, b}) {
        if (o != null && o.isObject()) {
          o.fieldNames().forEachRemaining(k -> {
            if (!k.equals("metadata") && !k.equals("status")) {
              s.insert(List.of(f(k)));
            }
          });
        }
      }
    } else {
      s.insert(List.of(f("status")));
    }
    return s;
  }

  static FieldSet stripped() {
    return STRIPPED;
  }

  private static void write(ObjectNode obj, Map<String, Entry> managed) {
    ArrayNode list = ManagedFields.encode(managed);
    ObjectNode m;
    if (obj.get("metadata") instanceof ObjectNode existing) {
      m = existing;
    } else if (list.isEmpty()) {
      return;
    } else {
      m = obj.putObject("metadata");
    }
    if (list.isEmpty()) {
      m.remove("managedFields");
    } else {
      m.set("managedFields", list);
    }
  }

  private static ObjectNode withoutManagedFields(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    if (copy.get("metadata") instanceof ObjectNode m) {
      m.remove("managedFields");
    }
    return copy;
  }

  private static Map<String, Entry> copy(Map<String, Entry> managed) {
    Map<String, Entry> out = new LinkedHashMap<>();
    managed.forEach((id, e) -> out.put(id, new Entry(e.manager, e.operation, e.apiVersion, e.time, e.subresource, e.set)));
    return out;
  }

  private static String objectName(ObjectNode config, ObjectNode live) {
    JsonNode meta = config.path("metadata");
    JsonNode liveMeta = live == null ? null : live.path("metadata");
    String ns = meta.path("namespace").asText(liveMeta == null ? "" : liveMeta.path("namespace").asText(""));
    return ns + "/" + meta.path("name").asText("");
  }

  private static String gvk(String apiVersion, String kind) {
    return (apiVersion.contains("/") ? apiVersion : "/" + apiVersion) + ", Kind=" + kind;
  }

  private static String name(String manager) {
    return manager == null || manager.isEmpty() ? "unknown" : manager;
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  private static PathElement f(String name) {
    return PathElement.field(name);
  }
}
