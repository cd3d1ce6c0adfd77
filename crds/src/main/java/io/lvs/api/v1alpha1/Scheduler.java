package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** IPVS scheduling algorithms, named as the kernel modules ip_vs_NAME. */
public enum Scheduler {
  @JsonProperty("rr") rr,
  @JsonProperty("wrr") wrr,
  @JsonProperty("lc") lc,
  @JsonProperty("wlc") wlc,
  @JsonProperty("lblc") lblc,
  @JsonProperty("lblcr") lblcr,
  @JsonProperty("dh") dh,
  @JsonProperty("sh") sh,
  @JsonProperty("sed") sed,
  @JsonProperty("nq") nq,
  @JsonProperty("mh") mh,
  @JsonProperty("fo") fo,
  @JsonProperty("ovf") ovf,
  @JsonProperty("twos") twos
}
