package io.lvs.agent.ownership;

import io.lvs.agent.model.DestinationKey;
import io.lvs.agent.model.Ipv4;
import java.net.Inet4Address;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An immutable set of destination keys in {@link OwnedService#ORDER}, compact: an IPv4 key is one
 * {@code long} (address << 16 | port) in a sorted array; any other key (IPv6, rare) is kept as it
 * is in a second sorted array. Ten thousand services of ten owned destinations held a TreeMap
 * entry and a key object each; this holds 8 bytes per IPv4 key. Keys are made anew on iteration.
 */
final class DestinationKeySet extends AbstractSet<DestinationKey> {
  static final DestinationKeySet EMPTY = new DestinationKeySet(new long[0], new DestinationKey[0]);

  /** IPv4 keys with a port in 0..65535, encoded. */
  private final long[] v4;
  /** The others, as given. */
  private final DestinationKey[] v6;

  private DestinationKeySet(long[] v4, DestinationKey[] v6) {
    this.v4 = v4;
    this.v6 = v6;
  }

  static DestinationKeySet of(Collection<DestinationKey> keys) {
    if (keys instanceof DestinationKeySet d) {
      return d;
    }
    long[] v4 = new long[keys.size()];
    DestinationKey[] v6 = new DestinationKey[keys.size()];
    int n4 = 0;
    int n6 = 0;
    for (DestinationKey k : keys) {
      if (k.address() instanceof Inet4Address a && packable(k.port())) {
        v4[n4++] = encode(a, k.port());
      } else {
        v6[n6++] = k;
      }
    }
    long[] four = Arrays.stream(v4, 0, n4).sorted().distinct().toArray();
    DestinationKey[] six = Arrays.stream(v6, 0, n6).distinct().sorted(OwnedService.ORDER).toArray(DestinationKey[]::new);
    return four.length == 0 && six.length == 0 ? EMPTY : new DestinationKeySet(four, six);
  }

  private static boolean packable(int port) {
    return port >= 0 && port <= 0xffff;
  }

  private static long encode(Inet4Address a, int port) {
    return (Ipv4.bits(a) & 0xffffffffL) << 16 | (port & 0xffff);
  }

  private static DestinationKey decode(long e) {
    return new DestinationKey(Ipv4.address((int) (e >>> 16)), (int) (e & 0xffff));
  }

  @Override
  public int size() {
    return v4.length + v6.length;
  }

  @Override
  public boolean contains(Object o) {
    if (!(o instanceof DestinationKey k)) {
      return false;
    }
    if (k.address() instanceof Inet4Address a && packable(k.port())) {
      return Arrays.binarySearch(v4, encode(a, k.port())) >= 0;
    }
    return Arrays.binarySearch(v6, k, OwnedService.ORDER) >= 0;
  }

  /** In {@link OwnedService#ORDER}: the two arrays merged. */
  @Override
  public Iterator<DestinationKey> iterator() {
    return new Iterator<>() {
      private int i;
      private int j;
      private DestinationKey next4;

      @Override
      public boolean hasNext() {
        return i < v4.length || j < v6.length;
      }

      @Override
      public DestinationKey next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        if (i < v4.length && next4 == null) {
          next4 = decode(v4[i]);
        }
        if (j >= v6.length || (next4 != null && OwnedService.ORDER.compare(next4, v6[j]) <= 0)) {
          DestinationKey k = next4;
          next4 = null;
          i++;
          return k;
        }
        return v6[j++];
      }
    };
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof DestinationKeySet d) {
      return Arrays.equals(v4, d.v4) && Arrays.equals(v6, d.v6);
    }
    return super.equals(o);
  }

  @Override
  public int hashCode() {
    return super.hashCode(); // the Set contract: equal to any other set of the same keys
  }
}
