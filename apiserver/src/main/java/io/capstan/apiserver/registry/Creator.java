package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.fieldmanager.FieldManager;
import io.capstan.apiserver.registry.strategy.Strategy;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.storage.KeyExistsException;
import io.capstan.apiserver.storage.KeyValue;
import java.time.Instant;
import java.util.List;

/** The create verb: namespace and name rules, system fields, strategy, then a CAS create. */
final class Creator {
  /** Names tried for one generateName create before answering AlreadyExists (as upstream). */
  private static final int GENERATE_NAME_ATTEMPTS = 8;
  /** Core events expire after an hour, as kube-apiserver's default --event-ttl. */
  private static final long EVENT_TTL_SECONDS = 3600;

  private final Registry registry;

  Creator(Registry registry) {
    this.registry = registry;
  }

  Written create(ResourceType type, String namespace, ObjectNode body, WriteOptions options) {
    ObjectNode obj = body.deepCopy();
    TypeChecks.checkKind(type, obj);
    ObjectNode meta = Json.metadata(obj);
    TypeChecks.checkNamespace(type, namespace, meta);
    if (!meta.path("resourceVersion").asText("").isEmpty()) {
      throw StatusErrors.badRequest("resourceVersion should not be set on objects to be created");
    }
    if (type.namespaced()) {
      registry.namespaces().checkCreateAllowed(meta.path("namespace").asText());
    }
    ObjectMetaRules.fillOnCreate(obj, type.tracksGeneration(), registry.clock());
    Strategy strategy = registry.strategy(type);
    strategy.prepareForCreate(obj);
    String generateName = meta.path("generateName").asText("");
    boolean generate = meta.path("name").asText("").isEmpty() && !generateName.isEmpty();
    if (generate) {
      meta.put("name", ObjectMetaRules.generateName(generateName));
    }
    strategy.applyDefaults(obj);
    List<FieldError> errors = strategy.validate(obj);
    if (!errors.isEmpty()) {
      throw StatusErrors.invalid(type.group(), type.kind(), meta.path("name").asText(generateName), errors);
    }
    if (!options.managedFieldsComputed()) {
      FieldManager.recordUpdate(null, obj, options.fieldManager(), type.apiVersion(), null,
          Instant.now(registry.clock()), type.model());
    }
    WriteHook.Reservation reserved = registry.hook(type).beforeCreate(obj, options.dryRun());
    if (options.dryRun()) {
      return new Written(obj, null);
    }
    boolean written = false;
    try {
      Written out = write(type, obj, generate, generateName);
      written = true;
      return out;
    } finally {
      if (written) {
        reserved.commit();
      } else {
        reserved.revert();
      }
    }
  }

  private Written write(ResourceType type, ObjectNode obj, boolean generate, String generateName) {
    ObjectNode meta = Json.metadata(obj);
    long ttl = type.kind().equals("Event") && type.group().isEmpty() ? EVENT_TTL_SECONDS : 0;
    for (int attempt = 1; ; attempt++) {
      String name = meta.path("name").asText();
      try {
        StoredObjects.Encoded encoded = StoredObjects.encodeWritten(obj);
        KeyValue kv = registry.storage().create(type.key(meta.path("namespace").asText(), name),
            encoded.bytes(), ttl);
        return new Written(StoredObjects.written(obj, kv), encoded.served(kv.modRevision()));
      } catch (KeyExistsException e) {
        if (!generate || attempt >= GENERATE_NAME_ATTEMPTS) {
          throw StatusErrors.alreadyExists(type.group(), type.plural(), name);
        }
        meta.put("name", ObjectMetaRules.generateName(generateName));
      }
    }
  }
}
