package io.capstan.apiserver.decode.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.json.Json;
import io.kubernetes.client.proto.Runtime;
import java.nio.ByteBuffer;

/**
 * Decodes request bodies of Content-Type {@code application/vnd.kubernetes.protobuf}, which kubectl
 * sends for {@code create namespace|deployment|configmap|secret|token} and {@code auth can-i}
 * with no fallback to JSON: the magic {@code k8s\0}, then a {@code runtime.Unknown} whose {@code
 * typeMeta} names the kind and whose {@code raw} is the object's protobuf. The result is the
 * object's JSON as Kubernetes' JSON encoding of it would be (see {@link KubeJson}), so the rest of
 * the server treats it like a JSON body.
 */
public final class ProtobufBodies {
  /** The media type of Kubernetes protobuf bodies. */
  public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

  private static final byte[] MAGIC = {'k', '8', 's', 0};

  private ProtobufBodies() {}

  /**
   * The JSON object of a protobuf body, with {@code apiVersion} and {@code kind} first.
   *
   * @param expectedApiVersion the apiVersion of the request path, e.g. {@code apps/v1}; null to
   *     accept any. Also used when the body's typeMeta has none, as Kubernetes does.
   * @param expectedKind the kind of the request path, e.g. {@code Deployment}; null to accept any
   * @throws io.capstan.apiserver.errors.ApiException 400 when the magic is missing, the bytes do not
   *     decode, the kind is not decoded by this server ({@link ProtoKinds}) or is not the expected one
   */
  public static ObjectNode decode(byte[] body, String expectedApiVersion, String expectedKind) {
    String must = expectedKind == null ? "an object" : expectedKind;
    if (body == null || body.length == 0) {
      throw StatusErrors.badRequest("the object provided is unrecognized (must be of type " + must + "): empty data");
    }
    if (!hasMagic(body)) {
      throw StatusErrors.badRequest("the object provided is unrecognized (must be of type " + must
          + "): provided data does not appear to be a protobuf message, expected prefix [107 56 115 0]");
    }
    Runtime.Unknown unknown;
    try {
      unknown = Runtime.Unknown.parseFrom(ByteBuffer.wrap(body, MAGIC.length, body.length - MAGIC.length));
    } catch (InvalidProtocolBufferException e) {
      throw StatusErrors.badRequest("the object provided is unrecognized (must be of type " + must
          + "): proto: " + e.getMessage());
    }
    String apiVersion = unknown.getTypeMeta().getApiVersion();
    String kind = unknown.getTypeMeta().getKind();
    if (apiVersion.isEmpty() && expectedApiVersion != null) {
      apiVersion = expectedApiVersion;
    }
    if (kind.isEmpty() && expectedKind != null) {
      kind = expectedKind;
    }
    if (kind.isEmpty()) {
      throw StatusErrors.badRequest("Object 'Kind' is missing in the protobuf body");
    }
    if (expectedApiVersion != null && !apiVersion.equals(expectedApiVersion)) {
      throw StatusErrors.badRequest("the API version in the data (" + apiVersion
          + ") does not match the expected API version (" + expectedApiVersion + ")");
    }
    if (expectedKind != null && !kind.equals(expectedKind)) {
      throw StatusErrors.badRequest(kind + " in version \"" + version(apiVersion) + "\" cannot be handled as a "
          + expectedKind + ": the kind in the data (" + kind + ") does not match the expected kind ("
          + expectedKind + ")");
    }
    Descriptor type = ProtoKinds.descriptor(apiVersion, kind);
    if (type == null) {
      throw StatusErrors.badRequest("no kind \"" + kind + "\" is registered for version \"" + apiVersion
          + "\" in protobuf request bodies; send it as application/json");
    }
    DynamicMessage object;
    try {
      object = DynamicMessage.parseFrom(type, unknown.getRaw());
    } catch (InvalidProtocolBufferException e) {
      throw StatusErrors.badRequest(kind + " in version \"" + version(apiVersion) + "\" cannot be handled as a "
          + kind + ": proto: " + e.getMessage());
    }
    ObjectNode out = Json.object();
    out.put("apiVersion", apiVersion);
    out.put("kind", kind);
    out.setAll(KubeJson.object(object));
    return out;
  }

  /** Whether a body starts with the Kubernetes protobuf magic {@code k8s\0}. */
  public static boolean hasMagic(byte[] body) {
    if (body == null || body.length < MAGIC.length) {
      return false;
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (body[i] != MAGIC[i]) {
        return false;
      }
    }
    return true;
  }

  private static String version(String apiVersion) {
    return apiVersion.substring(apiVersion.indexOf('/') + 1);
  }
}
