/** rtnetlink (NETLINK_ROUTE): VIP addresses on lo / dummy / tunl0 / named links, dummy and ipip links. */
package io.lvs.agent.rtnl;
