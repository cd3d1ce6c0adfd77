package io.lvs.operator.plan;

import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import java.util.Map;

/** One VirtualService's entries, per node (each spec holds that owner's entries only, sorted). */
record Fragment(Map<String, LvsNodeStateSpec> nodes) {}
