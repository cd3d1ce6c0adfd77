package io.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed attribute stream (a run of struct nlattr). Parsing is strict: an attribute whose
 * nla_len is below NLA_HDRLEN or runs past its container, or trailing bytes too short for a
 * header, is a {@link MalformedMessageException}; nothing is skipped silently and every step
 * consumes at least NLA_HDRLEN bytes, so no input can loop. Accessors check payload sizes.
 */
public final class AttrReader {
  /** One attribute: its type without the NLA_F_* bits, whether it was flagged nested, payload. */
  public record Attr(int type, boolean nestedFlag, ByteBuffer payload) {
    public int length() {
      return payload.remaining();
    }
  }

  private final List<Attr> attrs;

  private AttrReader(List<Attr> attrs) {
    this.attrs = attrs;
  }

  /** Parses attributes between the buffer's position and limit (the buffer is not moved). */
  public static AttrReader parse(ByteBuffer region) {
    ByteBuffer b = region.slice().order(ByteOrder.nativeOrder());
    List<Attr> out = new ArrayList<>();
    int pos = 0;
    int end = b.limit();
    while (pos < end) {
      if (end - pos < Netlink.NLA_HDRLEN) {
        throw new MalformedMessageException((end - pos) + " trailing bytes after attributes");
      }
      int len = Short.toUnsignedInt(b.getShort(pos));
      int rawType = Short.toUnsignedInt(b.getShort(pos + 2));
      if (len < Netlink.NLA_HDRLEN) {
        throw new MalformedMessageException("attribute type " + rawType + " has nla_len " + len);
      }
      if (len > end - pos) {
        throw new MalformedMessageException(
            "attribute type " + rawType + " nla_len " + len + " exceeds the " + (end - pos) + " bytes left");
      }
      ByteBuffer payload = b.duplicate().position(pos + Netlink.NLA_HDRLEN).limit(pos + len).slice()
          .order(ByteOrder.nativeOrder());
      out.add(new Attr(rawType & Netlink.NLA_TYPE_MASK, (rawType & Netlink.NLA_F_NESTED) != 0, payload));
      pos = Math.min(end, pos + Netlink.align(len));
    }
    return new AttrReader(Collections.unmodifiableList(out));
  }

  public List<Attr> all() {
    return attrs;
  }

  public boolean has(int type) {
    return find(type) != null;
  }

  /** The last attribute of the type (the kernel's nla_parse keeps the last), or null. */
  public Attr find(int type) {
    for (int i = attrs.size() - 1; i >= 0; i--) {
      if (attrs.get(i).type() == type) {
        return attrs.get(i);
      }
    }
    return null;
  }

  public Attr require(int type) {
    Attr a = find(type);
    if (a == null) {
      throw new MalformedMessageException("missing attribute type " + type);
    }
    return a;
  }

  public int u8(int type) {
    return Byte.toUnsignedInt(sized(type, 1).get(0));
  }

  public int u16(int type) {
    return Short.toUnsignedInt(sized(type, 2).getShort(0));
  }

  public long u32(int type) {
    return Integer.toUnsignedLong(sized(type, 4).getInt(0));
  }

  public long u64(int type) {
    return sized(type, 8).getLong(0);
  }

  /** __be16. */
  public int be16(int type) {
    ByteBuffer p = sized(type, 2);
    return (Byte.toUnsignedInt(p.get(0)) << 8) | Byte.toUnsignedInt(p.get(1));
  }

  /** __be32. */
  public long be32(int type) {
    return Integer.toUnsignedLong(sized(type, 4).duplicate().order(ByteOrder.BIG_ENDIAN).getInt(0));
  }

  /** A u32 or u64 counter: IPVS stats attributes are u32 in STATS and u64 in STATS64. */
  public long uint(int type) {
    ByteBuffer p = require(type).payload();
    switch (p.remaining()) {
      case 1: return Byte.toUnsignedInt(p.get(0));
      case 2: return Short.toUnsignedInt(p.getShort(0));
      case 4: return Integer.toUnsignedLong(p.getInt(0));
      case 8: return p.getLong(0);
      default: throw new MalformedMessageException("attribute type " + type + " has integer size " + p.remaining());
    }
  }

  public long uintOr(int type, long dflt) {
    return has(type) ? uint(type) : dflt;
  }

  public byte[] bytes(int type) {
    ByteBuffer p = require(type).payload().duplicate();
    byte[] out = new byte[p.remaining()];
    p.get(out);
    return out;
  }

  /** A string, up to the first NUL (NLA_NUL_STRING) or the payload's end (NLA_STRING). */
  public String string(int type) {
    byte[] b = bytes(type);
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.UTF_8);
  }

  public String stringOr(int type, String dflt) {
    return has(type) ? string(type) : dflt;
  }

  public AttrReader nested(int type) {
    return parse(require(type).payload());
  }

  private ByteBuffer sized(int type, int size) {
    Attr a = require(type);
    if (a.length() < size) {
      throw new MalformedMessageException("attribute type " + type + " has " + a.length() + " bytes, needs " + size);
    }
    return a.payload();
  }
}
