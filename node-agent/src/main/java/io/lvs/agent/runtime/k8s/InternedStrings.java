package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import java.io.IOException;

/**
 * The agent reads short strings as one instance per value (String.intern, in {@link KubeJson}'s
 * mapper): a real server behind many services is one address string in the watcher's cache, not
 * one per destination of every slice. Long strings (messages, certificates) are left
 * as they are. The JVM drops an interned string once nothing else holds it.
 */
public final class InternedStrings {
  /** Up to this length a string is interned: IPv6 literals and Kubernetes names fit. */
  static final int MAX_LENGTH = 64;

  private InternedStrings() {}

  /** Reads a string, interned when it is short. */
  static final class Deserializer extends StringDeserializer {
    @Override
    public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      String s = super.deserialize(p, ctxt);
      return s != null && s.length() <= MAX_LENGTH ? s.intern() : s;
    }
  }
}
