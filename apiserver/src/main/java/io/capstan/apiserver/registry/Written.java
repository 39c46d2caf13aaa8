package io.capstan.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a write gives back: the object as written and, when the write already produced it, that
 * object's JSON (the stored bytes with its resourceVersion spliced in), so that answering does not
 * serialize it a second time. {@code json} is null when there is none (dry runs): serialize
 * {@code object} then.
 */
public record Written(ObjectNode object, byte[] json) {}
