package io.lvs.operator.validate;

import io.lvs.api.v1alpha1.LvsNodeConfigSpec;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import java.util.List;

/**
 * The operator's own check of a VirtualService before it plans it: a cluster without CEL (before
 * 1.25) lets cross-field mistakes through the schema, and they must not reach a kernel. Messages
 * name the field.
 */
public interface SpecValidation {
  /** Problems found, empty when the spec may be planned. */
  List<String> validate(VirtualServiceSpec spec);

  /** The same for an LvsNodeConfig: an invalid one selects no node. */
  default List<String> validate(LvsNodeConfigSpec spec) {
    return NodeConfigRules.validate(spec);
  }
}
