/**
 * nf_tables over NETLINK_NETFILTER: FullNAT's SNAT rules in the agent's own table "lvs-operator",
 * replaced in one transaction and listed back.
 */
package io.lvs.agent.nft;
