package io.capstan.apiserver.registry;

/**
 * Options of a delete, from the DeleteOptions body or the query string.
 *
 * @param gracePeriodSeconds null when not given
 * @param preconditionUid null when not given
 * @param preconditionResourceVersion null when not given
 * @param propagationPolicy Background, Foreground or Orphan; null when not given (the kind's
 *     default applies, see {@link GcFinalizers})
 * @param dryRun {@code dryRun=All}
 * @param orphanDependents the deprecated {@code orphanDependents} flag; null when not given
 */
public record DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
    String propagationPolicy, boolean dryRun, Boolean orphanDependents) {

  /** Options without the deprecated orphanDependents flag. */
  public DeleteOptions(Long gracePeriodSeconds, String preconditionUid, String preconditionResourceVersion,
      String propagationPolicy, boolean dryRun) {
    this(gracePeriodSeconds, preconditionUid, preconditionResourceVersion, propagationPolicy, dryRun, null);
  }

  /** Background propagation, as the namespace lifecycle deletes a namespace's content. */
  public static DeleteOptions background() {
    return new DeleteOptions(null, null, null, "Background", false, null);
  }

  public static DeleteOptions defaults() {
    return new DeleteOptions(null, null, null, null, false, null);
  }
}
