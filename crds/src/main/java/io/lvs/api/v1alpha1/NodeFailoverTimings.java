package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The directors' election clocks for one HA VIP (docs/ha.md), already validated by the operator.
 * Absent fields take the agent's defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true) // a newer operator may add fields: an older agent reads on
public record NodeFailoverTimings(
    Integer leaseDurationMillis,
    Integer renewDeadlineMillis,
    Integer retryPeriodMillis,
    Integer peerTimeoutMillis,
    Integer heartbeatIntervalMillis) {}
