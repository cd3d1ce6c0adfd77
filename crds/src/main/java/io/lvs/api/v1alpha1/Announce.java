package io.lvs.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How a director that takes an HA VIP announces it (as keepalived's garp_master_repeat / garp_master_delay). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Announce(
    @JsonPropertyDescription("Gratuitous ARPs (IPv4) or unsolicited neighbour advertisements (IPv6) sent on takeover. Default 3.")
        @Min(1) @Max(20) Integer count,
    @JsonPropertyDescription("Between two of them. Default 200.") @Min(10) @Max(5000) Integer intervalMillis) {
  public static final int COUNT = 3;
  public static final int INTERVAL = 200;
}
