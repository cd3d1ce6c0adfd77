package io.lvs.api.v1alpha1;

/** Which of a Node's addresses a node member is reached at. */
public enum NodeAddressType {
  InternalIP,
  ExternalIP
}
