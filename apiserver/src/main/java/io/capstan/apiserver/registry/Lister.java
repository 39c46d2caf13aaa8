package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.capstan.apiserver.errors.ApiException;
import io.capstan.apiserver.errors.FieldError;
import io.capstan.apiserver.errors.StatusErrors;
import io.capstan.apiserver.resources.ResourceType;
import io.capstan.apiserver.selection.Selection;
import io.capstan.apiserver.storage.KeyValue;
import io.capstan.apiserver.storage.ListResult;
import java.util.ArrayList;
import java.util.List;

/**
 * The list verb with the resourceVersion rules of meta/v1 ListOptions: consistent reads, reads at
 * an exact revision, limit/continue paging at the first page's revision, and selector filtering
 * that keeps reading chunks until a page is full.
 */
final class Lister {
  /** Chunk read from storage per round when a selector filters items. */
  private static final int SELECTOR_CHUNK = 500;
  private final Registry registry;

  Lister(Registry registry) {
    this.registry = registry;
  }

  ListPage list(ResourceType type, String namespace, ListOptions o) {
    validate(o);
    Selection selection = Selection.parse(type, o.labelSelector(), o.fieldSelector());
    String prefix = type.listPrefix(namespace);
    long atRevision = 0;
    String startKey = null;
    boolean fromContinue = o.continueToken() != null && !o.continueToken().isEmpty();
    if (fromContinue) {
      ContinueToken token = ContinueToken.decode(o.continueToken());
      atRevision = token.revision();
      startKey = prefix + token.startKeySuffix();
    } else {
      long rv = Registry.parseResourceVersion(o.resourceVersion());
      if (rv > 0) {
        boolean exact = "Exact".equals(o.resourceVersionMatch()) || (o.resourceVersionMatch() == null && o.limit() > 0);
        registry.awaitRevision(rv);
        atRevision = exact ? rv : 0;
      }
    }
    try {
      return read(type, prefix, startKey, atRevision, o.limit(), selection);
    } catch (RuntimeException e) {
      throw Registry.translate(e, fromContinue
          ? "The provided continue parameter is too old to display a consistent list result. You can start a new "
              + "list without the continue parameter, or use the continue token in this response to retrieve the "
              + "remainder of the results."
          : "The resourceVersion for the provided list is too old.");
    }
  }

  private ListPage read(ResourceType type, String prefix, String startKey, long atRevision, long limit, Selection selection) {
    List<ObjectNode> items = new ArrayList<>();
    boolean filtering = !selection.isEverything();
    int chunk = limit <= 0 ? 0 : (int) (filtering ? Math.max(limit, SELECTOR_CHUNK) : limit);
    long revision = atRevision;
    String next = startKey;
    while (true) {
      ListResult page = registry.storage().list(prefix, next, revision, chunk);
      revision = page.revision();
      List<KeyValue> kvs = page.items();
      for (int i = 0; i < kvs.size(); i++) {
        ObjectNode obj = Registry.present(type, StoredObjects.decode(kvs.get(i)));
        if (!filtering || selection.matches(obj)) {
          items.add(obj);
        }
        boolean moreAfterThis = i < kvs.size() - 1 || page.more();
        if (limit > 0 && items.size() >= limit && moreAfterThis) {
          String token = new ContinueToken(revision, kvs.get(i).key().substring(prefix.length()) + "\u0000").encode();
          Long remaining = filtering ? null : (kvs.size() - 1 - i) + page.remaining();
          return new ListPage(items, revision, token, remaining);
        }
      }
      if (!page.more() || kvs.isEmpty()) {
        return new ListPage(items, revision, null, null);
      }
      next = kvs.get(kvs.size() - 1).key() + "\u0000";
    }
  }

  private static void validate(ListOptions o) {
    String rv = o.resourceVersion();
    String match = o.resourceVersionMatch();
    boolean hasContinue = o.continueToken() != null && !o.continueToken().isEmpty();
    List<FieldError> errs = new ArrayList<>();
    if (match != null && !match.isEmpty()) {
      if (!match.equals("NotOlderThan") && !match.equals("Exact")) {
        errs.add(FieldError.notSupported("resourceVersionMatch", match, List.of("Exact", "NotOlderThan", "")));
      }
      if (rv == null || rv.isEmpty()) {
        errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden unless resourceVersion is provided"));
      }
      if (hasContinue) {
        errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch is forbidden when continue is provided"));
      }
      if (match.equals("Exact") && "0".equals(rv)) {
        errs.add(FieldError.forbidden("resourceVersionMatch", "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\""));
      }
    }
    if (!errs.isEmpty()) {
      throw invalidListOptions(errs);
    }
    if (hasContinue && rv != null && !rv.isEmpty() && !rv.equals("0")) {
      throw StatusErrors.badRequest("specifying resource version is not allowed when using continue");
    }
  }

  private static ApiException invalidListOptions(List<FieldError> errs) {
    return StatusErrors.invalid("meta.k8s.io", "ListOptions", "", errs);
  }
}
