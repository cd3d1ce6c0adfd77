#!/bin/bash
# The kernel keeps deleted IPVS destinations for IP_VS_DEST_TRASH_PERIOD (120 s) and looks every
# added destination up in that list first: 10,000 x 10 added at once, right after ipvsadm -C, and
# 200 s after it. Run: e2e/kernel-lab/lab.sh e2e/kernel-lab/dest-trash.sh (docs/benchmarks.md).
set -e
lab-modprobe ip_vs ip_vs_rr dummy
ip netns add trash
ip netns exec trash ip link set lo up
ip netns exec trash ip link add d0 type dummy
ip netns exec trash ip link set d0 up
ip netns exec trash ip addr add 198.18.255.254/15 dev d0
python3 -c '
for s in range(10000):
    vip = "198.18.%d.%d" % (s // 250, s % 250 + 1)
    print("-A -t %s:80 -s rr" % vip)
    for d in range(10):
        print("-a -t %s:80 -r 198.19.%d.%d:80 -g -w 1" % (vip, d, s % 250 + 1))
' > /tmp/rules
t() {
  local s e
  s=$(date +%s%N)
  ip netns exec trash ipvsadm -R < /tmp/rules 2>&1 | head -3
  e=$(date +%s%N)
  echo "TRASH $1: $(( (e - s) / 1000000 )) ms, $(ip netns exec trash ipvsadm -S -n | wc -l) lines"
}
t "fresh table"
ip netns exec trash ipvsadm -C
t "right after ipvsadm -C"
ip netns exec trash ipvsadm -C
sleep 200
t "200 s after ipvsadm -C"
