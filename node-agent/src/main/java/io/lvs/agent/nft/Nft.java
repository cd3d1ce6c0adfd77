package io.lvs.agent.nft;

/**
 * Constants of linux/netfilter/nfnetlink.h and linux/netfilter/nf_tables.h under the kernel's
 * names. Every nf_tables message is nlmsghdr (type = NFNL_SUBSYS_NFTABLES << 8 | NFT_MSG_*) +
 * struct nfgenmsg {u8 nfgen_family; u8 version; __be16 res_id} + attributes. Numbers inside
 * expressions (registers, hook numbers, payload offsets) are __be32.
 */
public final class Nft {
  public static final int NETLINK_NETFILTER = 12;
  public static final int NFGENMSG_LEN = 4;
  public static final int NFNETLINK_V0 = 0;
  public static final int NFNL_SUBSYS_NFTABLES = 10;
  public static final int NFNL_MSG_BATCH_BEGIN = 0x10;
  public static final int NFNL_MSG_BATCH_END = 0x11;

  public static final int NFPROTO_UNSPEC = 0;
  public static final int NFPROTO_IPV4 = 2;
  public static final int NFPROTO_IPV6 = 10;

  // enum nf_tables_msg_types
  public static final int NFT_MSG_NEWTABLE = 0;
  public static final int NFT_MSG_GETTABLE = 1;
  public static final int NFT_MSG_DELTABLE = 2;
  public static final int NFT_MSG_NEWCHAIN = 3;
  public static final int NFT_MSG_GETCHAIN = 4;
  public static final int NFT_MSG_DELCHAIN = 5;
  public static final int NFT_MSG_NEWRULE = 6;
  public static final int NFT_MSG_GETRULE = 7;
  public static final int NFT_MSG_DELRULE = 8;

  public static final int NFTA_TABLE_NAME = 1;
  public static final int NFTA_CHAIN_TABLE = 1;
  public static final int NFTA_CHAIN_NAME = 3;
  public static final int NFTA_CHAIN_HOOK = 4;
  public static final int NFTA_CHAIN_POLICY = 5;
  public static final int NFTA_CHAIN_TYPE = 7;
  public static final int NFTA_HOOK_HOOKNUM = 1;
  public static final int NFTA_HOOK_PRIORITY = 2;
  public static final int NF_INET_PRE_ROUTING = 0;
  public static final int NF_INET_LOCAL_OUT = 3;
  public static final int NF_INET_POST_ROUTING = 4;
  public static final int NF_IP_PRI_NAT_SRC = 100;
  public static final int NFT_META_IIFNAME = 6;
  public static final int NFT_CMP_NEQ = 1;
  /** IFNAMSIZ: an interface name compares as 16 bytes, NUL padded. */
  public static final int IFNAMSIZ = 16;
  /** NF_IP_PRI_MANGLE: `priority mangle`, before IPVS (LOCAL_IN) and before routing. */
  public static final int NF_IP_PRI_MANGLE = -150;
  public static final int NF_ACCEPT = 1;

  public static final int NFTA_RULE_TABLE = 1;
  public static final int NFTA_RULE_CHAIN = 2;
  public static final int NFTA_RULE_HANDLE = 3;
  public static final int NFTA_RULE_EXPRESSIONS = 4;
  public static final int NFTA_RULE_USERDATA = 7;
  public static final int NFTA_LIST_ELEM = 1;
  public static final int NFTA_EXPR_NAME = 1;
  public static final int NFTA_EXPR_DATA = 2;
  public static final int NFTA_DATA_VALUE = 1;

  public static final int NFT_REG_1 = 1;

  public static final int NFTA_META_DREG = 1;
  public static final int NFTA_META_KEY = 2;
  public static final int NFTA_META_SREG = 3;
  public static final int NFT_META_MARK = 3;
  public static final int NFT_META_L4PROTO = 16;

  public static final int NFTA_CMP_SREG = 1;
  public static final int NFTA_CMP_OP = 2;
  public static final int NFTA_CMP_DATA = 3;
  public static final int NFT_CMP_EQ = 0;

  public static final int NFTA_RANGE_SREG = 1;
  public static final int NFTA_RANGE_OP = 2;
  public static final int NFTA_RANGE_FROM_DATA = 3;
  public static final int NFTA_RANGE_TO_DATA = 4;
  public static final int NFT_RANGE_EQ = 0;

  public static final int NFTA_BITWISE_SREG = 1;
  public static final int NFTA_BITWISE_DREG = 2;
  public static final int NFTA_BITWISE_LEN = 3;
  public static final int NFTA_BITWISE_MASK = 4;
  public static final int NFTA_BITWISE_XOR = 5;

  public static final int NFTA_PAYLOAD_DREG = 1;
  public static final int NFTA_PAYLOAD_BASE = 2;
  public static final int NFTA_PAYLOAD_OFFSET = 3;
  public static final int NFTA_PAYLOAD_LEN = 4;
  public static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
  public static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;

  public static final int NFTA_IMMEDIATE_DREG = 1;
  public static final int NFTA_IMMEDIATE_DATA = 2;

  public static final int NFTA_NAT_TYPE = 1;
  public static final int NFTA_NAT_FAMILY = 2;
  public static final int NFTA_NAT_REG_ADDR_MIN = 3;
  public static final int NFT_NAT_SNAT = 0;

  /** libnftnl's NFTNL_UDATA_RULE_COMMENT: userdata TLV {u8 type; u8 len; value} nft shows as comment. */
  public static final int NFTNL_UDATA_RULE_COMMENT = 0;

  private Nft() {}

  /** nlmsg_type of an nf_tables message. */
  public static int type(int msg) {
    return (NFNL_SUBSYS_NFTABLES << 8) | msg;
  }
}
