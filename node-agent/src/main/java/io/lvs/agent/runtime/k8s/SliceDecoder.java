package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.lvs.api.v1alpha1.LvsNodeState;
import io.lvs.api.v1alpha1.LvsNodeStateSpec;
import io.lvs.api.v1alpha1.LvsNodeStateStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads this node's slices as the API server sends them (a list, or watch events one after the
 * other on one stream) into {@link LvsNodeState}s, streaming: each status is cut while it is read
 * to what the agent reads back from it (the observed generation, the conditions, whose transition
 * times survive a restart, and the sync time). The rest of a status is this agent's own report per
 * service and destination, which comes back with every status write as part of the whole object:
 * skipped, never built. Short strings are read interned ({@link InternedStrings}).
 */
final class SliceDecoder {
  /** One watch event: its type, the slice (null for a BOOKMARK's or an ERROR's), and what else it says. */
  record Event(String type, LvsNodeState slice, String resourceVersion, int code, String message) {}

  /** A list's slices and the resourceVersion to watch from. */
  record SliceList(List<LvsNodeState> slices, String resourceVersion) {}

  private final ObjectMapper mapper;
  private final JavaType conditions;

  SliceDecoder() {
    this.mapper = KubeJson.mapper();
    this.conditions = mapper.getTypeFactory().constructCollectionType(List.class, Condition.class);
  }

  JsonParser parser(java.io.InputStream in) throws IOException {
    return mapper.getFactory().createParser(in);
  }

  /** A list answer ({"metadata":{"resourceVersion":..},"items":[..]}), the parser before its first token. */
  SliceList list(JsonParser p) throws IOException {
    expect(p.nextToken(), JsonToken.START_OBJECT, p);
    List<LvsNodeState> items = new ArrayList<>();
    String rv = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if ("items".equals(field) && t == JsonToken.START_ARRAY) {
        while (p.nextToken() == JsonToken.START_OBJECT) {
          items.add(slice(p).slice());
        }
      } else if ("metadata".equals(field) && t == JsonToken.START_OBJECT) {
        rv = resourceVersion(p);
      } else {
        p.skipChildren();
      }
    }
    return new SliceList(items, rv);
  }

  /** The next watch event on the stream, or null at its end. */
  Event event(JsonParser p) throws IOException {
    JsonToken first = p.nextToken();
    if (first == null) {
      return null;
    }
    expect(first, JsonToken.START_OBJECT, p);
    String type = null;
    Decoded object = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if ("type".equals(field) && t == JsonToken.VALUE_STRING) {
        type = p.getText();
      } else if ("object".equals(field) && t == JsonToken.START_OBJECT) {
        object = slice(p);
      } else {
        p.skipChildren();
      }
    }
    if (type == null || object == null) {
      throw new IOException("a watch event without type or object");
    }
    boolean isSlice = "ADDED".equals(type) || "MODIFIED".equals(type) || "DELETED".equals(type);
    String rv = object.slice().getMetadata() == null ? null : object.slice().getMetadata().getResourceVersion();
    return new Event(type, isSlice ? object.slice() : null, rv, object.code(), object.message());
  }

  /** An object read (a slice, a bookmark's, or an ERROR event's Status with its code and message). */
  private record Decoded(LvsNodeState slice, int code, String message) {}

  /** One object, the parser at its START_OBJECT; returns with the parser at its END_OBJECT. */
  private Decoded slice(JsonParser p) throws IOException {
    LvsNodeState s = new LvsNodeState();
    int code = 0;
    String message = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      switch (field) {
        case "metadata" -> s.setMetadata(t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, ObjectMeta.class));
        case "spec" -> s.setSpec(t == JsonToken.VALUE_NULL ? null : mapper.readValue(p, LvsNodeStateSpec.class));
        case "status" -> s.setStatus(t == JsonToken.START_OBJECT ? status(p) : null);
        case "code" -> code = t == JsonToken.VALUE_NUMBER_INT ? p.getIntValue() : 0;
        case "message" -> message = t == JsonToken.VALUE_STRING ? p.getText() : null;
        default -> p.skipChildren();
      }
    }
    return new Decoded(s, code, message);
  }

  private LvsNodeStateStatus status(JsonParser p) throws IOException {
    Long observedGeneration = null;
    List<Condition> conds = null;
    String lastSyncTime = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.VALUE_NULL) {
        continue;
      }
      switch (field) {
        case "observedGeneration" -> observedGeneration = p.getLongValue();
        case "conditions" -> conds = mapper.readValue(p, conditions);
        case "lastSyncTime" -> lastSyncTime = p.getText();
        default -> p.skipChildren(); // this agent's own reports
      }
    }
    return new LvsNodeStateStatus(observedGeneration, conds, lastSyncTime, null, null, null);
  }

  private static String resourceVersion(JsonParser p) throws IOException {
    String rv = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      if (p.nextToken() == JsonToken.VALUE_STRING && "resourceVersion".equals(field)) {
        rv = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return rv;
  }

  private static void expect(JsonToken got, JsonToken want, JsonParser p) throws IOException {
    if (got != want) {
      throw new IOException("expected " + want + " but read " + got + " at " + p.currentLocation());
    }
  }
}
