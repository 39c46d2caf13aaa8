/**
 * Protobuf request bodies ({@code application/vnd.kubernetes.protobuf}), which kubectl sends for
 * some commands with no JSON fallback, decoded into the JSON that Kubernetes' JSON encoding of the
 * same object gives. Entry: {@link io.capstan.apiserver.decode.protobuf.ProtobufBodies}; the kinds:
 * {@link io.capstan.apiserver.decode.protobuf.ProtoKinds}. Message schemas come from the
 * client-java-proto jar brought up to Kubernetes v1.32; JSON presence rules from the Go struct tags.
 * Depends on json and errors; never on HTTP or storage. Deciding that a body is protobuf (and
 * answering 415 for media types the server does not take) is the caller's business.
 */
package io.capstan.apiserver.decode.protobuf;
