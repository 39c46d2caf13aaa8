package io.capstan.apiserver.registry;

/**
 * Options of a create, update or patch, from the query string.
 *
 * @param dryRun {@code dryRun=All}: validate and answer, persist nothing
 * @param fieldManager the manager named by the client (or derived from the user agent)
 * @param fieldValidation Strict, Warn or Ignore
 * @param managedFieldsComputed true when server-side apply computed managedFields already
 */
public record WriteOptions(boolean dryRun, String fieldManager, FieldValidation fieldValidation,
    boolean managedFieldsComputed) {

  /** Options of an ordinary write, whose managedFields the registry records. */
  public WriteOptions(boolean dryRun, String fieldManager, FieldValidation fieldValidation) {
    this(dryRun, fieldManager, fieldValidation, false);
  }

  /** The same options for a write whose managedFields server-side apply already computed. */
  public WriteOptions withManagedFieldsComputed() {
    return new WriteOptions(dryRun, fieldManager, fieldValidation, true);
  }

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
