package io.lvs.operator.validate;

import io.lvs.api.v1alpha1.LvsNodeConfigSpec;
import io.lvs.api.validation.FieldError;
import io.lvs.api.validation.SpecValidator;
import java.util.List;

/** The CRD's rule set (schema + CEL) for LvsNodeConfig specs; one immutable validator, shared. */
final class NodeConfigRules {
  private static final SpecValidator VALIDATOR = new SpecValidator();

  private NodeConfigRules() {}

  static List<String> validate(LvsNodeConfigSpec spec) {
    return VALIDATOR.validate(spec).stream().map(FieldError::message).toList();
  }
}
