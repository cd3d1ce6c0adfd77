package io.lvs.api.v1alpha1;

/** Transport protocol of a virtual service port (ipvsadm -t / -u / --sctp-service). */
public enum Protocol {
  TCP,
  UDP,
  SCTP
}
