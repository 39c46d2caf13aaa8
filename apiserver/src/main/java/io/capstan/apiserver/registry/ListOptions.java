package io.capstan.apiserver.registry;

/**
 * The list and watch query parameters of meta/v1 ListOptions.
 *
 * @param labelSelector raw label selector, or null
 * @param fieldSelector raw field selector, or null
 * @param limit page size, 0 for no limit
 * @param continueToken the continue token of a previous page, or null
 * @param resourceVersion null (unset), "0" or a revision
 * @param resourceVersionMatch null, "NotOlderThan" or "Exact"
 * @param allowWatchBookmarks whether BOOKMARK events may be sent
 * @param timeoutSeconds watch duration limit, null for the server default
 * @param sendInitialEvents watch-list: send ADDED for the state, then a bookmark
 */
public record ListOptions(String labelSelector, String fieldSelector, long limit, String continueToken,
    String resourceVersion, String resourceVersionMatch, boolean allowWatchBookmarks, Long timeoutSeconds,
    Boolean sendInitialEvents) {

  public static ListOptions all() {
    return new ListOptions(null, null, 0, null, null, null, false, null, null);
  }

  public static ListOptions selecting(String labelSelector, String fieldSelector) {
    return new ListOptions(labelSelector, fieldSelector, 0, null, null, null, false, null, null);
  }
}
