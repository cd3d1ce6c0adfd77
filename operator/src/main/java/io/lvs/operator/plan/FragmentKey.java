package io.lvs.operator.plan;

import java.util.List;

/**
 * Everything one VirtualService's fragment depends on: its input, its directors, its VIP's holder
 * (null while none) and that holder's InternalIP, the existing nodes among its members' nodes, and
 * the nodes that serve their own clients ({@link InClusterClients}).
 */
record FragmentKey(
    ServiceInput service, List<NodeView> directors, String holder, String holderIp, List<NodeView> memberNodes,
    List<NodeView> clientNodes) {}
