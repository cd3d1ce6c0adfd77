package io.lvs.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.Scheduler;
import io.lvs.api.v1alpha1.StaticMember;
import io.lvs.api.v1alpha1.VirtualService;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every document in docs/examples parses into the Java types (no unknown field), passes
 * SpecValidator (schema and CEL), and each VirtualService's pool is in the same file. Together the
 * examples cover the seeds' labs.
 */
class ExamplesTest {
  private static final SpecValidator VALIDATOR = new SpecValidator();
  private static final ObjectMapper STRICT =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  static List<Examples.Doc> docs() {
    return Examples.docs();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("docs")
  void parsesIntoTheJavaTypesAndIsValid(Examples.Doc doc) throws Exception {
    assertThat(doc.object().path("apiVersion").asText()).isEqualTo("lvs.io/v1alpha1");
    List<FieldError> errors =
        switch (doc.kind()) {
          case "VirtualService" -> VALIDATOR.validate(STRICT.treeToValue(doc.object(), VirtualService.class));
          case "RealServerPool" -> VALIDATOR.validate(STRICT.treeToValue(doc.object(), RealServerPool.class));
          case "LvsNodeConfig" -> VALIDATOR.validate(STRICT.treeToValue(doc.object(), LvsNodeConfig.class));
          default -> throw new AssertionError(doc + ": unexpected kind");
        };
    assertThat(errors).as(doc.toString()).isEmpty();
    assertThat(VALIDATOR.validate(doc.object())).as(doc + " as raw YAML").isEmpty();
  }

  @Test
  void eachVirtualServiceHasItsPoolInTheSameFile() throws Exception {
    // node-level configuration examples stand alone
    Map<String, List<Examples.Doc>> byFile = docs().stream().filter(d -> !d.kind().equals("LvsNodeConfig"))
        .collect(Collectors.groupingBy(Examples.Doc::file));
    assertThat(byFile).hasSizeGreaterThanOrEqualTo(5);
    for (var e : byFile.entrySet()) {
      Set<String> pools =
          e.getValue().stream().filter(d -> d.kind().equals("RealServerPool")).map(Examples.Doc::name).collect(Collectors.toSet());
      List<Examples.Doc> services = e.getValue().stream().filter(d -> d.kind().equals("VirtualService")).toList();
      assertThat(services).as(e.getKey()).isNotEmpty();
      for (Examples.Doc vs : services) {
        String pool = STRICT.treeToValue(vs.object(), VirtualService.class).getSpec().realServerPoolRef().name();
        assertThat(pools).as(vs.toString()).contains(pool);
      }
    }
  }

  @Test
  void theExamplesCoverTheSeedLabs() throws Exception {
    List<VirtualService> services = typed(VirtualService.class);
    assertThat(services).extracting(v -> v.getSpec().forwarding()).contains(Forwarding.values());
    assertThat(services).anySatisfy(v -> {
      assertThat(v.getSpec().forwarding()).isEqualTo(Forwarding.DirectRouting);
      assertThat(v.getSpec().scheduler()).isEqualTo(Scheduler.rr);
    });
    assertThat(services).anySatisfy(v -> assertThat(v.getSpec().persistence()).isNotNull());
    // NAT wrr 3:1 as in the seed
    VirtualService nat =
        services.stream().filter(v -> v.getSpec().forwarding() == Forwarding.NAT && v.getSpec().scheduler() == Scheduler.wrr).findFirst().orElseThrow();
    RealServerPool pool =
        typed(RealServerPool.class).stream()
            .filter(p -> p.getMetadata().getName().equals(nat.getSpec().realServerPoolRef().name()))
            .findFirst()
            .orElseThrow();
    assertThat(pool.getSpec().staticMembers()).extracting(StaticMember::weight).containsExactly(3, 1);
  }

  private static <T> List<T> typed(Class<T> type) throws Exception {
    List<T> out = new java.util.ArrayList<>();
    for (Examples.Doc d : docs()) {
      if (d.kind().equals(type.getSimpleName())) {
        out.add(STRICT.treeToValue(d.object(), type));
      }
    }
    return out;
  }
}
