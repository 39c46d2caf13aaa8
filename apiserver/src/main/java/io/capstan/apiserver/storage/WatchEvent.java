package io.capstan.apiserver.storage;

/**
 * One change seen by a watch, as etcd's mvccpb.Event.
 *
 * <p>PUT: {@code kv} is the new version; {@code prevKv} the one it replaced, or {@code null} when
 * the write created the key. DELETE: {@code kv} has the key, a {@code null} value and the delete's
 * revision as modRevision; {@code prevKv} is the deleted version (never null).
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {

  /** What happened to the key. */
  public enum Type {
    PUT,
    DELETE
  }

  /** The revision of the write that produced this event. */
  public long revision() {
    return kv.modRevision();
  }

  /** Whether this PUT created the key. */
  public boolean isCreate() {
    return type == Type.PUT && prevKv == null;
  }
}
