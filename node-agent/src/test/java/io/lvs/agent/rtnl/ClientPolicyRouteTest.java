package io.lvs.agent.rtnl;

import static org.assertj.core.api.Assertions.assertThat;

import io.lvs.agent.netlink.AttrReader;
import io.lvs.agent.netlink.AttrWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * The policy route's messages, byte by byte against linux/fib_rules.h and rtnetlink.h: the kernel
 * took a rule with action 0 and flags 1 (FIB_RULE_PERMANENT) without complaint, and then failed
 * every lookup through it (EINVAL) and refused to delete it (EPERM) — what the kernel lab found.
 */
class ClientPolicyRouteTest {
  final ClientPolicyRoute route = new ClientPolicyRoute(null, 0x4c560000L, 0xffff0000L, 19542);

  @Test
  void theRuleLooksUpItsTableAndIsNotPermanent() {
    AttrWriter w = new AttrWriter();
    route.rule(w);
    ByteBuffer b = w.toBuffer().order(ByteOrder.nativeOrder());
    assertThat(b.get(0)).isEqualTo((byte) 2); // AF_INET
    assertThat(b.get(4)).isEqualTo((byte) 0); // table: in FRA_TABLE (19542 > 255)
    assertThat(b.get(7)).isEqualTo((byte) 1); // action FR_ACT_TO_TBL
    assertThat(b.getInt(8)).isZero(); // flags: not FIB_RULE_PERMANENT
    AttrReader a = AttrReader.parse(b.duplicate().position(ClientPolicyRoute.HDR_LEN));
    assertThat(a.u32(ClientPolicyRoute.FRA_TABLE)).isEqualTo(19542);
    assertThat(a.u32(ClientPolicyRoute.FRA_PRIORITY)).isEqualTo(19542);
    assertThat(a.u32(ClientPolicyRoute.FRA_FWMARK)).isEqualTo(0x4c560000L);
    assertThat(a.u32(ClientPolicyRoute.FRA_FWMASK)).isEqualTo(0xffff0000L);
  }

  @Test
  void theRouteIsLocalOnLoInItsTable() {
    AttrWriter w = new AttrWriter();
    route.route(w);
    ByteBuffer b = w.toBuffer().order(ByteOrder.nativeOrder());
    assertThat(b.get(1)).isEqualTo((byte) 0); // dst_len 0: default
    assertThat(Byte.toUnsignedInt(b.get(6))).isEqualTo(254); // RT_SCOPE_HOST
    assertThat(b.get(7)).isEqualTo((byte) 2); // RTN_LOCAL
    AttrReader a = AttrReader.parse(b.duplicate().position(ClientPolicyRoute.HDR_LEN));
    assertThat(a.u32(ClientPolicyRoute.RTA_TABLE)).isEqualTo(19542);
    assertThat(a.u32(ClientPolicyRoute.RTA_OIF)).isEqualTo(1);
  }
}
