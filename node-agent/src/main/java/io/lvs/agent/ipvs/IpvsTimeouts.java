package io.lvs.agent.ipvs;

/** IPVS_CMD_ATTR_TIMEOUT_{TCP,TCP_FIN,UDP} in seconds (ipvsadm --set tcp tcpfin udp). */
public record IpvsTimeouts(int tcpSeconds, int tcpFinSeconds, int udpSeconds) {}
