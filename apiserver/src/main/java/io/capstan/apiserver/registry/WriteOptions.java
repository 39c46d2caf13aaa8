package io.capstan.apiserver.registry;

/**
 * Options of a create, update or patch, from the query string.
 *
 * @param dryRun {@code dryRun=All}: validate and answer, persist nothing
 * @param fieldManager the manager named by the client (or derived from the user agent)
 * @param fieldValidation Strict, Warn or Ignore
 */
public record WriteOptions(boolean dryRun, String fieldManager, FieldValidation fieldValidation) {

  /** How unknown and duplicate fields in a body are treated. */
  public enum FieldValidation {
    STRICT,
    WARN,
    IGNORE
  }

  public static WriteOptions defaults() {
    return new WriteOptions(false, "", FieldValidation.WARN);
  }
}
