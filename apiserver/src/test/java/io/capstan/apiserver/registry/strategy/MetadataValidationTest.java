package io.capstan.apiserver.registry.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetadataValidationTest {
  @Test
  void labelValueMessages() {
    assertEquals(List.of(), MetadataValidation.labelValueErrors(""));
    assertEquals(List.of("must be no more than 63 characters"), MetadataValidation.labelValueErrors("a".repeat(64)));
    assertEquals(List.of("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
        + "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', "
        + "regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"),
        MetadataValidation.labelValueErrors("-x"));
  }

  @Test
  void qualifiedNameMessages() {
    assertEquals(List.of(), MetadataValidation.qualifiedNameErrors("example.com/My_name-1"));
    assertEquals(List.of("prefix part must be non-empty"), MetadataValidation.qualifiedNameErrors("/name"));
    assertEquals(List.of("name part must be non-empty", "name part must consist of alphanumeric characters, '-', '_' "
        + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
        + "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"),
        MetadataValidation.qualifiedNameErrors("example.com/"));
    assertEquals("name part must be no more than 63 characters",
        MetadataValidation.qualifiedNameErrors("a".repeat(64)).get(0));
  }
}
