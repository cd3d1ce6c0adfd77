package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Scheduler flags (ipvsadm -b): IP_VS_SVC_F_SCHED1..3 as the sh and mh schedulers read them. */
public enum SchedulerFlag {
  @JsonProperty("sh-fallback") SH_FALLBACK,
  @JsonProperty("sh-port") SH_PORT,
  @JsonProperty("mh-fallback") MH_FALLBACK,
  @JsonProperty("mh-port") MH_PORT
}
