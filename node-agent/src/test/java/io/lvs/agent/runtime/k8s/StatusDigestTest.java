package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.lvs.api.v1alpha1.DestinationReport;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.ServiceReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The digest the status writer keeps: blind to sync time and counters, not to anything else. */
class StatusDigestTest {
  final ObjectMapper json = new ObjectMapper();

  static LvsNodeStateStatus status(String syncTime, long conns, int weight, String health, String message) {
    Condition ready = new ConditionBuilder().withType("Ready").withStatus("True").withMessage(message).build();
    DestinationReport d = new DestinationReport("198.18.0.11", 80, weight, health, conns, 0L, conns, 10L, 0L, 1000L, 0L,
        null, null);
    ServiceReport s = new ServiceReport("ns/web", "TCP 198.18.0.100:80", true, null, List.of(d), conns, 30L, 0L, 3000L, 0L);
    return new LvsNodeStateStatus(3L, List.of(ready), syncTime, List.of(), List.of(s));
  }

  StatusDigest digest(LvsNodeStateStatus s) {
    return StatusDigest.of(json, s);
  }

  @Test
  void syncTimeAndCountersDoNotChangeItEverythingElseDoes() {
    StatusDigest base = digest(status("t1", 1, 1, "Healthy", "ok"));

    assertThat(digest(status("t2", 99, 1, "Healthy", "ok"))).isEqualTo(base).hasSameHashCodeAs(base);
    assertThat(digest(status("t1", 1, 2, "Healthy", "ok"))).isNotEqualTo(base);
    assertThat(digest(status("t1", 1, 1, "Unhealthy", "ok"))).isNotEqualTo(base);
    assertThat(digest(status("t1", 1, 1, "Healthy", "degraded"))).isNotEqualTo(base);
    assertThat(base.sha256()).hasSize(32);
  }

  @Test
  void itHoldsNoPartOfTheStatus() {
    assertThat(StatusDigest.class.getRecordComponents()).singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo(byte[].class));
  }
}
