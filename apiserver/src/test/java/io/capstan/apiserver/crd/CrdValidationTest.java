package io.capstan.apiserver.crd;

import static io.capstan.apiserver.crd.Fixtures.messages;
import static io.capstan.apiserver.crd.Fixtures.yaml;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.FieldError;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class CrdValidationTest {

  private static List<FieldError> errors(ObjectNode crd) {
    CrdValidation.applyDefaults(crd);
    return CrdValidation.validate(crd);
  }

  private static List<String> cronTabWith(Consumer<ObjectNode> change) {
    ObjectNode crd = Fixtures.cronTabCrd();
    change.accept(crd);
    return messages(errors(crd));
  }

  private static List<String> widgetWith(Consumer<ObjectNode> change) {
    ObjectNode crd = Fixtures.widgetCrd();
    change.accept(crd);
    return messages(errors(crd));
  }

  private static ObjectNode spec(ObjectNode crd) {
    return (ObjectNode) crd.get("spec");
  }

  private static ObjectNode version(ObjectNode crd, int i) {
    return (ObjectNode) crd.at("/spec/versions/" + i);
  }

  @Test
  void realisticCrdsAreValid() {
    assertEquals(List.of(), messages(errors(Fixtures.cronTabCrd())));
    assertEquals(List.of(), messages(errors(Fixtures.widgetCrd())));
  }

  @Test
  void defaultsNamesAndConversion() {
    ObjectNode crd = Fixtures.widgetCrd();
    CrdValidation.applyDefaults(crd);
    assertEquals("widget", crd.at("/spec/names/singular").asText());
    assertEquals("WidgetList", crd.at("/spec/names/listKind").asText());
    assertEquals("None", crd.at("/spec/conversion/strategy").asText());
    ObjectNode cron = Fixtures.cronTabCrd();
    CrdValidation.applyDefaults(cron);
    assertEquals("crontab", cron.at("/spec/names/singular").asText(), "given names stay");
    ObjectNode hook = Fixtures.cronTabCrd();
    spec(hook).set("conversion", yaml("""
        strategy: Webhook
        webhook:
          conversionReviewVersions: [v1]
          clientConfig: {service: {namespace: default, name: converter}}
        """));
    CrdValidation.applyDefaults(hook);
    assertEquals(443, hook.at("/spec/conversion/webhook/clientConfig/service/port").asInt());
    assertEquals(List.of(), messages(CrdValidation.validate(hook)));
  }

  @Test
  void nameMustBePluralDotGroup() {
    assertEquals(List.of("metadata.name: Invalid value: \"crontab.stable.example.com\": must be "
        + "spec.names.plural+\".\"+spec.group"),
        cronTabWith(c -> ((ObjectNode) c.get("metadata")).put("name", "crontab.stable.example.com")));
    assertEquals(List.of("metadata.name: Required value: name or generateName is required"),
        cronTabWith(c -> ((ObjectNode) c.get("metadata")).remove("name")));
  }

  @Test
  void exactlyOneStorageVersion() {
    List<FieldError> errs = errors(withVersions(true, true));
    assertEquals(1, errs.size(), messages(errs).toString());
    assertEquals("spec.versions", errs.get(0).field());
    assertEquals(FieldError.Type.INVALID, errs.get(0).type());
    assertEquals("must have exactly one version marked as storage version", errs.get(0).detail());
    assertEquals("must have exactly one version marked as storage version", errors(withVersions(false, false)).get(0).detail());
  }

  private static ObjectNode withVersions(boolean firstStorage, boolean secondStorage) {
    ObjectNode crd = Fixtures.widgetCrd();
    version(crd, 0).put("storage", firstStorage);
    version(crd, 1).put("storage", secondStorage);
    return crd;
  }

  @Test
  void someVersionMustBeServed() {
    List<FieldError> errs = errors(Fixtures.cronTabCrd().deepCopy());
    assertEquals(List.of(), errs);
    ObjectNode crd = Fixtures.cronTabCrd();
    version(crd, 0).put("served", false);
    errs = errors(crd);
    assertEquals(1, errs.size());
    assertEquals("spec.versions", errs.get(0).field());
    assertEquals("must have at least one version marked as served", errs.get(0).detail());
  }

  @Test
  void versionNamesAreUniqueDnsLabels() {
    List<String> errs = widgetWith(c -> version(c, 0).put("name", "v1"));
    assertEquals(1, errs.size(), errs.toString());
    assertTrue(errs.get(0).startsWith("spec.versions: Invalid value: ") && errs.get(0).endsWith("must contain unique version names"));
    List<String> bad = widgetWith(c -> version(c, 1).put("name", "V1"));
    assertTrue(bad.get(0).startsWith("spec.versions[1].name: Invalid value: \"V1\": a DNS-1035 label must consist of"), bad.toString());
  }

  @Test
  void scopeAndGroup() {
    assertEquals(List.of("spec.scope: Unsupported value: \"Global\": supported values: \"Cluster\", \"Namespaced\""),
        cronTabWith(c -> spec(c).put("scope", "Global")));
    assertEquals(List.of("spec.scope: Required value"), cronTabWith(c -> spec(c).remove("scope")));
    List<String> errs = cronTabWith(c -> {
      spec(c).put("group", "stable");
      ((ObjectNode) c.get("metadata")).put("name", "crontabs.stable");
    });
    assertEquals(List.of("spec.group: Invalid value: \"stable\": should be a domain with at least one dot"), errs);
  }

  @Test
  void nonStructuralSchemasAreReportedWhereUpstreamReportsThem() {
    assertEquals(List.of("spec.validation.openAPIV3Schema.properties[spec].type: Required value: must not be empty for "
        + "specified object fields"), cronTabWith(c -> ((ObjectNode) c.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec"))
        .remove("type")));
    List<String> perVersion = widgetWith(c -> ((ObjectNode) c.at("/spec/versions/1/schema/openAPIV3Schema/properties/spec/properties/tags"))
        .remove("items"));
    assertTrue(perVersion.contains("spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[tags].items: "
        + "Required value: must be specified"), perVersion.toString());
    assertEquals(List.of("spec.versions[0].schema.openAPIV3Schema: Required value"),
        cronTabWith(c -> version(c, 0).remove("schema")));
    assertEquals(List.of("spec.validation.openAPIV3Schema.nullable: Forbidden: nullable cannot be true at the root"),
        cronTabWith(c -> ((ObjectNode) c.at("/spec/versions/0/schema/openAPIV3Schema")).put("nullable", true)));
  }

  @Test
  void statusSubresourceRestrictsTheRootSchema() {
    List<String> errs = widgetWith(c -> {
      for (int i = 0; i < 2; i++) {
        ((ObjectNode) c.at("/spec/versions/" + i + "/schema/openAPIV3Schema")).put("minProperties", 1);
      }
    });
    assertEquals(1, errs.size(), errs.toString());
    assertTrue(errs.get(0).startsWith("spec.validation.openAPIV3Schema: Invalid value: "), errs.toString());
    assertTrue(errs.get(0).endsWith(": only [Description Type Format Title Maximum ExclusiveMaximum Minimum "
        + "ExclusiveMinimum MaxLength MinLength Pattern MaxItems MinItems UniqueItems MultipleOf Required Items "
        + "Properties ExternalDocs Example XPreserveUnknownFields XValidations] fields are allowed at the root of the "
        + "schema if the status subresource is enabled"), errs.get(0));
  }

  @Test
  void scaleSubresourcePaths() {
    List<String> errs = widgetWith(c -> {
      for (int i = 0; i < 2; i++) {
        ObjectNode scale = (ObjectNode) c.at("/spec/versions/" + i + "/subresources/scale");
        scale.put("specReplicasPath", "spec.replicas");
        scale.put("statusReplicasPath", ".spec.replicas");
        scale.put("labelSelectorPath", ".selector");
      }
    });
    assertEquals(List.of(
        "spec.subresources.scale.specReplicasPath: Invalid value: \"spec.replicas\": must be a simple json path starting with .",
        "spec.subresources.scale.statusReplicasPath: Invalid value: \".spec.replicas\": should be a json path under .status",
        "spec.subresources.scale.labelSelectorPath: Invalid value: \".selector\": should be a json path under either .spec or .status"),
        errs);
    List<String> oneVersion = widgetWith(c -> ((ObjectNode) c.at("/spec/versions/0/subresources/scale")).remove("specReplicasPath"));
    assertEquals(List.of("spec.versions[0].subresources.scale.specReplicasPath: Required value"), oneVersion);
  }

  @Test
  void printerColumns() {
    List<String> errs = widgetWith(c -> {
      for (int i = 0; i < 2; i++) {
        ObjectNode col = (ObjectNode) c.at("/spec/versions/" + i + "/additionalPrinterColumns/0");
        col.put("type", "int");
        col.remove("jsonPath");
        col.put("format", "weird");
      }
    });
    assertEquals(List.of(
        "spec.additionalPrinterColumns[0].type: Invalid value: \"int\": must be one of boolean,date,integer,number,string",
        "spec.additionalPrinterColumns[0].format: Invalid value: \"weird\": must be one of byte,date,date-time,double,float,int32,int64,password",
        "spec.additionalPrinterColumns[0].JSONPath: Required value"), errs);
  }

  @Test
  void namesAreDnsLabels() {
    List<String> errs = widgetWith(c -> {
      ((ArrayNode) c.at("/spec/names/shortNames")).add("W D");
      ((ObjectNode) c.at("/spec/names")).put("listKind", "Widget");
    });
    assertEquals(2, errs.size(), errs.toString());
    assertTrue(errs.get(0).startsWith("spec.names.shortNames[1]: Invalid value: \"W D\": a DNS-1035 label"), errs.get(0));
    assertEquals("spec.names.listKind: Invalid value: \"Widget\": kind and listKind may not be the same", errs.get(1));
    assertEquals(List.of("spec.names.plural: Required value",
        "spec.names.kind: Required value",
        "spec.names.listKind: Required value",
        "metadata.name: Invalid value: \"crontabs.stable.example.com\": must be spec.names.plural+\".\"+spec.group")
            .stream().sorted().toList(),
        cronTabWith(c -> {
          ((ObjectNode) c.at("/spec/names")).remove("plural");
          ((ObjectNode) c.at("/spec/names")).remove("kind");
        }).stream().sorted().toList());
  }

  @Test
  void webhookConversionNeedsAClient() {
    assertEquals(List.of("spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook",
        "spec.conversion.conversionReviewVersions: Required value"),
        cronTabWith(c -> spec(c).putObject("conversion").put("strategy", "Webhook")));
    assertEquals(List.of("spec.conversion.webhookClientConfig: Forbidden: should not be set when strategy is not set to Webhook"),
        cronTabWith(c -> spec(c).set("conversion", yaml("{strategy: None, webhook: {clientConfig: {url: 'https://x'}}}"))));
  }

  @Test
  void protectedGroupsNeedApproval() {
    List<String> errs = cronTabWith(c -> {
      spec(c).put("group", "stable.k8s.io");
      ((ObjectNode) c.get("metadata")).put("name", "crontabs.stable.k8s.io");
    });
    assertEquals(List.of("metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have "
        + "approval annotation \"api-approved.kubernetes.io\", see https://github.com/kubernetes/enhancements/pull/1111"), errs);
  }

  @Test
  void updatesKeepGroupAndPlural() {
    ObjectNode old = Fixtures.cronTabCrd();
    ObjectNode renamed = Fixtures.cronTabCrd();
    ((ObjectNode) renamed.at("/spec/names")).put("plural", "crons");
    ((ObjectNode) renamed.get("metadata")).put("name", "crons.stable.example.com");
    CrdValidation.applyDefaults(old);
    CrdValidation.applyDefaults(renamed);
    assertEquals(List.of("spec.names.plural: Invalid value: \"crons\": field is immutable"),
        messages(CrdValidation.validateUpdate(renamed, old)));
    assertEquals(List.of(), messages(CrdValidation.validateUpdate(old.deepCopy(), old)));
    ObjectNode clusterScoped = old.deepCopy();
    spec(clusterScoped).put("scope", "Cluster");
    assertEquals(List.of(), messages(CrdValidation.validateUpdate(clusterScoped, old)), "not established yet");
    old.putObject("status").putArray("conditions").add(yaml("{type: Established, status: 'True'}"));
    assertEquals(List.of("spec.scope: Invalid value: \"Cluster\": field is immutable"),
        messages(CrdValidation.validateUpdate(clusterScoped, old)));
  }
}
