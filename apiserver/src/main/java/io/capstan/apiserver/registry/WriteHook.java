package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * State outside an object that its writes reserve and free, as kube-apiserver's service REST
 * BeginCreate/BeginUpdate/AfterDelete hooks (cluster IPs, node ports). The registry calls {@link
 * #beforeCreate}/{@link #beforeUpdate} after validation and right before the storage write, then
 * {@link Reservation#commit} when the write succeeded or {@link Reservation#revert} when it did
 * not; {@link #afterDelete} once the object is gone from storage.
 */
public interface WriteHook {

  /** What a create or update reserved. */
  interface Reservation {
    Reservation NONE = new Reservation() {
      @Override
      public void commit() {}

      @Override
      public void revert() {}
    };

    /** The write succeeded: free what the old object held and the new one no longer does. */
    void commit();

    /** The write failed: free what was reserved for it. */
    void revert();
  }

  /** Reserves what {@code obj} needs and fills it in; throws an ApiException (422) when it cannot. */
  Reservation beforeCreate(ObjectNode obj, boolean dryRun);

  /** As {@link #beforeCreate} for an update of {@code old} to {@code obj}. */
  Reservation beforeUpdate(ObjectNode obj, ObjectNode old, boolean dryRun);

  /** {@code removed} was deleted from storage: free what it held. */
  void afterDelete(ObjectNode removed);

  /** Hooks that do nothing (kinds without external state). */
  WriteHook NONE = new WriteHook() {
    @Override
    public Reservation beforeCreate(ObjectNode obj, boolean dryRun) {
      return Reservation.NONE;
    }

    @Override
    public Reservation beforeUpdate(ObjectNode obj, ObjectNode old, boolean dryRun) {
      return Reservation.NONE;
    }

    @Override
    public void afterDelete(ObjectNode removed) {}
  };
}
