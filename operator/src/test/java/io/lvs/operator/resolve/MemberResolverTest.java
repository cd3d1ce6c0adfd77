package io.lvs.operator.resolve;

import static io.lvs.operator.fixtures.K8s.endpoint;
import static io.lvs.operator.fixtures.K8s.node;
import static io.lvs.operator.fixtures.K8s.pod;
import static io.lvs.operator.fixtures.K8s.slice;
import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.api.v1alpha1.NodeAddressType;
import io.lvs.api.v1alpha1.NodeMembers;
import io.lvs.api.v1alpha1.PodMembers;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.ServiceMembers;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.WeightOverride;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MemberResolverTest {
  private final MemberResolver resolver = new MemberResolver();

  private static RealServerPoolSpec spec(
      ServiceMembers svc, PodMembers pods, NodeMembers nodes, List<StaticMember> st, Integer dflt, List<WeightOverride> w) {
    return new RealServerPoolSpec(svc, pods, nodes, st, dflt, w, null, null, null);
  }

  @Test
  void endpointSliceConditionsDecideReadiness() {
    var slices =
        List.of(
            slice("ns", "web-1", "web", List.of(8080), List.of(
                endpoint("10.1.0.1", "n1", true, true, false),
                endpoint("10.1.0.2", "n2", false, false, false),
                endpoint("10.1.0.3", "n2", false, true, true),
                endpoint("10.1.0.4", null, null, null, null))),
            slice("other", "web-x", "web", List.of(8080), List.of(endpoint("10.9.9.9", null, true, true, false))),
            slice("ns", "api-1", "api", List.of(8080), List.of(endpoint("10.8.8.8", null, true, true, false))));
    var r = resolver.resolve("ns", spec(new ServiceMembers("web", null, null), null, null, null, null, null),
        new PoolInputs(slices, List.of(), List.of()));
    assertThat(r.errors()).isEmpty();
    assertThat(r.members().values())
        .extracting(Member::address, Member::ready, Member::node, Member::port)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.1.0.1", true, "n1", 8080),
            org.assertj.core.groups.Tuple.tuple("10.1.0.2", false, "n2", 8080),
            org.assertj.core.groups.Tuple.tuple("10.1.0.3", false, "n2", 8080), // terminating, still serving
            org.assertj.core.groups.Tuple.tuple("10.1.0.4", true, null, 8080)); // absent conditions = ready
  }

  @Test
  void servicePortIsChosenByNumberOrNameAndAmbiguityIsAnError() {
    var slices = List.of(slice("ns", "web-1", "web", List.of(80, 443), List.of(endpoint("10.1.0.1", null, true, true, false))));
    var in = new PoolInputs(slices, List.of(), List.of());
    assertThat(resolver.resolve("ns", spec(new ServiceMembers("web", 443, null), null, null, null, null, null), in)
        .members().keySet()).containsExactly(new MemberKey("10.1.0.1", 443));
    assertThat(resolver.resolve("ns", spec(new ServiceMembers("web", null, "p0"), null, null, null, null, null), in)
        .members().keySet()).containsExactly(new MemberKey("10.1.0.1", 80));
    var ambiguous = resolver.resolve("ns", spec(new ServiceMembers("web", null, null), null, null, null, null, null), in);
    assertThat(ambiguous.members()).isEmpty();
    assertThat(ambiguous.errors()).singleElement().asString()
        .contains("serviceRef web", "EndpointSlice web-1", "2 ports", "serviceRef.port");
    var missing = resolver.resolve("ns", spec(new ServiceMembers("web", 8443, null), null, null, null, null, null), in);
    assertThat(missing.errors()).singleElement().asString().contains("has no port 8443");
  }

  @Test
  void podSelectorTakesMatchingPodsInTheNamespaceReadyByCondition() {
    var pods =
        List.of(
            pod("ns", "a", "10.2.0.1", "n1", true, Map.of("app", "web")),
            pod("ns", "b", "10.2.0.2", "n2", false, Map.of("app", "web")),
            pod("ns", "c", "10.2.0.3", "n2", true, Map.of("app", "db")),
            pod("other", "d", "10.2.0.4", "n2", true, Map.of("app", "web")));
    var r = resolver.resolve("ns", spec(null, new PodMembers(Map.of("app", "web"), 8080), null, null, null, null),
        new PoolInputs(List.of(), pods, List.of()));
    assertThat(r.members().values())
        .extracting(Member::address, Member::ready, Member::source)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.2.0.1", true, MemberSource.POD),
            org.assertj.core.groups.Tuple.tuple("10.2.0.2", false, MemberSource.POD));
  }

  @Test
  void nodeSelectorUsesInternalIpByDefaultAndExternalIpOnRequest() {
    var nodes =
        List.of(
            node("n1", "192.168.0.11", true, Map.of("rs", "yes")),
            node("n2", "192.168.0.12", false, Map.of("rs", "yes")),
            node("n3", "192.168.0.13", true, Map.of()));
    var internal = resolver.resolve("ns", spec(null, null, new NodeMembers(Map.of("rs", "yes"), 80, null), null, null, null),
        new PoolInputs(List.of(), List.of(), nodes));
    assertThat(internal.members().values())
        .extracting(Member::address, Member::node, Member::ready)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("192.168.0.11", "n1", true),
            org.assertj.core.groups.Tuple.tuple("192.168.0.12", "n2", false));
    var external = resolver.resolve("ns",
        spec(null, null, new NodeMembers(Map.of("rs", "yes"), 80, NodeAddressType.ExternalIP), null, null, null),
        new PoolInputs(List.of(), List.of(), nodes));
    assertThat(external.members().keySet()).extracting(MemberKey::address).containsExactly("203.0.113.11", "203.0.113.12");
  }

  @Test
  void weightsOverrideBeatsStaticBeatsDefaultAndSourcesUnite() {
    var slices = List.of(slice("ns", "web-1", "web", List.of(80), List.of(
        endpoint("10.0.0.1", "n1", false, false, false), endpoint("10.0.0.2", "n1", true, true, false))));
    var pods = List.of(pod("ns", "a", "10.0.0.1", "n1", true, Map.of("app", "web")));
    var statics = List.of(new StaticMember("192.0.2.10", 80, 7), new StaticMember("192.0.2.11", 80, null));
    var r = resolver.resolve("ns",
        spec(new ServiceMembers("web", null, null), new PodMembers(Map.of("app", "web"), 80), null, statics, 3,
            List.of(new WeightOverride("10.0.0.2", 9), new WeightOverride("192.0.2.10", 0))),
        new PoolInputs(slices, pods, List.of()));
    assertThat(r.members().values())
        .extracting(Member::address, Member::weight, Member::ready, Member::source)
        .containsExactly(
            // the same address:port from an unready slice endpoint and a ready pod: the ready one counts
            org.assertj.core.groups.Tuple.tuple("10.0.0.1", 3, true, MemberSource.POD),
            org.assertj.core.groups.Tuple.tuple("10.0.0.2", 9, true, MemberSource.SERVICE),
            org.assertj.core.groups.Tuple.tuple("192.0.2.10", 0, true, MemberSource.STATIC),
            org.assertj.core.groups.Tuple.tuple("192.0.2.11", 3, true, MemberSource.STATIC));
  }

  @Test
  void defaultWeightIsOne() {
    var r = resolver.resolve("ns", spec(null, null, null, List.of(new StaticMember("192.0.2.1", 80, null)), null, null),
        PoolInputs.empty());
    assertThat(r.members().values()).extracting(Member::weight).containsExactly(1);
  }
}
