/**
 * Read-only views of this node's IPVS state for people: the connection table
 * (/proc/net/ip_vs_conn, which has no generic-netlink dump) and the service table rendered as
 * {@code ipvsadm -Ln} and its {@code --stats}, {@code --rate}, {@code --persistent-conn} and
 * {@code -Lnc} variants would print them. Pure, apart from reading the proc file.
 */
package io.lvs.agent.view;
