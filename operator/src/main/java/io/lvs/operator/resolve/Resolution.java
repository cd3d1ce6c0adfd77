package io.lvs.operator.resolve;

import java.util.List;

/** Candidates found by one or more sources, and the problems met on the way (field + object). */
public record Resolution(List<Candidate> candidates, List<String> errors) {
  public Resolution {
    candidates = List.copyOf(candidates);
    errors = List.copyOf(errors);
  }
}
