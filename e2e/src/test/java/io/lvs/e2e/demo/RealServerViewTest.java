package io.lvs.e2e.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RealServerViewTest {
  // captured from `ip -o -4 addr show dev lo` in a network namespace holding the VIP (iproute2 6.1)
  private static final String LO_WITH_VIP = """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      1: lo    inet 198.18.0.100/32 scope global lo\\       valid_lft forever preferred_lft forever
      """;
  // the same without -4: the inet6 line follows
  private static final String LO_WITH_VIP_ALL_FAMILIES = LO_WITH_VIP
      + "1: lo    inet6 ::1/128 scope host \\       valid_lft forever preferred_lft forever\n";
  private static final String LO_WITHOUT_VIP = """
      1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
      """;

  @Test
  void theVipOnLoIsShownAfterLoopback() {
    RealServerView v = RealServerView.of("rs1", LO_WITH_VIP, "1\n", "2\n");

    assertThat(v.loAddresses()).containsExactly("127.0.0.1/8", "198.18.0.100/32");
    assertThat(v.line("198.18.0.100"))
        .isEqualTo("rs1: lo 127.0.0.1/8 198.18.0.100/32 (the VIP)  arp_ignore=1 arp_announce=2");
  }

  @Test
  void inet6LinesAreListedToo() {
    assertThat(RealServerView.of("rs1", LO_WITH_VIP_ALL_FAMILIES, "1", "2").loAddresses())
        .containsExactly("127.0.0.1/8", "198.18.0.100/32", "::1/128");
  }

  @Test
  void aMissingVipIsSaidNotHidden() {
    RealServerView v = RealServerView.of("rs2", LO_WITHOUT_VIP, "0", "0");

    assertThat(v.holds("198.18.0.100")).isFalse();
    assertThat(v.line("198.18.0.100")).isEqualTo(
        "rs2: lo 127.0.0.1/8  -- VIP 198.18.0.100 MISSING  arp_ignore=0 arp_announce=0");
  }

  @Test
  void aVipThatOnlySharesAPrefixIsNotTheVip() {
    assertThat(RealServerView.of("rs1", LO_WITH_VIP, "1", "2").holds("198.18.0.10")).isFalse();
  }
}
