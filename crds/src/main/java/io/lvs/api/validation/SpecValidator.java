package io.lvs.api.validation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.lvs.api.v1alpha1.LvsNodeConfig;
import io.lvs.api.v1alpha1.LvsNodeConfigSpec;
import io.lvs.api.v1alpha1.Patterns;
import io.lvs.api.v1alpha1.RealServerPool;
import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.VirtualService;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one rule set for user input: validates a VirtualService or RealServerPool against the
 * OpenAPI schema and the CEL rules of the CRDs this jar ships (the checked-in YAML the API server
 * is given). The operator calls it, so an object that slipped past an API server without CEL (or
 * with an older CRD) is still refused with the same words; tests call it to prove each rule.
 *
 * <p>Only {@code spec} is checked (status is the operator's own writing). Thread-safe; build one and
 * share it: construction compiles every rule and fails if the CRD uses a schema keyword this
 * validator does not enforce.
 */
public final class SpecValidator {
  private static final Map<String, String> PATTERN_NAMES =
      Map.of(Patterns.IP, "an IPv4 or IPv6 literal", Patterns.DNS_LABEL, "a DNS-1123 label");

  private final ObjectMapper json = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
  private final SchemaWalker walker = new SchemaWalker(new CelRules(), PATTERN_NAMES);
  private final CrdSchema virtualServices;
  private final CrdSchema realServerPools;
  private final CrdSchema nodeConfigs;

  /** A validator over the given schemas (tests use this to feed a CRD under edit). */
  public SpecValidator(CrdSchema virtualServices, CrdSchema realServerPools, CrdSchema nodeConfigs) {
    this.virtualServices = virtualServices;
    this.realServerPools = realServerPools;
    this.nodeConfigs = nodeConfigs;
    walker.checkSupported(virtualServices.root(), virtualServices.crdName());
    walker.checkSupported(realServerPools.root(), realServerPools.crdName());
    walker.checkSupported(nodeConfigs.root(), nodeConfigs.crdName());
  }

  /** Over the given VirtualService and RealServerPool schemas and the packed LvsNodeConfig one. */
  public SpecValidator(CrdSchema virtualServices, CrdSchema realServerPools) {
    this(virtualServices, realServerPools, CrdSchema.load("lvsnodeconfigs." + VirtualService.GROUP, VirtualService.VERSION));
  }

  /** A validator over the CRDs packed in this jar. */
  public SpecValidator() {
    this(
        CrdSchema.load("virtualservices." + VirtualService.GROUP, VirtualService.VERSION),
        CrdSchema.load("realserverpools." + VirtualService.GROUP, VirtualService.VERSION));
  }

  /** Everything wrong with the LvsNodeConfig's spec; empty when it is valid. */
  public List<FieldError> validate(LvsNodeConfig config) {
    return validateObject(nodeConfigs, toJson(config));
  }

  /** Everything wrong with an LvsNodeConfig spec alone (paths start at {@code spec}). */
  public List<FieldError> validate(LvsNodeConfigSpec spec) {
    return validateSpec(nodeConfigs, json.valueToTree(spec));
  }

  /** Everything wrong with the VirtualService's spec; empty when it is valid. */
  public List<FieldError> validate(VirtualService vs) {
    return validateObject(virtualServices, toJson(vs));
  }

  /** Everything wrong with the RealServerPool's spec; empty when it is valid. */
  public List<FieldError> validate(RealServerPool pool) {
    return validateObject(realServerPools, toJson(pool));
  }

  /** Everything wrong with a VirtualService spec alone (paths start at {@code spec}). */
  public List<FieldError> validate(VirtualServiceSpec spec) {
    return validateSpec(virtualServices, json.valueToTree(spec));
  }

  /** Everything wrong with a RealServerPool spec alone (paths start at {@code spec}). */
  public List<FieldError> validate(RealServerPoolSpec spec) {
    return validateSpec(realServerPools, json.valueToTree(spec));
  }

  /**
   * Validates a raw object (as parsed from YAML or JSON) of kind VirtualService,
   * RealServerPool or LvsNodeConfig: what {@code kubectl apply} would send, including fields the Java types cannot
   * hold (wrong types, unknown fields).
   */
  public List<FieldError> validate(JsonNode object) {
    String kind = object.path("kind").asText();
    return switch (kind) {
      case "VirtualService" -> validateObject(virtualServices, object);
      case "RealServerPool" -> validateObject(realServerPools, object);
      case "LvsNodeConfig" -> validateObject(nodeConfigs, object);
      default -> throw new IllegalArgumentException("kind " + kind + " is not validated here");
    };
  }

  private List<FieldError> validateObject(CrdSchema crd, JsonNode object) {
    List<FieldError> errors = new ArrayList<>();
    for (JsonNode req : crd.root().path("required")) {
      JsonNode v = object.get(req.asText());
      if (v == null || v.isNull()) {
        errors.add(new FieldError(req.asText(), null, "required", FieldError.Source.SCHEMA));
      }
    }
    JsonNode spec = object.get("spec");
    if (spec != null && !spec.isNull()) {
      walker.walk(crd.property("spec"), spec, "spec", errors);
    }
    return List.copyOf(errors);
  }

  private List<FieldError> validateSpec(CrdSchema crd, JsonNode spec) {
    if (spec == null || spec.isNull() || spec.isMissingNode()) {
      return List.of(new FieldError("spec", null, "required", FieldError.Source.SCHEMA));
    }
    List<FieldError> errors = new ArrayList<>();
    walker.walk(crd.property("spec"), spec, "spec", errors);
    return List.copyOf(errors);
  }

  private JsonNode toJson(HasMetadata resource) {
    return json.valueToTree(resource);
  }
}
