package io.capstan.apiserver.selection;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.resources.ResourceType;

/** A label selector and a field selector together, applied to objects of one resource. */
public record Selection(ResourceType type, LabelSelector labels, FieldSelector fields) {

  public static Selection parse(ResourceType type, String labelSelector, String fieldSelector) {
    return new Selection(type, LabelSelector.parse(labelSelector),
        FieldSelector.parse(fieldSelector, FieldSets.supported(type), type.plural()));
  }

  public boolean isEverything() {
    return labels.isEverything() && fields.isEverything();
  }

  public boolean matches(JsonNode obj) {
    if (isEverything()) {
      return true;
    }
    return labels.matches(FieldSets.labels(obj)) && (fields.isEverything() || fields.matches(FieldSets.values(type, obj)));
  }
}
