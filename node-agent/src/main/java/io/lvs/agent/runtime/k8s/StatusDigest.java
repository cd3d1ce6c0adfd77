package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lvs.api.v1alpha1.DestinationReport;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import io.lvs.api.v1alpha1.ServiceReport;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * A slice's status as the status writer remembers it once written: the SHA-256 of its significant
 * part (all but the sync time and the counters) and nothing else. Holding the status itself kept
 * a report per destination for every slice (at 10,000 services x 10, 100,000) between syncs only
 * to compare the next status with it; equal digests stand for equal significant parts.
 */
public record StatusDigest(byte[] sha256) {
  public StatusDigest {
    sha256 = sha256.clone();
  }

  /** The digest of {@code s}'s significant part, serialised as JSON (fields in declaration order). */
  public static StatusDigest of(ObjectMapper json, LvsNodeStateStatus s) {
    try {
      return new StatusDigest(MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(significant(s))));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("digest of a status: " + e.getMessage(), e);
    }
  }

  /** The status without what changes on every sync: sync time and counters. */
  static LvsNodeStateStatus significant(LvsNodeStateStatus s) {
    return new LvsNodeStateStatus(s.observedGeneration(), s.conditions(), null, s.owners(),
        s.services() == null ? null : s.services().stream()
            .map(r -> new ServiceReport(r.owner(), r.service(), r.programmed(), r.error(),
                r.destinations() == null ? null : r.destinations().stream()
                    .map(d -> new DestinationReport(d.address(), d.port(), d.weight(), d.health(),
                        null, null, null, null, null, null, null, d.healthSince(), d.healthError()))
                    .toList(),
                null, null, null, null, null))
            .toList(),
        s.timeouts());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StatusDigest d && Arrays.equals(sha256, d.sha256);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sha256);
  }

  @Override
  public String toString() {
    return java.util.HexFormat.of().formatHex(sha256);
  }
}
