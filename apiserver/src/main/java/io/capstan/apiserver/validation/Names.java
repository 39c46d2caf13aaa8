package io.capstan.apiserver.validation;

import io.capstan.apiserver.errors.FieldError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The name formats of apimachinery's validation: DNS-1123 subdomain and label, DNS-1035 label. */
public final class Names {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");

  /** Which format a kind's names must follow. */
  public enum Format {
    SUBDOMAIN,
    LABEL,
    DNS1035_LABEL
  }

  private Names() {}

  /** Errors of {@code name} at {@code field} under {@code format}; empty when valid. */
  public static List<FieldError> check(String field, String name, Format format) {
    List<FieldError> errs = new ArrayList<>();
    switch (format) {
      case SUBDOMAIN -> {
        if (name.length() > 253) {
          errs.add(FieldError.invalid(field, name, "must be no more than 253 characters"));
        }
        if (!DNS1123_SUBDOMAIN.matcher(name).matches()) {
          errs.add(FieldError.invalid(field, name, "a lowercase RFC 1123 subdomain must consist of lower case "
              + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character "
              + "(e.g. 'example.com', regex used for validation is '" + DNS1123_SUBDOMAIN.pattern() + "')"));
        }
      }
      case LABEL -> {
        if (name.length() > 63) {
          errs.add(FieldError.invalid(field, name, "must be no more than 63 characters"));
        }
        if (!DNS1123_LABEL.matcher(name).matches()) {
          errs.add(FieldError.invalid(field, name, "a lowercase RFC 1123 label must consist of lower case "
              + "alphanumeric characters or '-', and must start and end with an alphanumeric character "
              + "(e.g. 'my-name',  or '123-abc', regex used for validation is '" + LABEL + "')"));
        }
      }
      case DNS1035_LABEL -> {
        if (name.length() > 63) {
          errs.add(FieldError.invalid(field, name, "must be no more than 63 characters"));
        }
        if (!DNS1035_LABEL.matcher(name).matches()) {
          errs.add(FieldError.invalid(field, name, "a DNS-1035 label must consist of lower case alphanumeric "
              + "characters or '-', start with an alphabetic character, and end with an alphanumeric character "
              + "(e.g. 'my-name',  or 'abc-123', regex used for validation is '" + DNS1035_LABEL.pattern() + "')"));
        }
      }
      default -> throw new IllegalStateException();
    }
    return errs;
  }

  /** Whether {@code s} is a valid DNS-1123 label (namespace names). */
  public static boolean isLabel(String s) {
    return s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
  }
}
