package io.lvs.operator.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.operator.plan.ClusterPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PublishedPlanTest {
  private static ClusterPlan plan(Map<String, ClusterPlan.Outcome> services) {
    return new ClusterPlan(Map.of(), Map.of(), services, Map.of());
  }

  @Test
  void tellsTheOwnersWhoseOutcomeChangedCameWentOrWereWrittenAndAnswersFromTheLastPlan() {
    List<Set<String>> told = new ArrayList<>();
    PublishedPlan published = new PublishedPlan(told::add);
    ClusterPlan.Outcome a = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1"));
    ClusterPlan.Outcome b = new ClusterPlan.Outcome(null, List.of("d1"), null, Set.of("d1"));
    assertThat(published.outcome("ns/a")).isEmpty();

    published.publish(plan(Map.of("ns/a", a, "ns/b", b)), Map.of("d1", Map.of("ns/a", "d1", "ns/b", "d1.1")), Set.of());
    assertThat(told).containsExactly(Set.of("ns/a", "ns/b"));
    assertThat(published.outcome("ns/a")).contains(a);
    assertThat(published.sliceOf("d1", "ns/b")).contains("d1.1");
    assertThat(published.ownersOn("d1")).containsExactlyInAnyOrder("ns/a", "ns/b");
    assertThat(published.ownersOn("d2")).isEmpty();

    told.clear();
    ClusterPlan.Outcome equalToA = new ClusterPlan.Outcome(null, List.of("d1"), "d1", Set.of("d1"));
    published.publish(plan(Map.of("ns/a", equalToA)), Map.of("d1", Map.of("ns/a", "d1")), Set.of("ns/c"));
    assertThat(told).containsExactly(Set.of("ns/b", "ns/c"));

    told.clear();
    published.publish(plan(Map.of("ns/a", equalToA)), Map.of("d1", Map.of("ns/a", "d1")), Set.of());
    assertThat(told).as("nothing changed: nobody is woken").isEmpty();
  }
}
