package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.fieldmanager.FieldManager;
import io.capstan.apiserver.registry.strategy.Strategy;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.ConflictException;
import io.capstan.apiserver.storage.KeyNotFoundException;
import io.capstan.apiserver.storage.KeyValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The update verb, as kube-apiserver's GuaranteedUpdate: read, check the client's
 * resourceVersion, apply the strategy, write with compare-and-swap, retry when another writer won
 * and the client gave no resourceVersion.
 */
final class Updater {
  private static final int MAX_ATTEMPTS = 32;
  private final Registry registry;

  Updater(Registry registry) {
    this.registry = registry;
  }

  ObjectNode update(ResourceType type, String namespace, String name, ObjectNode body, WriteOptions options,
      boolean statusOnly) {
    ObjectNode requested = body.deepCopy();
    TypeChecks.checkKind(type, requested);
    ObjectNode reqMeta = Json.metadata(requested);
    TypeChecks.checkNamespace(type, namespace, reqMeta);
    TypeChecks.checkName(name, reqMeta);
    String clientRv = reqMeta.path("resourceVersion").asText("");
    if (clientRv.isEmpty() && type.isCustom()) {
      // Custom resources allow no unconditional update (apiextensions-apiserver's strategy).
      throw StatusErrors.invalid(type.group(), type.kind(), name, List.of(FieldError.invalid(
          "metadata.resourceVersion", "0x0", "must be specified for an update")));
    }
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      KeyValue cur = registry.find(type, namespace, name)
          .orElseThrow(() -> StatusErrors.notFound(type.group(), type.plural(), name));
      if (!clientRv.isEmpty() && !clientRv.equals(Long.toString(cur.modRevision()))) {
        throw StatusErrors.conflict(type.group(), type.plural(), name);
      }
      ObjectNode old = StoredObjects.decode(cur);
      String uid = reqMeta.path("uid").asText("");
      if (!uid.isEmpty() && !uid.equals(Json.metadata(old).path("uid").asText())) {
        throw StatusErrors.conflict(type.group(), type.plural(), name, "Precondition failed: UID in precondition: "
            + uid + ", UID in object meta: " + Json.metadata(old).path("uid").asText());
      }
      ObjectNode obj = statusOnly ? statusUpdate(old, requested) : requested.deepCopy();
      ObjectNode written = write(type, cur, old, obj, options, !statusOnly);
      if (written != null) {
        return written;
      }
      if (!clientRv.isEmpty()) {
        throw StatusErrors.conflict(type.group(), type.plural(), name);
      }
    }
    throw StatusErrors.conflict(type.group(), type.plural(), name, "too many concurrent writers, try again");
  }

  ObjectNode guaranteedUpdate(ResourceType type, String namespace, String name, boolean dryRun,
      UnaryOperator<ObjectNode> mutate) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      KeyValue cur = registry.find(type, namespace, name)
          .orElseThrow(() -> StatusErrors.notFound(type.group(), type.plural(), name));
      ObjectNode old = StoredObjects.decode(cur);
      ObjectNode obj = mutate.apply(old.deepCopy());
      ObjectNode written = writeRaw(type, cur, old, obj, dryRun);
      if (written != null) {
        return written;
      }
    }
    throw StatusErrors.conflict(type.group(), type.plural(), name, "too many concurrent writers, try again");
  }

  private static ObjectNode statusUpdate(ObjectNode old, ObjectNode requested) {
    ObjectNode obj = old.deepCopy();
    JsonNode status = requested.get("status");
    if (status == null) {
      obj.remove("status");
    } else {
      obj.set("status", status.deepCopy());
    }
    return obj;
  }

  /** Applies the strategy and writes; null when a concurrent writer won the CAS. */
  private ObjectNode write(ResourceType type, KeyValue cur, ObjectNode old, ObjectNode obj, WriteOptions options,
      boolean mainResource) {
    Strategy strategy = registry.strategy(type);
    ObjectMetaRules.carryOver(obj, old);
    if (mainResource) {
      strategy.prepareForUpdate(obj, old);
      if (type.tracksGeneration() && strategy.specChanged(obj, old)) {
        Json.metadata(obj).put("generation", Json.metadata(old).path("generation").asLong(0) + 1);
      }
    }
    strategy.applyDefaults(obj);
    List<FieldError> errors = new ArrayList<>(mainResource ? strategy.validateUpdate(obj, old)
        : strategy.validateStatusUpdate(obj, old));
    errors.addAll(finalizerErrors(obj, old));
    if (!errors.isEmpty()) {
      throw StatusErrors.invalid(type.group(), type.kind(), Json.metadata(old).path("name").asText(), errors);
    }
    if (!options.managedFieldsComputed()) {
      FieldManager.recordUpdate(old, obj, options.fieldManager(), type.apiVersion(), mainResource ? null : "status",
          Instant.now(registry.clock()), type.model());
    }
    boolean removes = ObjectMetaRules.isBeingDeleted(obj) && !ObjectMetaRules.isHeld(obj)
        && Json.metadata(obj).path("deletionGracePeriodSeconds").asLong(0) == 0;
    WriteHook.Reservation reserved = mainResource && !removes
        ? registry.hook(type).beforeUpdate(obj, old, options.dryRun()) : WriteHook.Reservation.NONE;
    ObjectNode written = null;
    try {
      written = writeRaw(type, cur, old, obj, options.dryRun());
      return written;
    } finally {
      if (written != null && !options.dryRun()) {
        reserved.commit();
      } else {
        reserved.revert();
      }
    }
  }

  /** Writes {@code obj} over {@code cur}; deletes it when its last finalizer went during deletion. */
  private ObjectNode writeRaw(ResourceType type, KeyValue cur, ObjectNode old, ObjectNode obj, boolean dryRun) {
    if (ObjectMetaRules.isBeingDeleted(obj) && !ObjectMetaRules.isHeld(obj)
        && Json.metadata(obj).path("deletionGracePeriodSeconds").asLong(0) == 0) {
      if (dryRun) {
        return obj;
      }
      try {
        registry.storage().delete(cur.key(), cur.modRevision());
        registry.hook(type).afterDelete(old);
        return obj;
      } catch (ConflictException | KeyNotFoundException e) {
        return null;
      }
    }
    byte[] bytes = StoredObjects.encode(obj);
    if (Arrays.equals(bytes, cur.value())) {
      return old;
    }
    if (dryRun) {
      return obj;
    }
    try {
      return StoredObjects.written(obj, registry.storage().update(cur.key(), bytes, cur.modRevision(), cur.ttlSeconds()));
    } catch (ConflictException | KeyNotFoundException e) {
      return null;
    }
  }

  private static List<FieldError> finalizerErrors(ObjectNode obj, ObjectNode old) {
    if (!ObjectMetaRules.isBeingDeleted(old)) {
      return List.of();
    }
    Set<String> before = new HashSet<>();
    Json.metadata(old).path("finalizers").forEach(f -> before.add(f.asText()));
    for (JsonNode f : Json.metadata(obj).path("finalizers")) {
      if (!before.contains(f.asText())) {
        return List.of(FieldError.forbidden("metadata.finalizers",
            "no new finalizers can be added if the object is being deleted, found new finalizers []string{\""
                + f.asText() + "\"}"));
      }
    }
    return List.of();
  }
}
