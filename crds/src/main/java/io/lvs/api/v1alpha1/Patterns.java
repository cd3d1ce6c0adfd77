package io.lvs.api.v1alpha1;

/**
 * Regular expressions shared by the schema annotations. Constants only: the CRD schema and the
 * controller's validator read the same strings, so they cannot drift.
 */
public final class Patterns {
  private static final String V4_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])";
  /** Dotted-quad IPv4 literal without leading zeros. */
  public static final String IPV4 = "(" + V4_OCTET + "\\.){3}" + V4_OCTET;

  private static final String H = "[0-9a-fA-F]{1,4}";
  /** RFC 4291 textual IPv6 literal (no zone, embedded IPv4 allowed in the last 32 bits). */
  public static final String IPV6 =
      "(("
          + H + ":){7}" + H
          + "|(" + H + ":){1,7}:"
          + "|(" + H + ":){1,6}:" + H
          + "|(" + H + ":){1,5}(:" + H + "){1,2}"
          + "|(" + H + ":){1,4}(:" + H + "){1,3}"
          + "|(" + H + ":){1,3}(:" + H + "){1,4}"
          + "|(" + H + ":){1,2}(:" + H + "){1,5}"
          + "|" + H + ":(:" + H + "){1,6}"
          + "|:((:" + H + "){1,7}|:)"
          + "|::([fF]{4}(:0{1,4})?:)?" + IPV4
          + "|(" + H + ":){1,4}:" + IPV4
          + ")";
  /** An IPv4 or IPv6 literal, anchored. */
  public static final String IP = "^(" + IPV4 + "|" + IPV6 + ")$";
  /** An IPv4 or IPv6 literal, optionally with a prefix length of its family, anchored. */
  public static final String IP_OR_CIDR =
      "^(" + IPV4 + "(/(3[0-2]|[12]?[0-9]))?|" + IPV6 + "(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$";
  /** A DNS-1123 label (Kubernetes object names such as Services). */
  public static final String DNS_LABEL = "^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$";

  private Patterns() {}
}
