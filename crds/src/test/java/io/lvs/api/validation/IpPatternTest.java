package io.lvs.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.lvs.api.v1alpha1.Patterns;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The IP literal pattern, the most intricate rule in the schema, under RE2 (what the API server's
 * Go regexp and SpecValidator use): every IPv4 and IPv6 address in its usual spellings matches,
 * malformed literals do not.
 */
class IpPatternTest {
  private static final Pattern IP = Pattern.compile(Patterns.IP);

  @Test
  void randomIpv4AddressesMatch() {
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      String a = random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
      assertThat(IP.matcher(a).matches()).as(a).isTrue();
    }
  }

  @Test
  void randomIpv6AddressesMatchInFullAndCompressedForms() {
    Random random = new Random(7);
    for (int i = 0; i < 3000; i++) {
      int[] groups = new int[8];
      for (int g = 0; g < 8; g++) {
        // many zero groups, so every position and length of "::" gets exercised
        groups[g] = random.nextInt(10) < 4 ? 0 : random.nextInt(0x10000);
      }
      for (String form : List.of(full(groups), compressed(groups), compressed(groups).toUpperCase())) {
        assertThat(IP.matcher(form).matches()).as(form).isTrue();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"::", "::1", "2001:db8::", "::ffff:198.18.0.1", "64:ff9b::198.18.0.1", "fe80::1:2:3:4:5:6"})
  void specialIpv6FormsMatch(String literal) {
    assertThat(IP.matcher(literal).matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", " 1.2.3.4", "1.2.3.4/32", "a.b.c.d",
      "1:2:3:4:5:6:7:8:9", ":::1", "1:::2", "2001:db8::g", "1::2::3", "fe80::1%eth0", "[::1]", "::ffff:1.2.3.256",
      "12345::", "1:2:3:4:5:6:7", "localhost"})
  void malformedLiteralsDoNotMatch(String literal) {
    assertThat(IP.matcher(literal).matches()).isFalse();
  }

  private static String full(int[] groups) {
    List<String> parts = new ArrayList<>();
    for (int g : groups) {
      parts.add(Integer.toHexString(g));
    }
    return String.join(":", parts);
  }

  /** RFC 5952: the longest run of two or more zero groups becomes "::". */
  private static String compressed(int[] groups) {
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    if (bestStart < 0) {
      return full(groups);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bestStart; i++) {
      sb.append(i > 0 ? ":" : "").append(Integer.toHexString(groups[i]));
    }
    sb.append("::");
    for (int i = bestStart + bestLen; i < 8; i++) {
      sb.append(i > bestStart + bestLen ? ":" : "").append(Integer.toHexString(groups[i]));
    }
    return sb.toString();
  }
}
