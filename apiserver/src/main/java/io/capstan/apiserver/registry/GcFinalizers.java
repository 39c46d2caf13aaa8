package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import io.capstan.apiserver.resources.ResourceType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The garbage-collection finalizers a delete leaves on an object, as kube-apiserver's generic
 * store decides them: {@code foregroundDeletion} for a Foreground delete, {@code orphan} for an
 * Orphan delete (or {@code orphanDependents=true}), neither for Background. Without a policy in
 * the request, a GC finalizer the object already carries wins, then the kind's default.
 *
 * <p>Defaults: ReplicationController (core v1) and Job (batch/v1) orphan their dependents for
 * backwards compatibility; Events take no GC finalizers at all; everything else (apps/v1,
 * custom resources, ...) deletes dependents in the background.
 */
public final class GcFinalizers {
  /** The finalizer a Foreground delete sets; the garbage collector removes it. */
  public static final String FOREGROUND = "foregroundDeletion";
  /** The finalizer an Orphan delete sets; the garbage collector removes it. */
  public static final String ORPHAN = "orphan";

  private GcFinalizers() {}

  /** The default policy of a kind when a delete names none. */
  enum Policy { BACKGROUND, ORPHAN, UNSUPPORTED }

  static Policy defaultPolicy(ResourceType type) {
    if (type.isCustom()) {
      return Policy.BACKGROUND;
    }
    String gv = type.apiVersion();
    return switch (type.kind()) {
      case "ReplicationController" -> gv.equals("v1") ? Policy.ORPHAN : Policy.BACKGROUND;
      case "Job" -> gv.equals("batch/v1") ? Policy.ORPHAN : Policy.BACKGROUND;
      case "Event" -> gv.equals("v1") || gv.startsWith("events.k8s.io/") ? Policy.UNSUPPORTED : Policy.BACKGROUND;
      default -> Policy.BACKGROUND;
    };
  }

  /**
   * The warning a delete of a Job without any policy gets (its pods are orphaned), else null.
   */
  public static String defaultPolicyWarning(ResourceType type, DeleteOptions options) {
    if (!type.isCustom() && type.kind().equals("Job") && type.apiVersion().equals("batch/v1")
        && options.propagationPolicy() == null && options.orphanDependents() == null) {
      return "child pods are preserved by default when jobs are deleted; set propagationPolicy=Background "
          + "to remove them or set propagationPolicy=Orphan to suppress this warning";
    }
    return null;
  }

  /**
   * The object's finalizers after this delete: the other finalizers in order, then the GC
   * finalizer the options (or the object, or the kind) call for.
   */
  static List<String> after(ResourceType type, ObjectNode obj, DeleteOptions options) {
    List<String> current = finalizers(obj);
    Policy def = defaultPolicy(type);
    if (def == Policy.UNSUPPORTED) {
      return current;
    }
    List<String> out = new ArrayList<>();
    for (String f : current) {
      if (!f.equals(FOREGROUND) && !f.equals(ORPHAN)) {
        out.add(f);
      }
    }
    String gc = gcFinalizer(current, def, options);
    if (gc != null) {
      out.add(gc);
    }
    return new LinkedHashSet<>(out).equals(new LinkedHashSet<>(current)) ? current : out;
  }

  private static String gcFinalizer(List<String> current, Policy def, DeleteOptions options) {
    if (options.orphanDependents() != null) {
      return options.orphanDependents() ? ORPHAN : null;
    }
    if (options.propagationPolicy() != null) {
      return switch (options.propagationPolicy()) {
        case "Orphan" -> ORPHAN;
        case "Foreground" -> FOREGROUND;
        default -> null;
      };
    }
    for (String f : current) {
      if (f.equals(ORPHAN) || f.equals(FOREGROUND)) {
        return f;
      }
    }
    return def == Policy.ORPHAN ? ORPHAN : null;
  }

  static List<String> finalizers(ObjectNode obj) {
    List<String> out = new ArrayList<>();
    JsonNode f = Json.metadata(obj).get("finalizers");
    if (f != null && f.isArray()) {
      f.forEach(n -> out.add(n.asText()));
    }
    return out;
  }
}
