package io.capstan.apiserver.storage;

import java.util.Arrays;

/**
 * One version of one key, as etcd's mvccpb.KeyValue.
 *
 * @param key the full key, e.g. {@code /registry/configmaps/default/app}
 * @param value the stored bytes; {@code null} only in the {@code kv} of a DELETE watch event
 * @param createRevision the revision that created this incarnation of the key
 * @param modRevision the revision of the last write to the key (for a DELETE event: the delete's)
 * @param ttlSeconds the time to live the key was written with, 0 for none
 */
public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long ttlSeconds) {

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyValue kv
        && key.equals(kv.key)
        && Arrays.equals(value, kv.value)
        && createRevision == kv.createRevision
        && modRevision == kv.modRevision
        && ttlSeconds == kv.ttlSeconds;
  }

  @Override
  public int hashCode() {
    return key.hashCode() * 31 + Long.hashCode(modRevision);
  }

  @Override
  public String toString() {
    return "KeyValue[" + key + "@" + modRevision + " created " + createRevision + ", "
        + (value == null ? "deleted" : value.length + " bytes") + "]";
  }
}
