package io.capstan.apiserver.decode.protobuf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.json.Json;
import io.kubernetes.client.proto.IntStr.IntOrString;
import io.kubernetes.client.proto.Meta.LabelSelector;
import io.kubernetes.client.proto.Meta.MicroTime;
import io.kubernetes.client.proto.Meta.ObjectMeta;
import io.kubernetes.client.proto.Meta.Time;
import io.kubernetes.client.proto.Resource.Quantity;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtobufBodiesTest {
  /** Go writes empty non-pointer structs: an ObjectMeta as kubectl sends it, zero fields included. */
  private static ObjectMeta.Builder meta(String name) {
    return ObjectMeta.newBuilder().setName(name).setGenerateName("").setNamespace("").setSelfLink("").setUid("")
        .setResourceVersion("").setGeneration(0).setCreationTimestamp(Time.getDefaultInstance());
  }

  static byte[] body(String apiVersion, String kind, Message object) {
    Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
        .setRaw(object.toByteString()).setContentEncoding("").setContentType("").build();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {'k', '8', 's', 0});
    out.writeBytes(unknown.toByteArray());
    return out.toByteArray();
  }

  private static void assertJson(String expected, ObjectNode actual) {
    assertEquals(Json.parseObject(expected.getBytes()), actual, () -> "got " + actual);
    assertEquals(List.of(), Fabric8Walk.problems(actual));
  }

  @Test
  void namespaceAsKubectlCreatesIt() {
    V1.Namespace ns = V1.Namespace.newBuilder().setMetadata(meta("demo"))
        .setSpec(V1.NamespaceSpec.getDefaultInstance()).setStatus(V1.NamespaceStatus.newBuilder().setPhase(""))
        .build();
    ObjectNode json = ProtobufBodies.decode(body("v1", "Namespace", ns), "v1", "Namespace");
    assertJson("""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"demo"},"spec":{},"status":{}}""", json);
    assertEquals(List.of("apiVersion", "kind", "metadata", "spec", "status"), fieldNames(json));
  }

  @Test
  void configMapWithDataAndBinaryData() {
    V1.ConfigMap cm = V1.ConfigMap.newBuilder().setMetadata(meta("cfg").setNamespace("default"))
        .putData("b", "two").putData("a", "one").putData("empty", "")
        .putBinaryData("bin", ByteString.copyFrom(new byte[] {0, (byte) 0xff, 1})).build();
    assertJson("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg","namespace":"default"},
         "data":{"a":"one","b":"two","empty":""},"binaryData":{"bin":"AP8B"}}""",
        ProtobufBodies.decode(body("v1", "ConfigMap", cm), "v1", "ConfigMap"));
  }

  @Test
  void secretWithDataAndType() {
    V1.Secret secret = V1.Secret.newBuilder().setMetadata(meta("creds").putLabels("app", "web"))
        .putData("password", ByteString.copyFromUtf8("s3cret")).setType("Opaque").build();
    assertJson("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"creds","labels":{"app":"web"}},
         "data":{"password":"czNjcmV0"},"type":"Opaque"}""",
        ProtobufBodies.decode(body("v1", "Secret", secret), "v1", "Secret"));
  }

  @Test
  void deploymentKeepsReplicasZeroAndDropsGoZeroValues() {
    V1.Container container = V1.Container.newBuilder().setName("web").setImage("nginx:1.27")
        .addPorts(V1.ContainerPort.newBuilder().setName("").setHostPort(0).setContainerPort(80).setProtocol("TCP")
            .setHostIP(""))
        .addEnv(V1.EnvVar.newBuilder().setName("A").setValue("1"))
        .addEnv(V1.EnvVar.newBuilder().setName("B").setValue("").setValueFrom(V1.EnvVarSource.newBuilder()
            .setConfigMapKeyRef(V1.ConfigMapKeySelector.newBuilder().setKey("k")
                .setLocalObjectReference(V1.LocalObjectReference.newBuilder().setName("cfg")))))
        .setResources(V1.ResourceRequirements.newBuilder()
            .putLimits("memory", Quantity.newBuilder().setString("128Mi").build())
            .putLimits("cpu", Quantity.newBuilder().setString("500m").build())
            .putRequests("cpu", Quantity.newBuilder().setString("250m").build()))
        .setWorkingDir("").setTerminationMessagePath("").setImagePullPolicy("").setStdin(false)
        .setStdinOnce(false).setTty(false).build();
    V1.PodSpec podSpec = V1.PodSpec.newBuilder().addContainers(container).setRestartPolicy("").setDnsPolicy("")
        .setServiceAccountName("").setHostNetwork(false).setSchedulerName("").build();
    V1Apps.Deployment deployment = V1Apps.Deployment.newBuilder()
        .setMetadata(meta("web").setNamespace("default").putLabels("app", "web"))
        .setSpec(V1Apps.DeploymentSpec.newBuilder().setReplicas(0)
            .setSelector(LabelSelector.newBuilder().putMatchLabels("app", "web"))
            .setTemplate(V1.PodTemplateSpec.newBuilder()
                .setMetadata(ObjectMeta.newBuilder().putLabels("app", "web")
                    .setCreationTimestamp(Time.getDefaultInstance()))
                .setSpec(podSpec))
            .setStrategy(V1Apps.DeploymentStrategy.newBuilder().setType("")).setMinReadySeconds(0).setPaused(false))
        .setStatus(V1Apps.DeploymentStatus.newBuilder().setObservedGeneration(0).setReplicas(0)
            .setUpdatedReplicas(0).setReadyReplicas(0).setAvailableReplicas(0).setUnavailableReplicas(0))
        .build();
    assertJson("""
        {"apiVersion":"apps/v1","kind":"Deployment",
         "metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},
           "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx:1.27",
             "ports":[{"containerPort":80,"protocol":"TCP"}],
             "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"configMapKeyRef":{"name":"cfg","key":"k"}}}],
             "resources":{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"250m"}}}]}},
           "strategy":{}},
         "status":{}}""",
        ProtobufBodies.decode(body("apps/v1", "Deployment", deployment), "apps/v1", "Deployment"));
  }

  @Test
  void serviceWithIntOrStringTargetPorts() {
    V1.Service svc = V1.Service.newBuilder().setMetadata(meta("web"))
        .setSpec(V1.ServiceSpec.newBuilder()
            .addPorts(V1.ServicePort.newBuilder().setName("http").setProtocol("TCP").setPort(80).setNodePort(0)
                .setTargetPort(IntOrString.newBuilder().setType(1).setIntVal(0).setStrVal("http")))
            .addPorts(V1.ServicePort.newBuilder().setName("https").setProtocol("TCP").setPort(443)
                .setTargetPort(IntOrString.newBuilder().setType(0).setIntVal(8443).setStrVal("")))
            .putSelector("app", "web").setClusterIP("").setType("ClusterIP").setSessionAffinity("")
            .setPublishNotReadyAddresses(false))
        .setStatus(V1.ServiceStatus.newBuilder().setLoadBalancer(V1.LoadBalancerStatus.getDefaultInstance()))
        .build();
    assertJson("""
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},
         "spec":{"ports":[{"name":"http","protocol":"TCP","port":80,"targetPort":"http"},
                          {"name":"https","protocol":"TCP","port":443,"targetPort":8443}],
                 "selector":{"app":"web"},"type":"ClusterIP"},
         "status":{"loadBalancer":{}}}""",
        ProtobufBodies.decode(body("v1", "Service", svc), "v1", "Service"));
  }

  @Test
  void timesAndPointers() {
    V1.Event event = V1.Event.newBuilder().setMetadata(meta("e1").setCreationTimestamp(
            Time.newBuilder().setSeconds(1795806000L).setNanos(999)))
        .setInvolvedObject(V1.ObjectReference.newBuilder().setKind("Pod").setName("p").setApiVersion(""))
        .setFirstTimestamp(Time.newBuilder().setSeconds(0).setNanos(0))
        .setLastTimestamp(Time.getDefaultInstance())
        .setEventTime(MicroTime.newBuilder().setSeconds(1795806000L).setNanos(123456789))
        .setCount(0).setReason("").build();
    assertJson("""
        {"apiVersion":"v1","kind":"Event","metadata":{"name":"e1","creationTimestamp":"2026-11-27T19:00:00Z"},
         "involvedObject":{"kind":"Pod","name":"p"},"firstTimestamp":"1970-01-01T00:00:00Z",
         "eventTime":"2026-11-27T19:00:00.123456Z"}""",
        ProtobufBodies.decode(body("v1", "Event", event), "v1", "Event"));
  }

  @Test
  void tokenRequestAndSelfSubjectAccessReview() {
    V1Authentication.TokenRequest tr = V1Authentication.TokenRequest.newBuilder().setMetadata(meta("default"))
        .setSpec(V1Authentication.TokenRequestSpec.newBuilder().addAudiences("api").setExpirationSeconds(3600))
        .setStatus(V1Authentication.TokenRequestStatus.newBuilder().setToken("")
            .setExpirationTimestamp(Time.getDefaultInstance()))
        .build();
    assertJson("""
        {"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","metadata":{"name":"default"},
         "spec":{"audiences":["api"],"expirationSeconds":3600},"status":{"token":""}}""",
        ProtobufBodies.decode(body("authentication.k8s.io/v1", "TokenRequest", tr), "authentication.k8s.io/v1",
            "TokenRequest"));
    V1Authorization.SelfSubjectAccessReview review = V1Authorization.SelfSubjectAccessReview.newBuilder()
        .setMetadata(ObjectMeta.newBuilder().setCreationTimestamp(Time.getDefaultInstance()))
        .setSpec(V1Authorization.SelfSubjectAccessReviewSpec.newBuilder().setResourceAttributes(
            V1Authorization.ResourceAttributes.newBuilder().setNamespace("default").setVerb("create")
                .setGroup("").setVersion("").setResource("pods").setSubresource("").setName("")))
        .setStatus(V1Authorization.SubjectAccessReviewStatus.newBuilder().setAllowed(false).setDenied(false)
            .setReason("").setEvaluationError(""))
        .build();
    assertJson("""
        {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview","metadata":{},
         "spec":{"resourceAttributes":{"namespace":"default","verb":"create","resource":"pods"}},
         "status":{"allowed":false}}""",
        ProtobufBodies.decode(body("authorization.k8s.io/v1", "SelfSubjectAccessReview", review),
            "authorization.k8s.io/v1", "SelfSubjectAccessReview"));
  }

  @Test
  void everyKindFullyPopulatedUsesOnlyFabric8FieldNames() {
    for (String gvk : ProtoKinds.all()) {
      String apiVersion = gvk.substring(0, gvk.lastIndexOf('/'));
      String kind = gvk.substring(gvk.lastIndexOf('/') + 1);
      Message full = Populated.message(ProtoKinds.descriptor(apiVersion, kind));
      ObjectNode json = ProtobufBodies.decode(body(apiVersion, kind, full), apiVersion, kind);
      assertTrue(json.size() > 3, gvk);
      assertEquals(List.of(), Fabric8Walk.problems(json), gvk);
    }
  }

  @Test
  void kubectlCreateConfigmapCapturedOnTheWire() throws Exception {
    byte[] captured;
    try (InputStream in = getClass().getResourceAsStream("/protobuf/kubectl-create-configmap.bin")) {
      captured = in.readAllBytes();
    }
    assertJson("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"},"data":{"a":"b"}}""",
        ProtobufBodies.decode(captured, "v1", "ConfigMap"));
  }

  /**
   * {@code kubectl create deployment web --image=nginx:1.27 --replicas=0 --port=80} (v1.32.4) on the
   * wire; the expected JSON is its {@code --dry-run=client -o json} without {@code creationTimestamp: null}.
   */
  @Test
  void kubectlCreateDeploymentCapturedOnTheWire() {
    byte[] captured = Base64.getDecoder().decode("azhzAAoVCgdhcHBzL3YxEgpEZXBsb3ltZW50Er0BCh8KA3dlYhIAGgAiACoAMgA4AEIA"
        + "WgoKA2FwcBIDd2ViEosBCAASDAoKCgNhcHASA3dlYhpxChwKABIAGgAiACoAMgA4AEIAWgoKA2FwcBIDd2ViElESMwoFbmdpbngSCm5n"
        + "aW54OjEuMjcqADIKCgAQABhQIgAqAEIAagByAIABAIgBAJABAKIBABoAMgBCAEoAUgBYAGAAaACCAQCKAQCaAQDCAQAiAgoAKAA4ABoM"
        + "CAAQABgAIAAoADgAGgAiAA==");
    assertJson("""
        {"kind":"Deployment","apiVersion":"apps/v1","metadata":{"name":"web","labels":{"app":"web"}},
         "spec":{"replicas":0,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"nginx","image":"nginx:1.27","ports":[{"containerPort":80}],"resources":{}}]}},
           "strategy":{}},"status":{}}""",
        ProtobufBodies.decode(captured, "apps/v1", "Deployment"));
  }

  @Test
  void missingMagicIs400() {
    ApiException e = assertThrows(ApiException.class,
        () -> ProtobufBodies.decode("{\"kind\":\"Namespace\"}".getBytes(), "v1", "Namespace"));
    assertEquals(400, e.code());
    assertTrue(e.getMessage().contains("expected prefix"), e.getMessage());
    assertEquals(400, assertThrows(ApiException.class, () -> ProtobufBodies.decode(new byte[0], "v1", "Namespace"))
        .code());
  }

  @Test
  void truncatedBytesAre400() {
    byte[] full = body("v1", "ConfigMap", V1.ConfigMap.newBuilder().setMetadata(meta("cfg")).putData("a", "b").build());
    for (int cut : new int[] {5, full.length / 2, full.length - 1}) {
      ApiException e = assertThrows(ApiException.class,
          () -> ProtobufBodies.decode(Arrays.copyOf(full, cut), "v1", "ConfigMap"), "cut at " + cut);
      assertEquals(400, e.code());
    }
  }

  @Test
  void unknownKindIs400() {
    byte[] role = body("rbac.authorization.k8s.io/v1", "Role", ObjectMeta.newBuilder().setName("r").build());
    ApiException e = assertThrows(ApiException.class,
        () -> ProtobufBodies.decode(role, "rbac.authorization.k8s.io/v1", "Role"));
    assertEquals(400, e.code());
    assertTrue(e.getMessage().contains("\"Role\""), e.getMessage());
  }

  @Test
  void kindOrVersionMismatchIs400() {
    byte[] cm = body("v1", "ConfigMap", V1.ConfigMap.newBuilder().setMetadata(meta("cfg")).build());
    ApiException e = assertThrows(ApiException.class, () -> ProtobufBodies.decode(cm, "v1", "Namespace"));
    assertEquals(400, e.code());
    assertTrue(e.getMessage().contains("ConfigMap") && e.getMessage().contains("Namespace"), e.getMessage());
    ApiException v = assertThrows(ApiException.class, () -> ProtobufBodies.decode(cm, "apps/v1", "ConfigMap"));
    assertEquals(400, v.code());
    assertTrue(v.getMessage().contains("(v1)") && v.getMessage().contains("(apps/v1)"), v.getMessage());
  }

  @Test
  void emptyTypeMetaTakesTheExpectedKind() {
    byte[] bytes = body("", "", V1.Namespace.newBuilder().setMetadata(ObjectMeta.newBuilder().setName("n")).build());
    assertJson("""
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"n"}}""",
        ProtobufBodies.decode(bytes, "v1", "Namespace"));
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  /** Every field of a message set to a non-zero value, recursively: to see every JSON name once. */
  static final class Populated {
    static Message message(Descriptor d) {
      return fill(d, 0);
    }

    private static Message fill(Descriptor d, int depth) {
      DynamicMessage.Builder b = DynamicMessage.newBuilder(d);
      String name = d.getFullName();
      if (name.endsWith(".Time") || name.endsWith(".MicroTime")) {
        return b.setField(d.findFieldByName("seconds"), 1795806000L).build();
      } else if (name.endsWith(".IntOrString")) {
        return b.setField(d.findFieldByName("type"), 1L).setField(d.findFieldByName("strVal"), "x").build();
      } else if (name.endsWith(".RawExtension") || name.endsWith(".FieldsV1")) {
        return b.setField(d.getFields().get(0), ByteString.copyFromUtf8("{\"f:a\":{}}")).build();
      }
      for (FieldDescriptor f : d.getFields()) {
        if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE && depth > 20) {
          continue;
        }
        Object v = f.isMapField() ? entry(f.getMessageType(), depth) : value(f, depth);
        if (f.isRepeated()) {
          b.addRepeatedField(f, v);
        } else {
          b.setField(f, v);
        }
      }
      return b.build();
    }

    private static Message entry(Descriptor entry, int depth) {
      FieldDescriptor value = entry.findFieldByName("value");
      return DynamicMessage.newBuilder(entry).setField(entry.findFieldByName("key"), "k")
          .setField(value, value(value, depth)).build();
    }

    private static Object value(FieldDescriptor f, int depth) {
      return switch (f.getJavaType()) {
        case STRING -> "s";
        case BOOLEAN -> true;
        case INT -> 1;
        case LONG -> 1L;
        case BYTE_STRING -> ByteString.copyFromUtf8("b");
        case MESSAGE -> fill(f.getMessageType(), depth + 1);
        default -> throw new IllegalStateException(f.getFullName());
      };
    }
  }

  /** Walks a decoded object against its Fabric8 model class: every name known, every value typed. */
  static final class Fabric8Walk {
    static List<String> problems(ObjectNode json) {
      String pkg = switch (json.path("apiVersion").asText()) {
        case "v1" -> "";
        case "apps/v1" -> "apps.";
        case "authentication.k8s.io/v1" -> "authentication.";
        default -> json.path("apiVersion").asText().replaceFirst("\\..*/", ".").replace('/', '.') + ".";
      };
      List<String> out = new ArrayList<>();
      try {
        walk(json, Class.forName("io.fabric8.kubernetes.api.model." + pkg + json.path("kind").asText()), "", out);
      } catch (ClassNotFoundException e) {
        out.add("no Fabric8 class " + e.getMessage());
      }
      return out;
    }

    private static void walk(JsonNode node, Type type, String path, List<String> out) {
      if (type instanceof ParameterizedType p) {
        Type[] args = p.getActualTypeArguments();
        if (List.class.isAssignableFrom((Class<?>) p.getRawType())) {
          check(node.isArray(), path, "array", out);
          node.forEach(e -> walk(e, args[0], path + "[]", out));
        } else if (Map.class.isAssignableFrom((Class<?>) p.getRawType())) {
          check(node.isObject(), path, "object", out);
          node.fields().forEachRemaining(e -> walk(e.getValue(), args[1], path + "." + e.getKey(), out));
        }
        return;
      }
      Class<?> c = (Class<?>) type;
      if (c == String.class || c == io.fabric8.kubernetes.api.model.Quantity.class
          || c == io.fabric8.kubernetes.api.model.MicroTime.class) {
        check(node.isTextual(), path, "string", out);
      } else if (c == Integer.class || c == Long.class) {
        check(node.isIntegralNumber(), path, "integer", out);
      } else if (c == Boolean.class) {
        check(node.isBoolean(), path, "boolean", out);
      } else if (c == io.fabric8.kubernetes.api.model.IntOrString.class) {
        check(node.isTextual() || node.isInt(), path, "int-or-string", out);
      } else if (c.getName().startsWith("io.fabric8.kubernetes.api.model.") && !c.isInterface()) {
        Map<String, Type> props = properties(c);
        check(node.isObject(), path, "object", out);
        if (!props.isEmpty()) {
          node.fields().forEachRemaining(e -> {
            Type t = props.get(e.getKey());
            if (t == null) {
              out.add(path + "." + e.getKey() + ": not a property of " + c.getName());
            } else {
              walk(e.getValue(), t, path + "." + e.getKey(), out);
            }
          });
        }
      }
    }

    private static void check(boolean ok, String path, String what, List<String> out) {
      if (!ok) {
        out.add(path + ": not a JSON " + what);
      }
    }

    private static Map<String, Type> properties(Class<?> c) {
      Map<String, Type> props = new HashMap<>();
      for (Class<?> cl = c; cl != null && cl != Object.class; cl = cl.getSuperclass()) {
        for (Field f : cl.getDeclaredFields()) {
          JsonProperty jp = f.getAnnotation(JsonProperty.class);
          if (jp != null && !Modifier.isStatic(f.getModifiers()) && !f.isAnnotationPresent(JsonIgnore.class)) {
            props.putIfAbsent(jp.value().isEmpty() ? f.getName() : jp.value(), f.getGenericType());
          }
        }
      }
      return props;
    }
  }
}
