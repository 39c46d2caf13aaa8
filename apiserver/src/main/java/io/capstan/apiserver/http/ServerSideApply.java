package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.decode.BodyDecoder;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.registry.Registry;
import io.capstan.apiserver.registry.WriteOptions;
import io.capstan.apiserver.registry.fieldmanager.FieldManager;
import io.capstan.apiserver.resources.ResourceType;
import java.time.Instant;
import java.util.List;

/**
 * {@code PATCH} with {@code application/apply-patch+yaml}: the configuration (YAML or JSON) is
 * applied by the field manager, which owns conflicts and managedFields; the result is then
 * written as a create (201, when the object does not exist) or an update, retried when another
 * writer got in between.
 */
final class ServerSideApply {
  static final String MEDIA_TYPE = "application/apply-patch+yaml";
  private static final int MAX_ATTEMPTS = 16;
  private final Registry registry;

  /** The object written and whether the apply created it. */
  record Result(ObjectNode object, boolean created) {}

  ServerSideApply(Registry registry) {
    this.registry = registry;
  }

  Result apply(ResourceType type, String ns, String name, byte[] body, String fieldManagerParam, boolean force,
      WriteOptions options, boolean status) {
    if (fieldManagerParam == null || fieldManagerParam.isEmpty()) {
      throw StatusErrors.invalid("meta.k8s.io", "PatchOptions", "", List.of(
          FieldError.required("fieldManager", "is required for apply patch")));
    }
    JsonNode parsed = BodyDecoder.decodeAny(body, "application/yaml");
    if (!(parsed instanceof ObjectNode config)) {
      throw StatusErrors.badRequest("the apply configuration must be an object");
    }
    WriteOptions computed = options.withManagedFieldsComputed();
    for (int attempt = 0; ; attempt++) {
      ObjectNode live = current(type, ns, name);
      if (live == null && status) {
        throw StatusErrors.notFound(type.group(), type.plural(), name);
      }
      ObjectNode result = FieldManager.apply(live, config, fieldManagerParam, force, type.apiVersion(),
          status ? "status" : null, Instant.now(), type.model());
      try {
        if (live == null) {
          result.withObject("/metadata").put("name", name);
          return new Result(registry.create(type, ns, result, computed), true);
        }
        ObjectNode written = status ? registry.updateStatus(type, ns, name, result, computed)
            : registry.update(type, ns, name, result, computed);
        return new Result(written, false);
      } catch (ApiException e) {
        boolean race = (e.code() == 409 && ("Conflict".equals(e.reason()) || "AlreadyExists".equals(e.reason())))
            || (e.code() == 404 && live != null);
        if (!race || attempt >= MAX_ATTEMPTS || !config.path("metadata").path("resourceVersion").asText("").isEmpty()) {
          throw e;
        }
      }
    }
  }

  private ObjectNode current(ResourceType type, String ns, String name) {
    try {
      return registry.get(type, ns, name, null);
    } catch (ApiException e) {
      if (e.code() == 404) {
        return null;
      }
      throw e;
    }
  }
}
