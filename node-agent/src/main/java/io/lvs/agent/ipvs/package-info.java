/**
 * The kernel's IPVS table over generic netlink ("IPVS", include/uapi/linux/ip_vs.h): {@link
 * io.lvs.agent.ipvs.IpvsClient} and its netlink implementation, the attribute codec, and
 * {@link io.lvs.agent.ipvs.IpvsCommand}s that go out many per datagram.
 */
package io.lvs.agent.ipvs;
