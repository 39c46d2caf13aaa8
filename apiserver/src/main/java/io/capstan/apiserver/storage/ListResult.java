package io.capstan.apiserver.storage;

import java.util.List;

/**
 * The answer to {@link Storage#list}: live keys in key order as of one revision.
 *
 * @param items the keys found, at most {@code limit} of them
 * @param revision the store revision the list was read at; every item's modRevision is {@code <=} it
 * @param more whether keys after the last item exist in the range
 * @param remaining how many keys in the range come after the last item (0 when {@code !more})
 */
public record ListResult(List<KeyValue> items, long revision, boolean more, long remaining) {}
