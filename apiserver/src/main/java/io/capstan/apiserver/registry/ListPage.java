package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One page of a list: the items, the revision they were read at, the continue token when more
 * remain, and the remaining count (null when unknown, e.g. with selectors).
 */
public record ListPage(List<ObjectNode> items, long revision, String continueToken, Long remainingItemCount) {}
