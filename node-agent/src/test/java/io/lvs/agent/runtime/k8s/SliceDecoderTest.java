package io.lvs.agent.runtime.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import io.lvs.api.v1alpha1.Forwarding;
import io.lvs.api.v1alpha1.LvsNodeState;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SliceDecoderTest {
  private static final String SLICE = """
      {"apiVersion":"lvs.io/v1alpha1","kind":"LvsNodeState",
       "metadata":{"name":"n1","generation":3,"resourceVersion":"%s","labels":{"lvs.io/node":"n1"}},
       "spec":{"nodeName":"n1","futureField":{"x":1},"services":[{"owner":"ns/web","vip":"198.18.0.1","port":80,
         "protocol":"TCP","scheduler":"rr","destinations":[{"address":"198.19.0.1","port":8080,"weight":2,
         "forwarding":"DirectRouting"}]}]},
       "status":{"observedGeneration":2,"lastSyncTime":"2026-12-06T10:00:00Z",
         "conditions":[{"type":"Ready","status":"True","reason":"Programmed","lastTransitionTime":"2026-12-06T09:00:00Z"}],
         "owners":[{"name":"ns/web"}],"services":[{"address":"198.18.0.1","destinations":[{"address":"198.19.0.1"}]}],
         "timeouts":{"applied":true}}}""";

  private final SliceDecoder decoder = new SliceDecoder();

  private JsonParser parser(String json) throws IOException {
    return decoder.parser(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void aListKeepsSpecsAndCutsEachStatusToWhatTheAgentReads() throws IOException {
    SliceDecoder.SliceList list = decoder.list(parser("{\"kind\":\"LvsNodeStateList\",\"metadata\":{\"resourceVersion\":\"41\"},"
        + "\"items\":[" + SLICE.formatted("40") + "]}"));
    assertThat(list.resourceVersion()).isEqualTo("41");
    assertThat(list.slices()).hasSize(1);
    LvsNodeState s = list.slices().get(0);
    assertThat(s.getMetadata().getName()).isEqualTo("n1");
    assertThat(s.getMetadata().getGeneration()).isEqualTo(3L);
    assertThat(s.getMetadata().getLabels()).containsEntry("lvs.io/node", "n1");
    assertThat(s.getSpec().services().get(0).destinations().get(0).weight()).isEqualTo(2);
    assertThat(s.getSpec().services().get(0).destinations().get(0).forwarding()).isEqualTo(Forwarding.DirectRouting);
    assertThat(s.getStatus().observedGeneration()).isEqualTo(2L);
    assertThat(s.getStatus().lastSyncTime()).isEqualTo("2026-12-06T10:00:00Z");
    assertThat(s.getStatus().conditions()).singleElement()
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-06T09:00:00Z"));
    assertThat(s.getStatus().owners()).isNull();
    assertThat(s.getStatus().services()).isNull();
    assertThat(s.getStatus().timeouts()).isNull();
    // short strings are read interned: one address string however many slices name it
    assertThat(s.getSpec().services().get(0).destinations().get(0).address()).isSameAs("198.19.0.1".intern());
  }

  @Test
  void watchEventsFollowEachOtherOnOneStreamWithTheirTypesAndVersions() throws IOException {
    JsonParser p = parser("{\"type\":\"ADDED\",\"object\":" + SLICE.formatted("50") + "}\n"
        + "{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"LvsNodeState\",\"metadata\":{\"resourceVersion\":\"60\"}}}\n"
        + "{\"type\":\"DELETED\",\"object\":" + SLICE.formatted("70") + "}\n"
        + "{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":410,\"message\":\"too old resource version\"}}\n");
    SliceDecoder.Event added = decoder.event(p);
    assertThat(added.type()).isEqualTo("ADDED");
    assertThat(added.resourceVersion()).isEqualTo("50");
    assertThat(added.slice().getSpec().nodeName()).isEqualTo("n1");
    SliceDecoder.Event bookmark = decoder.event(p);
    assertThat(bookmark.type()).isEqualTo("BOOKMARK");
    assertThat(bookmark.slice()).isNull();
    assertThat(bookmark.resourceVersion()).isEqualTo("60");
    assertThat(decoder.event(p).slice().getMetadata().getResourceVersion()).isEqualTo("70");
    SliceDecoder.Event error = decoder.event(p);
    assertThat(error.type()).isEqualTo("ERROR");
    assertThat(error.code()).isEqualTo(410);
    assertThat(error.message()).isEqualTo("too old resource version");
    assertThat(decoder.event(p)).isNull();
  }

  @Test
  void whatIsNotAnObjectIsAnErrorNamingWhatWasRead() {
    assertThatThrownBy(() -> decoder.list(parser("[1]"))).isInstanceOf(IOException.class)
        .hasMessageContaining("expected START_OBJECT but read START_ARRAY");
    assertThatThrownBy(() -> decoder.event(parser("{\"object\":{}}"))).isInstanceOf(IOException.class)
        .hasMessageContaining("without type");
  }
}
