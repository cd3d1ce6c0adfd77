package io.lvs.agent.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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

  // Where each attribute lies in the buffer (type with its flags, payload offset and length): the
  // accessors read from there, and an Attr (a slice of its own) is made only when asked for one.
  // A dump of ten thousand services is decoded on every resync.
  private final ByteBuffer buffer;
  private final int count;
  private final int[] rawTypes;
  private final int[] offsets;
  private final int[] lengths;

  private AttrReader(ByteBuffer buffer, int count, int[] rawTypes, int[] offsets, int[] lengths) {
    this.buffer = buffer;
    this.count = count;
    this.rawTypes = rawTypes;
    this.offsets = offsets;
    this.lengths = lengths;
  }

  /** Parses attributes between the buffer's position and limit (the buffer is not moved). */
  public static AttrReader parse(ByteBuffer region) {
    ByteBuffer b = region.slice().order(ByteOrder.nativeOrder());
    int[] rawTypes = new int[16];
    int[] offsets = new int[16];
    int[] lengths = new int[16];
    int n = 0;
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
      if (n == rawTypes.length) {
        rawTypes = Arrays.copyOf(rawTypes, n * 2);
        offsets = Arrays.copyOf(offsets, n * 2);
        lengths = Arrays.copyOf(lengths, n * 2);
      }
      rawTypes[n] = rawType;
      offsets[n] = pos + Netlink.NLA_HDRLEN;
      lengths[n++] = len - Netlink.NLA_HDRLEN;
      pos = Math.min(end, pos + Netlink.align(len));
    }
    return new AttrReader(b, n, rawTypes, offsets, lengths);
  }

  public List<Attr> all() {
    List<Attr> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(attr(i));
    }
    return Collections.unmodifiableList(out);
  }

  public boolean has(int type) {
    return index(type) >= 0;
  }

  /** The last attribute of the type (the kernel's nla_parse keeps the last), or null. */
  public Attr find(int type) {
    int i = index(type);
    return i < 0 ? null : attr(i);
  }

  public Attr require(int type) {
    return attr(required(type));
  }

  private int index(int type) {
    for (int i = count - 1; i >= 0; i--) {
      if ((rawTypes[i] & Netlink.NLA_TYPE_MASK) == type) {
        return i;
      }
    }
    return -1;
  }

  private int required(int type) {
    int i = index(type);
    if (i < 0) {
      throw new MalformedMessageException("missing attribute type " + type);
    }
    return i;
  }

  private Attr attr(int i) {
    ByteBuffer payload = buffer.duplicate().position(offsets[i]).limit(offsets[i] + lengths[i]).slice()
        .order(ByteOrder.nativeOrder());
    return new Attr(rawTypes[i] & Netlink.NLA_TYPE_MASK, (rawTypes[i] & Netlink.NLA_F_NESTED) != 0, payload);
  }

  public int u8(int type) {
    return Byte.toUnsignedInt(buffer.get(sized(type, 1)));
  }

  public int u16(int type) {
    return Short.toUnsignedInt(buffer.getShort(sized(type, 2)));
  }

  public long u32(int type) {
    return Integer.toUnsignedLong(buffer.getInt(sized(type, 4)));
  }

  public long u64(int type) {
    return buffer.getLong(sized(type, 8));
  }

  /** __be16. */
  public int be16(int type) {
    int at = sized(type, 2);
    return (Byte.toUnsignedInt(buffer.get(at)) << 8) | Byte.toUnsignedInt(buffer.get(at + 1));
  }

  /** __be32. */
  public long be32(int type) {
    int at = sized(type, 4);
    long v = 0;
    for (int k = 0; k < 4; k++) {
      v = v << 8 | Byte.toUnsignedInt(buffer.get(at + k));
    }
    return v;
  }

  /** A u32 or u64 counter: IPVS stats attributes are u32 in STATS and u64 in STATS64. */
  public long uint(int type) {
    return uintAt(required(type), type);
  }

  public long uintOr(int type, long dflt) {
    int i = index(type);
    return i < 0 ? dflt : uintAt(i, type);
  }

  private long uintAt(int i, int type) {
    int at = offsets[i];
    switch (lengths[i]) {
      case 1: return Byte.toUnsignedInt(buffer.get(at));
      case 2: return Short.toUnsignedInt(buffer.getShort(at));
      case 4: return Integer.toUnsignedLong(buffer.getInt(at));
      case 8: return buffer.getLong(at);
      default: throw new MalformedMessageException("attribute type " + type + " has integer size " + lengths[i]);
    }
  }

  public byte[] bytes(int type) {
    int i = required(type);
    byte[] out = new byte[lengths[i]];
    buffer.get(offsets[i], out);
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
    int i = required(type);
    return parse(buffer.duplicate().position(offsets[i]).limit(offsets[i] + lengths[i]));
  }

  /** The payload's offset in the buffer, checked to hold {@code size} bytes. */
  private int sized(int type, int size) {
    int i = required(type);
    if (lengths[i] < size) {
      throw new MalformedMessageException("attribute type " + type + " has " + lengths[i] + " bytes, needs " + size);
    }
    return offsets[i];
  }
}
