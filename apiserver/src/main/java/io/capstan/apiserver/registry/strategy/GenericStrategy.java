package io.capstan.apiserver.registry.strategy;

import io.capstan.apiserver.validation.Names;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;

/**
 * The strategy of kinds without rules of their own: metadata validation only, and, when the kind
 * has a status subresource, status kept out of main-resource writes.
 */
public class GenericStrategy implements Strategy {
  private final Names.Format nameFormat;
  private final boolean statusSubresource;

  public GenericStrategy(Names.Format nameFormat, boolean statusSubresource) {
    this.nameFormat = nameFormat;
    this.statusSubresource = statusSubresource;
  }

  @Override
  public void prepareForCreate(ObjectNode obj) {
    if (statusSubresource) {
      obj.remove("status");
    }
  }

  @Override
  public void prepareForUpdate(ObjectNode obj, ObjectNode old) {
    if (statusSubresource) {
      StatusRules.keepStoredStatus(obj, old);
    }
  }

  @Override
  public List<FieldError> validate(ObjectNode obj) {
    return MetadataValidation.validate(obj, nameFormat);
  }
}
