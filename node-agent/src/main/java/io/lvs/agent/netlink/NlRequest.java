package io.lvs.agent.netlink;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * One request to send: the message type and extra flags (NLM_F_CREATE...; REQUEST/ACK/DUMP are
 * added by {@link NetlinkConnection}), a body that writes the family header and attributes, and
 * the operation/object words an error will carry ("add service", "TCP 198.18.0.1:80").
 */
public record NlRequest(String operation, String object, int type, int flags, Consumer<AttrWriter> body) {
  public NlRequest {
    Objects.requireNonNull(operation, "operation");
    Objects.requireNonNull(body, "body");
  }
}
