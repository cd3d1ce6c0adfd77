package io.lvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lvs.agent.genl.Genl;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Byte layouts written by hand from linux/netlink.h and linux/genetlink.h (x86-64, little endian). */
class CodecGoldenTest {
  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s.replace(" ", ""));
  }

  @Test
  void ctrlGetFamilyRequestMatchesStructLayout() {
    AttrWriter w = new AttrWriter();
    int start = w.beginMessage(Genl.GENL_ID_CTRL, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK, 1, 0);
    Genl.header(w, Genl.CTRL_CMD_GETFAMILY, 1);
    w.putString(Genl.CTRL_ATTR_FAMILY_NAME, "IPVS");
    w.endMessage(start);
    // struct nlmsghdr {len=32, type=GENL_ID_CTRL, flags=REQUEST|ACK, seq=1, pid=0}
    // struct genlmsghdr {cmd=CTRL_CMD_GETFAMILY, version=1, reserved=0}
    // struct nlattr {len=9, type=CTRL_ATTR_FAMILY_NAME} "IPVS\0" + 3 bytes NLA_ALIGN padding
    assertThat(w.toArray()).isEqualTo(hex(
        "20000000 1000 0500 01000000 00000000" + "03010000" + "0900 0200 49505653 00 000000"));
  }

  @Test
  void nestedAttributeLengthCoversChildrenAndFlagsNested() {
    AttrWriter w = new AttrWriter();
    int n = w.beginNested(1);
    w.putU16(1, 2); // e.g. IPVS_SVC_ATTR_AF = AF_INET: nla_len 6, padded to 8
    w.putBe16(4, 80); // IPVS_SVC_ATTR_PORT, __be16 80 = 00 50
    w.endNested(n);
    assertThat(w.toArray()).isEqualTo(hex("1400 0180" + "0600 0100 0200 0000" + "0600 0400 0050 0000"));
  }

  @Test
  void be32AndU64AreEncodedInTheirByteOrders() {
    AttrWriter w = new AttrWriter();
    w.putBe32(9, 0xffffff00); // IPVS_SVC_ATTR_NETMASK 255.255.255.0 as __be32
    w.putU64(4, 0x0102030405060708L);
    assertThat(w.toArray()).isEqualTo(hex("0800 0900 ffffff00" + "0c00 0400 0807060504030201"));
  }

  @Test
  void errorMessageWithExtackParses() {
    // struct nlmsgerr {error=-17, msg={len=36 (echoed),type=0x20,flags=5,seq=7,pid=9}} + NLMSGERR_ATTR_MSG
    byte[] b = hex("2c000000 0200 0003 07000000 09000000" + "efffffff" + "24000000 2000 0500 07000000 09000000"
        + "0800 0100 626164 00");
    NlMessage m = NlMessage.parseAll(ByteBuffer.wrap(b)).get(0);
    NlError e = NlError.parse(m);
    assertThat(e.error()).isEqualTo(-17);
    assertThat(e.requestSeq()).isEqualTo(7);
    assertThat(e.extack()).isEqualTo("bad");
    NetlinkException ex = Errno.exception("add service", "TCP 198.18.0.1:80", e.error(), e.extack());
    assertThat(ex.errnoName()).isEqualTo("EEXIST");
    assertThat(ex.errno()).isEqualTo(17);
    assertThat(ex.getMessage()).isEqualTo("add service TCP 198.18.0.1:80: EEXIST (bad)");
  }

  @Test
  void uncappedErrorSkipsTheEchoedRequestBeforeTlvs() {
    // error flags ACK_TLVS only: the request's 4-byte payload is echoed before the TLVs
    byte[] b = hex("30000000 0200 0002 07000000 09000000" + "eaffffff" + "14000000 2000 0500 07000000 09000000"
        + "01020304" + "0800 0100 78797a 00");
    NlError e = NlError.parse(NlMessage.parseAll(ByteBuffer.wrap(b)).get(0));
    assertThat(e.error()).isEqualTo(-22);
    assertThat(e.extack()).isEqualTo("xyz");
  }

  @Test
  void truncatedAndOverlongLengthsAreErrors() {
    assertThatThrownBy(() -> AttrReader.parse(ByteBuffer.wrap(hex("0800 0100 0000"))))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> AttrReader.parse(ByteBuffer.wrap(hex("0200 0100"))))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("nla_len 2");
    assertThatThrownBy(() -> AttrReader.parse(ByteBuffer.wrap(hex("0400 0100 00"))))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("trailing");
    assertThatThrownBy(() -> NlMessage.parseAll(ByteBuffer.wrap(hex("0f000000 0200 0000 00000000 00000000"))))
        .isInstanceOf(MalformedMessageException.class);
    assertThatThrownBy(() -> AttrReader.parse(ByteBuffer.wrap(hex("0600 0100 0100 0000"))).u32(1))
        .isInstanceOf(MalformedMessageException.class).hasMessageContaining("needs 4");
  }

  @Test
  void readerDecodesHostAndNetworkOrder() {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    b.putShort((short) 8).putShort((short) 1).putInt(0x11223344);
    b.putShort((short) 6).putShort((short) 2).put((byte) 0x1f).put((byte) 0x90).putShort((short) 0);
    b.putShort((short) 8).putShort((short) 3).put(new byte[] {'l', 'o', 0, 0});
    b.flip();
    AttrReader r = AttrReader.parse(b);
    assertThat(r.u32(1)).isEqualTo(0x11223344L);
    assertThat(r.be16(2)).isEqualTo(8080);
    assertThat(r.string(3)).isEqualTo("lo");
  }
}
