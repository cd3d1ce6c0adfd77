/** Kernel parameters in /proc/sys (arp_ignore, arp_announce, rp_filter, ip_forward, net.ipv4.vs.*). */
package io.lvs.agent.sysctl;
