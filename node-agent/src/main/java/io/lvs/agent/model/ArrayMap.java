package io.lvs.agent.model;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map in insertion order, held as one array of keys and values: for the small maps
 * the agent keeps per IPVS service (a service's destinations), where a LinkedHashMap costs an
 * entry object per mapping and a table besides. Up to {@link #SCAN} mappings a lookup scans the
 * keys; above, an open-addressing index of the slots is kept beside them. Equal to any map with the
 * same mappings (the {@link Map} contract); null keys and values are refused.
 */
public final class ArrayMap<K, V> extends AbstractMap<K, V> {
  static final int SCAN = 16;
  private static final ArrayMap<?, ?> EMPTY = new ArrayMap<>(new Object[0], null);

  private final Object[] slots; // key0, value0, key1, value1, ...
  private final int[] index; // null up to SCAN mappings; else slot number + 1 by hash, 0 = empty

  private ArrayMap(Object[] slots, int[] index) {
    this.slots = slots;
    this.index = index;
  }

  /** The mappings of {@code m} in its iteration order; {@code m} itself if it is an ArrayMap already. */
  @SuppressWarnings("unchecked")
  public static <K, V> ArrayMap<K, V> copyOf(Map<? extends K, ? extends V> m) {
    if (m instanceof ArrayMap<?, ?> a) {
      return (ArrayMap<K, V>) a;
    }
    if (m.isEmpty()) {
      return (ArrayMap<K, V>) EMPTY;
    }
    Object[] slots = new Object[2 * m.size()];
    int i = 0;
    for (Map.Entry<? extends K, ? extends V> e : m.entrySet()) {
      slots[i++] = Objects.requireNonNull(e.getKey(), "key");
      slots[i++] = Objects.requireNonNull(e.getValue(), "value");
    }
    if (i != slots.length) {
      throw new IllegalArgumentException("map changed while copied");
    }
    return new ArrayMap<>(slots, m.size() > SCAN ? index(slots) : null);
  }

  private static int[] index(Object[] slots) {
    int n = slots.length / 2;
    int[] index = new int[Integer.highestOneBit(n * 2 - 1) << 1]; // a power of two >= 2n: at most half full
    for (int k = 0; k < n; k++) {
      int at = slot(index, slots[2 * k].hashCode());
      while (index[at] != 0) {
        at = (at + 1) & (index.length - 1);
      }
      index[at] = k + 1;
    }
    return index;
  }

  private static int slot(int[] index, int hash) {
    return (hash ^ (hash >>> 16)) & (index.length - 1);
  }

  /** The position of {@code key}'s mapping, or -1. */
  private int find(Object key) {
    if (key == null) {
      return -1;
    }
    if (index == null) {
      for (int k = 0; k < slots.length; k += 2) {
        if (key.equals(slots[k])) {
          return k / 2;
        }
      }
      return -1;
    }
    for (int at = slot(index, key.hashCode()); index[at] != 0; at = (at + 1) & (index.length - 1)) {
      int k = index[at] - 1;
      if (key.equals(slots[2 * k])) {
        return k;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return slots.length / 2;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int k = find(key);
    return k < 0 ? null : (V) slots[2 * k + 1];
  }

  @Override
  public boolean containsKey(Object key) {
    return find(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void forEach(BiConsumer<? super K, ? super V> action) {
    for (int k = 0; k < slots.length; k += 2) {
      action.accept((K) slots[k], (V) slots[k + 1]);
    }
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return slots.length / 2;
      }

      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new Iterator<>() {
          private int k;

          @Override
          public boolean hasNext() {
            return k < slots.length;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<K, V> next() {
            if (k >= slots.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<K, V> e = new SimpleImmutableEntry<>((K) slots[k], (V) slots[k + 1]);
            k += 2;
            return e;
          }
        };
      }
    };
  }
}
