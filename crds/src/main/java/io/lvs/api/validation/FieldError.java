package io.lvs.api.validation;

/**
 * One rejected field: where it is ({@code spec.ports[0].port}), the offending value as JSON (null
 * when the field is missing), and what is wrong with it.
 *
 * @param path the field path, rendered as Kubernetes renders it
 * @param value the value found at {@code path} as compact JSON, or null if the field is absent
 * @param detail what is wrong, phrased to follow the value ("must be <= 65535")
 * @param source which half of the one rule set said no: the OpenAPI schema or a CEL rule
 */
public record FieldError(String path, String value, String detail, Source source) {

  /** The part of the CRD that rejected the field. */
  public enum Source {
    SCHEMA,
    CEL
  }

  /** {@code spec.ports[0].port: 70000 must be <= 65535}, or {@code spec.forwarding: required}. */
  public String message() {
    return value == null ? path + ": " + detail : path + ": " + value + " " + detail;
  }

  @Override
  public String toString() {
    return message();
  }
}
