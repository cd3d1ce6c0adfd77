package io.lvs.operator.plan;

import java.util.List;

/**
 * Everything one VirtualService's fragment depends on: its input, its directors, its VIP's holder
 * (null while none) and that holder's InternalIP, and the existing nodes among its members' nodes.
 */
record FragmentKey(
    ServiceInput service, List<NodeView> directors, String holder, String holderIp, List<NodeView> memberNodes) {}
