package io.capstan.apiserver.registry;

/**
 * Options of a delete, from the DeleteOptions body or the query string.
 *
 * @param gracePeriodSeconds null when not given
 * @param preconditionUid null when not given
 * @param preconditionResourceVersion null when not given
 * @param propagationPolicy Background (default), Foreground or Orphan
 * @param dryRun {@code dryRun=All}
 */
public record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
    String propagationPolicy, boolean dryRun) {

  public static DeleteOptions defaults() {
    return new DeleteOptions(null, null, null, null, false);
  }
}
