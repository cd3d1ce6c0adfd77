package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The directors' election clocks for an HA VIP (docs/ha.md). The rules are the ones the election's
 * safety argument needs (the agent's ElectionTimings refuses the same); an absent field counts with
 * its default, so a rule is checked on the values the agents will run with.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(has(self.renewDeadlineMillis) ? self.renewDeadlineMillis : " + FailoverTimings.RENEW_DEADLINE + ")"
        + " > (has(self.retryPeriodMillis) ? self.retryPeriodMillis : " + FailoverTimings.RETRY_PERIOD + ")",
    message = "must be longer than retryPeriodMillis (defaults: renewDeadlineMillis " + FailoverTimings.RENEW_DEADLINE
        + ", retryPeriodMillis " + FailoverTimings.RETRY_PERIOD + ")",
    fieldPath = ".renewDeadlineMillis",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "(has(self.leaseDurationMillis) ? self.leaseDurationMillis : " + FailoverTimings.LEASE_DURATION + ")"
        + " > (has(self.renewDeadlineMillis) ? self.renewDeadlineMillis : " + FailoverTimings.RENEW_DEADLINE + ")"
        + " + (has(self.retryPeriodMillis) ? self.retryPeriodMillis : " + FailoverTimings.RETRY_PERIOD + ")",
    message = "must be longer than renewDeadlineMillis + retryPeriodMillis: a fenced holder must be gone before"
        + " a standby may take over (defaults " + FailoverTimings.LEASE_DURATION + ", " + FailoverTimings.RENEW_DEADLINE
        + ", " + FailoverTimings.RETRY_PERIOD + ")",
    fieldPath = ".leaseDurationMillis",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "(has(self.leaseDurationMillis) ? self.leaseDurationMillis : " + FailoverTimings.LEASE_DURATION + ")"
        + " > (has(self.peerTimeoutMillis) ? self.peerTimeoutMillis : " + FailoverTimings.PEER_TIMEOUT + ")"
        + " + (has(self.retryPeriodMillis) ? self.retryPeriodMillis : " + FailoverTimings.RETRY_PERIOD + ")",
    message = "must be longer than peerTimeoutMillis + retryPeriodMillis (defaults " + FailoverTimings.LEASE_DURATION
        + ", " + FailoverTimings.PEER_TIMEOUT + ", " + FailoverTimings.RETRY_PERIOD + ")",
    fieldPath = ".leaseDurationMillis",
    reason = "FieldValueInvalid")
@ValidationRule(
    value = "(has(self.heartbeatIntervalMillis) ? self.heartbeatIntervalMillis : " + FailoverTimings.HEARTBEAT_INTERVAL + ")"
        + " < (has(self.peerTimeoutMillis) ? self.peerTimeoutMillis : " + FailoverTimings.PEER_TIMEOUT + ")",
    message = "must be shorter than peerTimeoutMillis, or a healthy peer is timed out between two heartbeats (defaults "
        + FailoverTimings.HEARTBEAT_INTERVAL + ", " + FailoverTimings.PEER_TIMEOUT + ")",
    fieldPath = ".heartbeatIntervalMillis",
    reason = "FieldValueInvalid")
public record FailoverTimings(
    @JsonPropertyDescription("How long a standby waits, seeing the holder's Lease unchanged, before it takes the VIP. Default 1750.")
        @Min(500) @Max(60000) Integer leaseDurationMillis,
    @JsonPropertyDescription("The holder gives the VIP up when it could not renew its Lease for this long (unless every peer confirms an API-server outage). Default 1250.")
        @Min(200) @Max(60000) Integer renewDeadlineMillis,
    @JsonPropertyDescription("How often the holder renews and a standby looks. Default 250.")
        @Min(50) @Max(10000) Integer retryPeriodMillis,
    @JsonPropertyDescription("A director not heard for this long counts as unknown. Default 1400.")
        @Min(100) @Max(60000) Integer peerTimeoutMillis,
    @JsonPropertyDescription("How often each director sends its UDP heartbeat to the others. Default 300.")
        @Min(20) @Max(5000) Integer heartbeatIntervalMillis) {
  public static final int LEASE_DURATION = 1750;
  public static final int RENEW_DEADLINE = 1250;
  public static final int RETRY_PERIOD = 250;
  public static final int PEER_TIMEOUT = 1400;
  public static final int HEARTBEAT_INTERVAL = 300;

  /** Every field set: absent ones take their defaults. */
  public FailoverTimings withDefaults() {
    return new FailoverTimings(or(leaseDurationMillis, LEASE_DURATION), or(renewDeadlineMillis, RENEW_DEADLINE),
        or(retryPeriodMillis, RETRY_PERIOD), or(peerTimeoutMillis, PEER_TIMEOUT), or(heartbeatIntervalMillis, HEARTBEAT_INTERVAL));
  }

  private static Integer or(Integer v, int d) {
    return v == null ? d : v;
  }
}
