package io.lvs.agent.netlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The reader (offsets into the buffer, an Attr made only on request) against a plain model of
 * an attribute stream: a list of (type, nested flag, payload) where the last of a type counts.
 * Random streams with repeated types, payloads of 0 to 12 bytes and a nest, read through every
 * accessor; an accessor the model says must fail fails.
 */
class AttrReaderModelTest {
  record Plain(int type, boolean nested, byte[] payload) {}

  @Test
  void everyAccessorReadsWhatThePlainModelHolds() {
    Random r = new Random(23);
    for (int round = 0; round < 2_000; round++) {
      List<Plain> model = new ArrayList<>();
      ByteBuffer b = ByteBuffer.allocate(4096).order(ByteOrder.nativeOrder());
      b.position(r.nextInt(8)); // the region need not start at the buffer's start
      int start = b.position();
      for (int n = r.nextInt(12); n > 0; n--) {
        int type = 1 + r.nextInt(6);
        boolean nested = r.nextInt(5) == 0;
        byte[] payload = new byte[nested ? 8 : new int[] {0, 1, 2, 3, 4, 8, 12}[r.nextInt(7)]];
        r.nextBytes(payload);
        if (nested) { // one u32 child of type 1
          ByteBuffer c = ByteBuffer.wrap(payload).order(ByteOrder.nativeOrder());
          c.putShort(0, (short) 8).putShort(2, (short) 1);
        }
        b.putShort((short) (Netlink.NLA_HDRLEN + payload.length)).putShort((short) (type | (nested ? Netlink.NLA_F_NESTED : 0)))
            .put(payload);
        b.position(start + Netlink.align(b.position() - start));
        model.add(new Plain(type, nested, payload));
      }
      ByteBuffer region = b.flip().position(start);
      AttrReader reader = AttrReader.parse(region);
      assertThat(region.position()).as("the buffer is not moved").isEqualTo(start);

      assertThat(reader.all()).hasSize(model.size());
      for (int i = 0; i < model.size(); i++) {
        AttrReader.Attr a = reader.all().get(i);
        assertThat(a.type()).isEqualTo(model.get(i).type());
        assertThat(a.nestedFlag()).isEqualTo(model.get(i).nested());
        assertThat(bytes(a.payload())).isEqualTo(model.get(i).payload());
      }
      for (int type = 0; type <= 7; type++) {
        Plain last = null;
        for (Plain p : model) {
          if (p.type() == type) {
            last = p;
          }
        }
        int t = type;
        assertThat(reader.has(type)).isEqualTo(last != null);
        if (last == null) {
          assertThat(reader.find(type)).isNull();
          assertThat(reader.uintOr(type, -7)).isEqualTo(-7);
          assertThatThrownBy(() -> reader.u32(t)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("missing");
          continue;
        }
        ByteBuffer p = ByteBuffer.wrap(last.payload()).order(ByteOrder.nativeOrder());
        assertThat(reader.bytes(type)).isEqualTo(last.payload());
        assertThat(bytes(reader.find(type).payload())).isEqualTo(last.payload());
        check(last.payload().length >= 1, () -> reader.u8(t), () -> (long) Byte.toUnsignedInt(p.get(0)));
        check(last.payload().length >= 2, () -> reader.u16(t), () -> (long) Short.toUnsignedInt(p.getShort(0)));
        check(last.payload().length >= 2, () -> reader.be16(t),
            () -> (long) Short.toUnsignedInt(p.duplicate().order(ByteOrder.BIG_ENDIAN).getShort(0)));
        check(last.payload().length >= 4, () -> reader.u32(t), () -> Integer.toUnsignedLong(p.getInt(0)));
        check(last.payload().length >= 4, () -> reader.be32(t),
            () -> Integer.toUnsignedLong(p.duplicate().order(ByteOrder.BIG_ENDIAN).getInt(0)));
        check(last.payload().length >= 8, () -> reader.u64(t), () -> p.getLong(0));
        int len = last.payload().length;
        check(len == 1 || len == 2 || len == 4 || len == 8, () -> reader.uint(t), () -> switch (len) {
          case 1 -> (long) Byte.toUnsignedInt(p.get(0));
          case 2 -> (long) Short.toUnsignedInt(p.getShort(0));
          case 4 -> Integer.toUnsignedLong(p.getInt(0));
          default -> p.getLong(0);
        });
        if (last.nested()) {
          assertThat(reader.nested(type).u32(1)).isEqualTo(Integer.toUnsignedLong(p.getInt(4)));
        }
      }
    }
  }

  interface LongCall {
    long get();
  }

  static void check(boolean valid, LongCall actual, LongCall expected) {
    if (valid) {
      assertThat(actual.get()).isEqualTo(expected.get());
    } else {
      assertThatThrownBy(actual::get).isInstanceOf(MalformedMessageException.class);
    }
  }

  static byte[] bytes(ByteBuffer b) {
    byte[] out = new byte[b.remaining()];
    b.duplicate().get(out);
    return out;
  }

  @Test
  void aTruncatedStreamIsRefusedWhereverItEnds() {
    ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.nativeOrder());
    b.putShort((short) 8).putShort((short) 1).putInt(5).putShort((short) 8).putShort((short) 2).putInt(6);
    byte[] whole = Arrays.copyOf(b.array(), 16);
    for (int cut = 1; cut < 16; cut++) {
      if (cut == 8) {
        continue; // a whole first attribute
      }
      ByteBuffer part = ByteBuffer.wrap(Arrays.copyOf(whole, cut));
      assertThatThrownBy(() -> AttrReader.parse(part)).as("cut at " + cut).isInstanceOf(MalformedMessageException.class);
    }
  }
}
