package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/** Namespaces: DNS-1123 label names, the "kubernetes" finalizer, phase Active until deleted. */
public final class NamespaceStrategy implements Strategy {
  @Override
  public void prepareForCreate(ObjectNode obj) {
    obj.putObject("status").put("phase", "Active");
    obj.withObject("/spec").putArray("finalizers").add("kubernetes");
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    // Status and spec.finalizers change through the lifecycle only.
    obj.set("status", old.path("status").deepCopy());
    obj.set("spec", old.path("spec").deepCopy());
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    ObjectNode labels = obj.withObject("/metadata").withObject("/labels");
    labels.put("kubernetes.io/metadata.name", obj.path("metadata").path("name").asText());
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return MetadataValidation.validate(obj, Names.Format.LABEL);
  }
}
