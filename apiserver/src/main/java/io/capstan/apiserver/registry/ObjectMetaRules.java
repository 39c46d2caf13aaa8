package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.json.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

/**
 * The system-owned fields of {@code metadata} (uid, creationTimestamp, generation,
 * deletionTimestamp, deletionGracePeriodSeconds): set on create, carried over on update, never
 * taken from clients.
 */
final class ObjectMetaRules {
  /** Consonants and digits that cannot spell words, as apiserver's name generator uses. */
  private static final char[] ALPHABET = "bcdfghjklmnpqrstvwxz2456789".toCharArray();
  private static final List<String> SYSTEM_FIELDS =
      List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ObjectMetaRules() {}

  static String timestamp(Clock clock) {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock).truncatedTo(ChronoUnit.SECONDS));
  }

  static String timestamp(Instant instant) {
    return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
  }

  /** A name from {@code generateName}: the prefix cut to 58 characters plus 5 random ones. */
  static String generateName(String prefix) {
    String base = prefix.length() > 58 ? prefix.substring(0, 58) : prefix;
    StringBuilder sb = new StringBuilder(base);
    for (int i = 0; i < 5; i++) {
      sb.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return sb.toString();
  }

  static void fillOnCreate(ObjectNode obj, boolean tracksGeneration, Clock clock) {
    ObjectNode meta = Json.metadata(obj);
    SYSTEM_FIELDS.forEach(meta::remove);
    meta.put("uid", UUID.randomUUID().toString());
    meta.put("creationTimestamp", timestamp(clock));
    if (tracksGeneration) {
      meta.put("generation", 1);
    }
  }

  /** Copies the system fields of {@code old} into {@code obj}. */
  static void carryOver(ObjectNode obj, ObjectNode old) {
    ObjectNode meta = Json.metadata(obj);
    ObjectNode oldMeta = Json.metadata(old);
    for (String f : SYSTEM_FIELDS) {
      JsonNode v = oldMeta.get(f);
      if (v == null) {
        meta.remove(f);
      } else {
        meta.set(f, v.deepCopy());
      }
    }
  }

  static boolean isBeingDeleted(ObjectNode obj) {
    return Json.metadata(obj).hasNonNull("deletionTimestamp");
  }

  static boolean hasFinalizers(ObjectNode obj) {
    JsonNode f = Json.metadata(obj).get("finalizers");
    return f != null && f.isArray() && !f.isEmpty();
  }

  /**
   * Whether anything still holds a deleted object: metadata finalizers, or for namespaces the
   * {@code spec.finalizers} that the namespace lifecycle removes once the namespace is empty.
   */
  static boolean isHeld(ObjectNode obj) {
    if (hasFinalizers(obj)) {
      return true;
    }
    JsonNode specFinalizers = obj.path("spec").get("finalizers");
    return "Namespace".equals(obj.path("kind").asText()) && specFinalizers != null && specFinalizers.isArray()
        && !specFinalizers.isEmpty();
  }
}
