package io.lvs.api.v1alpha1;

/**
 * The nodes that schedule their own clients' traffic to a VIP. "None", not "Off": YAML 1.1
 * parsers (kubectl's among them) read an unquoted Off as the boolean false.
 */
public enum InClusterNodes {
  All,
  Selected,
  None
}
