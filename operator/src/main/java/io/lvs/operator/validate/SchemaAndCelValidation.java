package io.lvs.operator.validate;

import io.lvs.api.v1alpha1.RealServerPoolSpec;
import io.lvs.api.v1alpha1.VirtualServiceSpec;
import io.lvs.api.validation.FieldError;
import io.lvs.api.validation.SpecValidator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The operator's check is the CRDs' own rule set (schema + CEL, evaluated by the crds module's
 * {@link SpecValidator}): an API server without CEL (before 1.25) or with an older CRD lets
 * mistakes through, and they are refused here with the same words instead of reaching a kernel.
 *
 * <p>Results are remembered per spec value (specs are immutable records): each VirtualService
 * reconcile validates its spec, and the sync validates every VirtualService whose plan input is
 * built anew (after a restart, all of them); the schema walk + CEL evaluation was the largest share
 * of the operator's CPU at 2,000 VirtualServices. A bounded memo, not state: the answer is the same
 * with or without it.
 */
public final class SchemaAndCelValidation implements SpecValidation {
  static final int REMEMBERED = 20_000;
  private final SpecValidator validator = new SpecValidator();
  private final Map<Object, List<String>> memo = Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<Object, List<String>> eldest) {
      return size() > REMEMBERED;
    }
  });

  @Override
  public List<String> validate(VirtualServiceSpec spec) {
    return remembered(spec, s -> validator.validate(s).stream().map(FieldError::message).toList());
  }

  /** The same for a pool. */
  public List<String> validate(RealServerPoolSpec spec) {
    return remembered(spec, s -> validator.validate(s).stream().map(FieldError::message).toList());
  }

  private <S> List<String> remembered(S spec, Function<S, List<String>> check) {
    if (spec == null) {
      return check.apply(null);
    }
    List<String> known = memo.get(spec);
    if (known != null) {
      return known;
    }
    List<String> result = List.copyOf(check.apply(spec)); // outside the lock: two threads may both compute it
    memo.put(spec, result);
    return result;
  }
}
