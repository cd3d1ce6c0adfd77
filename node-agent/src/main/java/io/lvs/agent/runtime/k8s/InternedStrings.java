package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;

/**
 * The agent's API client reads short strings as one instance per value (String.intern): a real
 * server behind many services is one address string in the informer's cache, not one per
 * destination of every slice (the informer holds each slice as the API server sent it, and a
 * status write comes back as the whole object). Long strings (messages, certificates) are left
 * as they are. The JVM drops an interned string once nothing else holds it.
 */
public final class InternedStrings {
  /** Up to this length a string is interned: IPv6 literals and Kubernetes names fit. */
  static final int MAX_LENGTH = 64;

  private InternedStrings() {}

  /** fabric8's serialization over a mapper that interns short strings. */
  public static KubernetesSerialization serialization() {
    SimpleModule m = new SimpleModule("lvs-interned-strings");
    m.addDeserializer(String.class, new Deserializer());
    return new KubernetesSerialization(JsonMapper.builder().addModule(m).build(), true);
  }

  static final class Deserializer extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      return s != null && s.length() <= MAX_LENGTH ? s.intern() : s;
    }
  }
}
