package io.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds netlink messages: nlmsghdr, a family header written raw, then attributes (struct nlattr
 * + payload, padded to NLA_ALIGN) and nested attributes. Host byte order except where a put
 * method says "be" (the kernel's __be16/__be32 fields). Alignment is handled here once: every
 * attribute and every message ends on a 4-byte boundary.
 */
public final class AttrWriter {
  private ByteBuffer buf;

  public AttrWriter() {
    this(4096);
  }

  public AttrWriter(int initialCapacity) {
    buf = ByteBuffer.allocate(initialCapacity).order(ByteOrder.nativeOrder());
  }

  /** Bytes written so far. */
  public int size() {
    return buf.position();
  }

  /** Starts a message; returns its offset for {@link #endMessage}. */
  public int beginMessage(int type, int flags, int seq, int portId) {
    align();
    int start = buf.position();
    ensure(Netlink.NLMSG_HDRLEN);
    buf.putInt(0).putShort((short) type).putShort((short) flags).putInt(seq).putInt(portId);
    return start;
  }

  /** Patches nlmsg_len and pads the message to NLMSG_ALIGN. */
  public void endMessage(int start) {
    buf.putInt(start, buf.position() - start);
    align();
  }

  public AttrWriter u8(int v) {
    ensure(1);
    buf.put((byte) v);
    return this;
  }

  public AttrWriter u16(int v) {
    ensure(2);
    buf.putShort((short) v);
    return this;
  }

  public AttrWriter u32(int v) {
    ensure(4);
    buf.putInt(v);
    return this;
  }

  public AttrWriter raw(byte[] bytes) {
    ensure(bytes.length);
    buf.put(bytes);
    return this;
  }

  public AttrWriter putU8(int type, int v) {
    return attr(type, 1).u8(v).padAttr();
  }

  public AttrWriter putU16(int type, int v) {
    return attr(type, 2).u16(v).padAttr();
  }

  public AttrWriter putU32(int type, int v) {
    return attr(type, 4).u32(v).padAttr();
  }

  public AttrWriter putU64(int type, long v) {
    attr(type, 8);
    buf.putLong(v);
    return this;
  }

  /** A __be16 attribute (ports). */
  public AttrWriter putBe16(int type, int v) {
    attr(type, 2);
    buf.put((byte) (v >>> 8)).put((byte) v);
    return padAttr();
  }

  /** A __be32 attribute (IPv4 netmask). */
  public AttrWriter putBe32(int type, int v) {
    attr(type, 4);
    buf.put((byte) (v >>> 24)).put((byte) (v >>> 16)).put((byte) (v >>> 8)).put((byte) v);
    return this;
  }

  public AttrWriter putBytes(int type, byte[] v) {
    attr(type, v.length).raw(v);
    return padAttr();
  }

  /** A NUL-terminated string attribute (NLA_NUL_STRING / NLA_STRING as iproute2 sends them). */
  public AttrWriter putString(int type, String v) {
    byte[] b = v.getBytes(StandardCharsets.UTF_8);
    attr(type, b.length + 1).raw(b).u8(0);
    return padAttr();
  }

  /** Starts a nested attribute; returns its offset for {@link #endNested}. */
  public int beginNested(int type) {
    int start = buf.position();
    attr(type | Netlink.NLA_F_NESTED, 0);
    return start;
  }

  public void endNested(int start) {
    buf.putShort(start, (short) (buf.position() - start));
  }

  /** The finished bytes, position 0, little to send. */
  public ByteBuffer toBuffer() {
    ByteBuffer out = buf.duplicate().order(buf.order());
    out.flip();
    return out;
  }

  public byte[] toArray() {
    ByteBuffer b = toBuffer();
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return a;
  }

  private AttrWriter attr(int type, int payloadLen) {
    int len = Netlink.NLA_HDRLEN + payloadLen;
    if (len > 0xffff) {
      throw new IllegalArgumentException("attribute " + type + " too long: " + len);
    }
    ensure(Netlink.align(len));
    buf.putShort((short) len).putShort((short) type);
    return this;
  }

  private AttrWriter padAttr() {
    align();
    return this;
  }

  private void align() {
    int pad = Netlink.align(buf.position()) - buf.position();
    ensure(pad);
    for (int i = 0; i < pad; i++) {
      buf.put((byte) 0);
    }
  }

  private void ensure(int more) {
    if (buf.remaining() < more) {
      ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + more))
          .order(buf.order());
      buf.flip();
      bigger.put(buf);
      buf = bigger;
    }
  }
}
