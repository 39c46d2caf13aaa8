package io.capstan.apiserver.decode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** A decoded request body and the warnings to send back (fieldValidation=Warn). */
public record Decoded(ObjectNode object, List<String> warnings) {}
