package io.capstan.apiserver.storage;

/** A read or watch asked for a revision older than the compacted one (API: 410 Expired). */
public class CompactedException extends StorageException {
  private final long compactedRevision;
  private final long requestedRevision;

  public CompactedException(long requestedRevision, long compactedRevision) {
    super("required revision " + requestedRevision + " has been compacted (compacted revision " + compactedRevision + ")");
    this.requestedRevision = requestedRevision;
    this.compactedRevision = compactedRevision;
  }

  public long compactedRevision() {
    return compactedRevision;
  }

  public long requestedRevision() {
    return requestedRevision;
  }
}
