package io.capstan.apiserver.registry.custom;

import com.fasterxml.jackson.databind.JsonNode;
import io.capstan.apiserver.resources.CustomResource;
import io.capstan.apiserver.resources.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The resource types a CustomResourceDefinition serves: one per served version. */
final class CrdTypes {
  private CrdTypes() {}

  static List<ResourceType> of(JsonNode crd) {
    JsonNode spec = crd.path("spec");
    JsonNode names = spec.path("names");
    String group = spec.path("group").asText();
    String plural = names.path("plural").asText();
    String kind = names.path("kind").asText();
    String singular = names.path("singular").asText(kind.toLowerCase(java.util.Locale.ROOT));
    boolean namespaced = !"Cluster".equals(spec.path("scope").asText("Namespaced"));
    List<String> shortNames = texts(names.path("shortNames"));
    List<String> categories = texts(names.path("categories"));
    String storageVersion = "";
    for (JsonNode v : spec.path("versions")) {
      if (v.path("storage").asBoolean()) {
        storageVersion = v.path("name").asText();
      }
    }
    List<ResourceType> out = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      if (!v.path("served").asBoolean(true)) {
        continue;
      }
      JsonNode sub = v.path("subresources");
      Set<String> subresources = new LinkedHashSet<>();
      if (sub.has("status")) {
        subresources.add("status");
      }
      JsonNode scale = sub.get("scale");
      if (scale != null) {
        subresources.add("scale");
      }
      JsonNode schema = v.path("schema").get("openAPIV3Schema");
      CustomResource custom = new CustomResource(schema, storageVersion,
          scale == null ? null : scale.path("specReplicasPath").asText(null),
          scale == null ? null : scale.path("statusReplicasPath").asText(null),
          scale == null ? null : scale.path("labelSelectorPath").asText(null),
          columns(v.path("additionalPrinterColumns")));
      out.add(new ResourceType(group, v.path("name").asText(), kind, plural, singular, namespaced, shortNames,
          categories, subresources, group + "/" + plural, null, true, custom));
    }
    return out;
  }

  private static List<CustomResource.PrinterColumn> columns(JsonNode cols) {
    List<CustomResource.PrinterColumn> out = new ArrayList<>();
    for (JsonNode c : cols) {
      out.add(new CustomResource.PrinterColumn(c.path("name").asText(), c.path("type").asText("string"),
          c.path("format").asText(""), c.path("description").asText(""), c.path("priority").asInt(0),
          c.path("jsonPath").asText()));
    }
    return out;
  }

  private static List<String> texts(JsonNode arr) {
    List<String> out = new ArrayList<>();
    arr.forEach(n -> out.add(n.asText()));
    return List.copyOf(out);
  }
}
