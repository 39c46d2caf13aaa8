package io.capstan.apiserver.registry.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.crd.CrdValidation;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.registry.strategy.Strategy;
import java.util.List;

/**
 * CustomResourceDefinitions: the CRD's own defaults and validation (group and plural never
 * change; scope and kind not once established), and the cleanup finalizer that makes deleting a
 * CRD delete its objects first.
 */
public final class CrdStrategy implements Strategy {
  /** Held on every CRD until its custom objects are gone (apiextensions-apiserver's name). */
  public static final String CLEANUP_FINALIZER = "customresourcecleanup.apiextensions.k8s.io";

  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.remove("status");
    ArrayNode finalizers = Json.metadata(obj).withArray("finalizers");
    boolean present = false;
    for (JsonNode f : finalizers) {
      present |= f.asText().equals(CLEANUP_FINALIZER);
    }
    if (!present) {
      finalizers.add(CLEANUP_FINALIZER);
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    if (old.has("status")) {
      obj.set("status", old.get("status").deepCopy());
    } else {
      obj.remove("status");
    }
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    CrdValidation.applyDefaults(obj);
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return CrdValidation.validate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
    return CrdValidation.validateUpdate(obj, old);
  }
}
