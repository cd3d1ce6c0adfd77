package io.lvs.agent.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** ArrayMap against LinkedHashMap, the map it replaces: the same answers to every read. */
class ArrayMapTest {
  /** A key whose hash collides with a third of the others: the index must probe past them. */
  record Key(int id) {
    @Override
    public int hashCode() {
      return id % 3;
    }
  }

  @Property(tries = 300)
  void readsAsTheLinkedHashMapItWasCopiedFrom(
      @ForAll @Size(max = 80) List<@IntRange(min = 0, max = 120) Integer> keys, @ForAll boolean colliding) {
    Map<Object, String> plain = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      plain.put(colliding ? new Key(keys.get(i)) : (Object) keys.get(i), "v" + i); // a repeated key keeps its place
    }
    ArrayMap<Object, String> compact = ArrayMap.copyOf(plain);

    assertThat(compact.size()).isEqualTo(plain.size());
    assertThat(compact.isEmpty()).isEqualTo(plain.isEmpty());
    assertThat(new ArrayList<>(compact.entrySet())).isEqualTo(new ArrayList<>(plain.entrySet()));
    assertThat(new ArrayList<>(compact.keySet())).isEqualTo(new ArrayList<>(plain.keySet()));
    assertThat(new ArrayList<>(compact.values())).isEqualTo(new ArrayList<>(plain.values()));
    List<Object> visited = new ArrayList<>();
    compact.forEach((k, v) -> visited.add(k + "=" + v));
    List<Object> expected = new ArrayList<>();
    plain.forEach((k, v) -> expected.add(k + "=" + v));
    assertThat(visited).isEqualTo(expected);
    for (int id = -1; id <= 121; id++) {
      Object k = colliding ? new Key(id) : (Object) id;
      assertThat(compact.get(k)).as("get %s", k).isEqualTo(plain.get(k));
      assertThat(compact.containsKey(k)).as("containsKey %s", k).isEqualTo(plain.containsKey(k));
    }
    assertThat(compact.get(null)).isNull();
    assertThat(compact).isEqualTo(plain);
    assertThat(plain).isEqualTo(compact);
    assertThat(compact.hashCode()).isEqualTo(plain.hashCode());
    assertThat(compact.toString()).isEqualTo(plain.toString());
    assertThat(ArrayMap.copyOf(compact)).isSameAs(compact);
  }

  @Test
  void isImmutableAndRefusesNulls() {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < ArrayMap.SCAN + 3; i++) {
      m.put("k" + i, "v" + i);
    }
    ArrayMap<String, String> compact = ArrayMap.copyOf(m);
    assertThatThrownBy(() -> compact.put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.remove("k1")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(compact::clear).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.entrySet().iterator().remove()).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> compact.entrySet().iterator().next().setValue("z"))
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(compact).hasSize(ArrayMap.SCAN + 3).containsEntry("k18", "v18");
    Map<String, String> withNull = new LinkedHashMap<>();
    withNull.put("a", null);
    assertThatThrownBy(() -> ArrayMap.copyOf(withNull)).isInstanceOf(NullPointerException.class);
  }
}
