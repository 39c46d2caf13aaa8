package io.capstan.apiserver.decode.protobuf;

import com.google.protobuf.DescriptorProtos.DescriptorProto;
import com.google.protobuf.DescriptorProtos.FieldDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.MessageOptions;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.FileDescriptor;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import io.kubernetes.client.proto.V1Authentication;
import io.kubernetes.client.proto.V1Authorization;
import io.kubernetes.client.proto.V1Autoscaling;
import io.kubernetes.client.proto.V1Batch;
import io.kubernetes.client.proto.V1Policy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The message descriptors of Kubernetes v1.32's API types: the files of the client-java-proto jar,
 * brought up to v1.32 with {@link UpstreamProtos}, rebuilt together so that for example a
 * Deployment's pod template sees the added PodSpec fields. Messages are then parsed as {@link
 * com.google.protobuf.DynamicMessage}s of these descriptors.
 */
final class ProtoSchemas {
  private static final Pattern FIELD = Pattern.compile("(optional|repeated) (\\S+) (\\w+) = (\\d+);");
  private static final Pattern MAP = Pattern.compile("map<(\\w+), (\\S+)> (\\w+) = (\\d+);");
  private static final Map<String, FieldDescriptorProto.Type> SCALARS = Map.of(
      "string", FieldDescriptorProto.Type.TYPE_STRING, "bytes", FieldDescriptorProto.Type.TYPE_BYTES,
      "bool", FieldDescriptorProto.Type.TYPE_BOOL, "int32", FieldDescriptorProto.Type.TYPE_INT32,
      "int64", FieldDescriptorProto.Type.TYPE_INT64, "double", FieldDescriptorProto.Type.TYPE_DOUBLE,
      "float", FieldDescriptorProto.Type.TYPE_FLOAT);

  private static final Map<String, Descriptor> MESSAGES = build();

  private ProtoSchemas() {}

  /** The descriptor of a message by full name, e.g. {@code k8s.io.api.core.v1.Pod}, or null. */
  static Descriptor message(String fullName) {
    return MESSAGES.get(fullName);
  }

  private static Map<String, Descriptor> build() {
    Map<String, FileDescriptorProto> protos = new LinkedHashMap<>();
    for (FileDescriptor root : List.of(V1.getDescriptor(), V1Apps.getDescriptor(), V1Batch.getDescriptor(),
        V1Authentication.getDescriptor(), V1Authorization.getDescriptor(), V1Policy.getDescriptor(),
        V1Autoscaling.getDescriptor())) {
      collect(root, protos);
    }
    UpstreamProtos.PATCHES.forEach((name, text) -> protos.put(name, merge(protos.get(name), parse(text))));
    UpstreamProtos.FILES.forEach((name, text) -> protos.put(name, parse(text).setName(name).build()));
    Map<String, FileDescriptor> built = new HashMap<>();
    Map<String, Descriptor> messages = new HashMap<>();
    for (String name : protos.keySet()) {
      for (Descriptor d : build(name, protos, built).getMessageTypes()) {
        messages.put(d.getFullName(), d);
      }
    }
    return Map.copyOf(messages);
  }

  private static void collect(FileDescriptor file, Map<String, FileDescriptorProto> out) {
    if (out.containsKey(file.getName())) {
      return;
    }
    file.getDependencies().forEach(dep -> collect(dep, out));
    out.put(file.getName(), file.toProto());
  }

  private static FileDescriptor build(String name, Map<String, FileDescriptorProto> protos,
      Map<String, FileDescriptor> built) {
    FileDescriptor done = built.get(name);
    if (done != null) {
      return done;
    }
    FileDescriptorProto proto = protos.get(name);
    if (proto == null) {
      throw new IllegalStateException("protobuf schema: no file " + name);
    }
    FileDescriptor[] deps = proto.getDependencyList().stream()
        .map(dep -> build(dep, protos, built)).toArray(FileDescriptor[]::new);
    try {
      FileDescriptor file = FileDescriptor.buildFrom(proto, deps);
      built.put(name, file);
      return file;
    } catch (DescriptorValidationException e) {
      throw new IllegalStateException("protobuf schema: " + name + ": " + e.getMessage(), e);
    }
  }

  /** The jar's file with the patch's messages added, or merged into the messages of that name. */
  private static FileDescriptorProto merge(FileDescriptorProto base, FileDescriptorProto.Builder patch) {
    FileDescriptorProto.Builder out = base.toBuilder();
    for (String dep : patch.getDependencyList()) {
      if (!out.getDependencyList().contains(dep)) {
        out.addDependency(dep);
      }
    }
    for (DescriptorProto add : patch.getMessageTypeList()) {
      DescriptorProto.Builder target = out.getMessageTypeBuilderList().stream()
          .filter(m -> m.getName().equals(add.getName())).findFirst().orElse(null);
      if (target == null) {
        out.addMessageType(add);
        continue;
      }
      Set<Integer> removed = new HashSet<>();
      add.getReservedRangeList().forEach(r -> {
        for (int n = r.getStart(); n < r.getEnd(); n++) {
          removed.add(n);
        }
      });
      for (int i = target.getFieldCount() - 1; i >= 0; i--) {
        if (removed.contains(target.getField(i).getNumber())) {
          target.removeField(i);
        }
      }
      target.addAllField(add.getFieldList());
      target.addAllNestedType(add.getNestedTypeList());
    }
    return out.build();
  }

  /** Reads the proto2 subset of {@link UpstreamProtos}. */
  static FileDescriptorProto.Builder parse(String text) {
    FileDescriptorProto.Builder file = FileDescriptorProto.newBuilder().setSyntax("proto2");
    DescriptorProto.Builder msg = null;
    for (String raw : text.split("\n")) {
      String line = raw.strip();
      Matcher f = FIELD.matcher(line);
      Matcher m = MAP.matcher(line);
      if (line.isEmpty()) {
        continue;
      } else if (line.startsWith("package ")) {
        file.setPackage(line.substring(8, line.length() - 1));
      } else if (line.startsWith("import ")) {
        file.addDependency(line.substring(line.indexOf('"') + 1, line.lastIndexOf('"')));
      } else if (line.startsWith("message ") && line.endsWith("{")) {
        msg = DescriptorProto.newBuilder().setName(line.substring(8, line.length() - 1).strip());
      } else if (line.equals("}") && msg != null) {
        file.addMessageType(msg);
        msg = null;
      } else if (line.startsWith("reserved ") && msg != null) {
        int n = Integer.parseInt(line.substring(9, line.length() - 1).strip());
        msg.addReservedRange(DescriptorProto.ReservedRange.newBuilder().setStart(n).setEnd(n + 1));
      } else if (f.matches() && msg != null) {
        FieldDescriptorProto.Label label = f.group(1).equals("repeated")
            ? FieldDescriptorProto.Label.LABEL_REPEATED : FieldDescriptorProto.Label.LABEL_OPTIONAL;
        msg.addField(field(f.group(3), Integer.parseInt(f.group(4)), label, f.group(2), file.getPackage()));
      } else if (m.matches() && msg != null) {
        String entry = Character.toUpperCase(m.group(3).charAt(0)) + m.group(3).substring(1) + "Entry";
        String scope = file.getPackage() + "." + msg.getName();
        msg.addNestedType(DescriptorProto.newBuilder().setName(entry)
            .setOptions(MessageOptions.newBuilder().setMapEntry(true))
            .addField(field("key", 1, FieldDescriptorProto.Label.LABEL_OPTIONAL, m.group(1), file.getPackage()))
            .addField(field("value", 2, FieldDescriptorProto.Label.LABEL_OPTIONAL, m.group(2), file.getPackage())));
        msg.addField(field(m.group(3), Integer.parseInt(m.group(4)), FieldDescriptorProto.Label.LABEL_REPEATED,
            "." + scope + "." + entry, file.getPackage()));
      } else {
        throw new IllegalStateException("protobuf schema: cannot read line: " + line);
      }
    }
    return file;
  }

  private static FieldDescriptorProto field(String name, int number, FieldDescriptorProto.Label label,
      String type, String pkg) {
    FieldDescriptorProto.Builder b = FieldDescriptorProto.newBuilder().setName(name).setNumber(number)
        .setLabel(label).setJsonName(name);
    FieldDescriptorProto.Type scalar = SCALARS.get(type);
    if (scalar != null) {
      return b.setType(scalar).build();
    }
    return b.setType(FieldDescriptorProto.Type.TYPE_MESSAGE)
        .setTypeName(type.startsWith(".") ? type : "." + pkg + "." + type).build();
  }
}
