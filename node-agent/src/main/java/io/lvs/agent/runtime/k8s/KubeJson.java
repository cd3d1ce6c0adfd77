package io.lvs.agent.runtime.k8s;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/** The JSON mapper the agent reads and writes Kubernetes objects with. */
public final class KubeJson {
  private KubeJson() {}

  /**
   * A mapper configured as fabric8's client configures its own (Java time and Go-compatible
   * formats, unknown fields ignored, nulls left out), reading short strings interned
   * ({@link InternedStrings}).
   */
  public static ObjectMapper mapper() {
    SimpleModule m = new SimpleModule("lvs-interned-strings");
    m.addDeserializer(String.class, new InternedStrings.Deserializer());
    JsonMapper json = JsonMapper.builder().addModule(m).build();
    new KubernetesSerialization(json, false); // configures json in place
    return json;
  }
}
