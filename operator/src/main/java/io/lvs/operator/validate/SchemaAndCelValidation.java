package io.lvs.operator.validate;

import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.api.validation.FieldError;
import io.lvs.api.validation.SpecValidator;
import java.util.List;

/**
 * The operator's check is the CRDs' own rule set (schema + CEL, evaluated by the crds module's
 * {@link SpecValidator}): an API server without CEL (before 1.25) or with an older CRD lets
 * mistakes through, and they are refused here with the same words instead of reaching a kernel.
 *
 * <p>Each VirtualService reconcile validates its spec, and the sync validates a VirtualService
 * when its plan input is built anew (after a restart, all of them). No memo: validating all 2,000
 * specs of the scale benchmark costs tens of milliseconds (docs/benchmarks.md, "What each memo
 * buys").
 */
public final class SchemaAndCelValidation implements SpecValidation {
  private final SpecValidator validator = new SpecValidator();

  @Override
  public List<String> validate(VirtualServiceSpec spec) {
    return validator.validate(spec).stream().map(FieldError::message).toList();
  }

  /** The same for a pool. */
  public List<String> validate(RealServerPoolSpec spec) {
    return validator.validate(spec).stream().map(FieldError::message).toList();
  }
}
