package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.ConflictException;
import io.capstan.apiserver.storage.KeyNotFoundException;
import io.capstan.apiserver.storage.KeyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The delete verb: preconditions, then either removal, or the start of a graceful deletion
 * (finalizers present, a pod running on a node, a namespace) that leaves the object with a
 * deletionTimestamp for its owner to finish. The propagation policy adds or swaps the
 * garbage-collection finalizers ({@link GcFinalizers}); on an object already terminating with a
 * zero grace period a new policy swaps them, while a pending graceful deletion (a pod still
 * stopping) only accepts a shorter grace period.
 */
public final class Deleter {
  private static final int MAX_ATTEMPTS = 32;
  private final Registry registry;

  /** The outcome: the object as deleted or as now terminating, and whether it is gone. */
  public record Result(ObjectNode object, boolean removed) {}

  Deleter(Registry registry) {
    this.registry = registry;
  }

  Result delete(ResourceType type, String namespace, String name, DeleteOptions options) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      KeyValue cur = registry.find(type, namespace, name)
          .orElseThrow(() -> StatusErrors.notFound(type.group(), type.plural(), name));
      ObjectNode old = Registry.present(type, StoredObjects.decode(cur));
      checkPreconditions(type, name, old, options);
      if (type.kind().equals("Namespace") && type.group().isEmpty()) {
        return new Result(registry.namespaces().beginTermination(name, options.dryRun()), false);
      }
      Long grace = gracePeriod(type, old, options);
      ObjectNode meta = Json.metadata(old);
      boolean deleting = meta.hasNonNull("deletionTimestamp");
      long currentGrace = meta.path("deletionGracePeriodSeconds").asLong(0);
      if (deleting && currentGrace > 0 && (grace == null || grace >= currentGrace)) {
        // A graceful deletion is pending: only a shorter grace period changes it, not finalizers.
        return new Result(old, false);
      }
      boolean graceful = grace != null && grace > 0;
      List<String> finalizers = GcFinalizers.after(type, old, options);
      if (graceful || !finalizers.isEmpty()) {
        ObjectNode marked = markDeleting(old, graceful ? grace : 0, finalizers);
        if (marked.equals(old)) {
          return new Result(old, false);
        }
        if (options.dryRun()) {
          return new Result(marked, false);
        }
        try {
          KeyValue kv = registry.storage().update(cur.key(), StoredObjects.encode(marked), cur.modRevision(), cur.ttlSeconds());
          return new Result(Registry.present(type, StoredObjects.written(marked, kv)), false);
        } catch (ConflictException | KeyNotFoundException e) {
          continue;
        }
      }
      if (options.dryRun()) {
        return new Result(old, true);
      }
      try {
        KeyValue deleted = registry.storage().delete(cur.key(), cur.modRevision());
        registry.hook(type).afterDelete(old);
        return new Result(Registry.present(type, StoredObjects.decode(deleted.value(), cur.modRevision())), true);
      } catch (ConflictException e) {
        continue;
      } catch (KeyNotFoundException e) {
        throw StatusErrors.notFound(type.group(), type.plural(), name);
      }
    }
    throw StatusErrors.conflict(type.group(), type.plural(), name, "too many concurrent writers, try again");
  }

  List<ObjectNode> deleteCollection(ResourceType type, String namespace, ListOptions list, DeleteOptions options) {
    List<ObjectNode> out = new ArrayList<>();
    ListPage page = registry.list(type, namespace, list);
    for (ObjectNode item : page.items()) {
      ObjectNode meta = Json.metadata(item);
      try {
        out.add(delete(type, meta.path("namespace").asText(""), meta.path("name").asText(), options).object());
      } catch (ApiException e) {
        if (e.code() != 404) {
          throw e;
        }
      }
    }
    return out;
  }

  private static void checkPreconditions(ResourceType type, String name, ObjectNode old, DeleteOptions options) {
    ObjectNode meta = Json.metadata(old);
    if (options.preconditionUid() != null && !options.preconditionUid().equals(meta.path("uid").asText())) {
      throw StatusErrors.conflict(type.group(), type.plural(), name, "Precondition failed: UID in precondition: "
          + options.preconditionUid() + ", UID in object meta: " + meta.path("uid").asText());
    }
    String rv = options.preconditionResourceVersion();
    if (rv != null && !rv.equals(meta.path("resourceVersion").asText())) {
      throw StatusErrors.conflict(type.group(), type.plural(), name, "Precondition failed: ResourceVersion in "
          + "precondition: " + rv + ", ResourceVersion in object meta: " + meta.path("resourceVersion").asText());
    }
  }

  /**
   * The grace period of a pod deletion: pods bound to a node and not finished end gracefully
   * (the node agent confirms); everything else goes at once.
   */
  private static Long gracePeriod(ResourceType type, ObjectNode old, DeleteOptions options) {
    if (!(type.kind().equals("Pod") && type.group().isEmpty())) {
      return null;
    }
    String phase = Json.text(old, "status.phase");
    if (Json.text(old, "spec.nodeName").isEmpty() || phase.equals("Succeeded") || phase.equals("Failed")) {
      return 0L;
    }
    if (options.gracePeriodSeconds() != null) {
      return Math.max(0, options.gracePeriodSeconds());
    }
    return old.path("spec").path("terminationGracePeriodSeconds").asLong(30);
  }

  /**
   * The object marked as terminating with the given finalizers: a graceful deletion (grace above
   * zero) moves deletionTimestamp to now plus the grace period; otherwise an existing earlier
   * deletionTimestamp is kept and the grace period becomes zero. Generation moves on the first mark.
   */
  private ObjectNode markDeleting(ObjectNode old, long grace, List<String> finalizers) {
    ObjectNode obj = old.deepCopy();
    ObjectNode meta = Json.metadata(obj);
    if (!finalizers.equals(GcFinalizers.finalizers(old))) {
      ArrayNode f = meta.putArray("finalizers");
      finalizers.forEach(f::add);
    }
    Instant now = Instant.now(registry.clock());
    boolean deleting = meta.hasNonNull("deletionTimestamp");
    if (grace > 0 || !deleting || Instant.parse(meta.path("deletionTimestamp").asText()).isAfter(now)) {
      meta.put("deletionTimestamp", ObjectMetaRules.timestamp(now.plusSeconds(grace)));
    }
    meta.put("deletionGracePeriodSeconds", grace);
    if (meta.has("generation") && meta.path("generation").asLong() > 0 && !deleting) {
      meta.put("generation", meta.path("generation").asLong() + 1);
    }
    return obj;
  }
}
