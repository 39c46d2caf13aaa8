package io.capstan.apiserver.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a custom resource type carries beyond a built-in one, taken from its
 * CustomResourceDefinition for one served version.
 *
 * @param schema the version's {@code openAPIV3Schema} (structural), or null when none is given
 * @param storageVersion the version objects are stored as (no conversion: only apiVersion changes)
 * @param specReplicasPath scale subresource: JSON path of desired replicas, e.g. ".spec.replicas"
 * @param statusReplicasPath scale subresource: JSON path of observed replicas
 * @param labelSelectorPath scale subresource: JSON path of the selector string, or null
 * @param printerColumns additionalPrinterColumns for Table output
 */
public record CustomResource(JsonNode schema, String storageVersion, String specReplicasPath, String statusReplicasPath,
    String labelSelectorPath, List<PrinterColumn> printerColumns) {

  /** One additionalPrinterColumn: Table column name, type, format, priority and JSON path. */
  public record PrinterColumn(String name, String type, String format, String description, int priority,
      String jsonPath) {}
}
