package io.capstan.apiserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Answers SelfSubjectAccessReviews ({@code kubectl auth can-i}). capstan has no authentication or
 * authorization yet (it listens on loopback only), so every request is allowed, and the answer
 * says why. Nothing is stored.
 */
final class AccessReviews {
  static final String REASON = "capstan has no authorization yet: every request is allowed";

  private AccessReviews() {}

  static ObjectNode answer(ObjectNode review) {
    ObjectNode out = review.deepCopy();
    out.put("apiVersion", "authorization.k8s.io/v1").put("kind", "SelfSubjectAccessReview");
    out.withObject("/metadata");
    out.withObject("/spec");
    out.putObject("status").put("allowed", true).put("reason", REASON);
    return out;
  }

}
