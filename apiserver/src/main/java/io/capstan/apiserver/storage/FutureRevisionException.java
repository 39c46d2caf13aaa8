package io.capstan.apiserver.storage;

/** A read asked for a revision the store has not reached yet (API: 504 ResourceVersionTooLarge). */
public class FutureRevisionException extends StorageException {
  private final long currentRevision;
  private final long requestedRevision;

  public FutureRevisionException(long requestedRevision, long currentRevision) {
    super("required revision " + requestedRevision + " is a future revision (current " + currentRevision + ")");
    this.requestedRevision = requestedRevision;
    this.currentRevision = currentRevision;
  }

  public long currentRevision() {
    return currentRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }
}
