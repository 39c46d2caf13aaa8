package io.capstan.apiserver.registry.custom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.crd.SchemaDefaulter;
import io.capstan.apiserver.crd.SchemaPruner;
import io.capstan.apiserver.crd.SchemaValidator;
import io.capstan.apiserver.crd.StructuralSchema;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.registry.strategy.MetadataValidation;
import io.capstan.apiserver.validation.Names;
import io.capstan.apiserver.registry.strategy.Strategy;
import io.capstan.apiserver.resources.ResourceType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Custom resources: unknown fields pruned, schema defaults applied, schema validation, status
 * kept apart when the CRD declares a status subresource, and generation bumped by any change
 * outside metadata and status (as apiextensions-apiserver does).
 */
public final class CustomResourceStrategy implements Strategy {
  private final StructuralSchema schema;
  private final boolean statusSubresource;

  public CustomResourceStrategy(ResourceType type) {
    JsonNode s = type.custom().schema();
    this.schema = s == null ? null : StructuralSchema.parse(s);
    this.statusSubresource = type.hasSubresource("status");
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    if (statusSubresource) {
      obj.remove("status");
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    if (!statusSubresource) {
      return;
    }
    if (old.has("status")) {
      obj.set("status", old.get("status").deepCopy());
    } else {
      obj.remove("status");
    }
  }

  @Override
  public void applyDefaults(ObjectNode obj) {
    if (schema != null) {
      SchemaPruner.prune(obj, schema);
      SchemaDefaulter.applyDefaults(obj, schema);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    List<FieldError> errs = new ArrayList<>(MetadataValidation.validate(obj, Names.Format.SUBDOMAIN));
    if (schema != null) {
      errs.addAll(SchemaValidator.validate(obj, schema));
    }
    return errs;
  }

  @Override
  public boolean specChanged(ObjectNode obj, ObjectNode old) {
    return !Objects.equals(withoutMetaAndStatus(obj), withoutMetaAndStatus(old));
  }

  /** Unknown fields of {@code obj} (for fieldValidation Strict/Warn), without changing it. */
  public List<String> unknownFields(ObjectNode obj) {
    return schema == null ? List.of() : SchemaPruner.prune(obj.deepCopy(), schema);
  }

  private static ObjectNode withoutMetaAndStatus(ObjectNode obj) {
    ObjectNode copy = obj.deepCopy();
    copy.remove("metadata");
    copy.remove("status");
    return copy;
  }
}
