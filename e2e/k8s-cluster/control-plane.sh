#!/usr/bin/env bash
# The cluster lane's control plane on this host at native speed: etcd, kube-apiserver,
# kube-controller-manager (with the EndpointSlice controller) and kube-scheduler, v1.20.2.
#   control-plane.sh start|stop RUN_DIR
# Free ports are picked at start (other labs on this machine run their own API servers). The API
# server advertises 198.19.255.100:<its port>, the address at which the VM reaches this host, so
# the `kubernetes` Service's endpoint (lease reconciler) is right for kube-proxy in the nodes.
# Writes RUN_DIR/{kubeconfig (host), vm-kubeconfig (VM), cp.env (ports)}; logs in RUN_DIR/cp/.
set -euo pipefail
cmd=${1:?usage: control-plane.sh start|stop RUN_DIR}; RUN=$(readlink -f "${2:?RUN_DIR}")
K=${KUBE_BINARIES:-$HOME/.kubeapitest/k8s/1.20.2-linux-amd64}; CP=$RUN/cp
if [[ $cmd == stop ]]; then
  for p in scheduler controller-manager apiserver etcd; do
    [[ -f $CP/$p.pid ]] && kill "$(cat "$CP/$p.pid")" 2>/dev/null || true; rm -f "$CP/$p.pid"
  done; exit 0
fi
read -r API ETCD PEER < <(python3 -c 'import socket
s=[socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]; print(*[x.getsockname()[1] for x in s])')
rm -rf "$CP"; mkdir -p "$CP/pki" "$CP/etcd"
cd "$CP/pki"
openssl genrsa -out sa.key 2048 2>/dev/null; openssl rsa -in sa.key -pubout -out sa.pub 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 30 -subj /CN=lab-ca 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout apiserver.key -out apiserver.csr -subj /CN=kube-apiserver 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,IP:198.19.255.100,IP:198.18.128.1,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc\n' > san.ext
openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt -days 30 -extfile san.ext 2>/dev/null
cd "$CP"
TOKEN=lab-$(openssl rand -hex 16)
echo "$TOKEN,lab-admin,lab-admin,system:masters" > pki/tokens.csv
kc() { cat <<KC
apiVersion: v1
kind: Config
clusters: [{name: lab, cluster: {server: "https://$1:$API", certificate-authority-data: "$(base64 -w0 pki/ca.crt)"}}]
contexts: [{name: lab, context: {cluster: lab, user: lab}}]
users: [{name: lab, user: {token: "$TOKEN"}}]
current-context: lab
KC
}
kc 127.0.0.1 > "$RUN/kubeconfig"; kc 198.19.255.100 > "$RUN/vm-kubeconfig"
printf 'API_PORT=%s\nETCD_PORT=%s\n' "$API" "$ETCD" > "$RUN/cp.env"
nice -n 5 "$K/etcd" --data-dir "$CP/etcd" --listen-client-urls "http://127.0.0.1:$ETCD" \
  --advertise-client-urls "http://127.0.0.1:$ETCD" --listen-peer-urls "http://127.0.0.1:$PEER" \
  --initial-advertise-peer-urls "http://127.0.0.1:$PEER" --initial-cluster "default=http://127.0.0.1:$PEER" \
  --unsafe-no-fsync > etcd.log 2>&1 & echo $! > etcd.pid
nice -n 5 "$K/kube-apiserver" --etcd-servers="http://127.0.0.1:$ETCD" --bind-address=127.0.0.1 --secure-port="$API" \
  --token-auth-file=pki/tokens.csv \
  --tls-cert-file=pki/apiserver.crt --tls-private-key-file=pki/apiserver.key --client-ca-file=pki/ca.crt \
  --service-account-key-file=pki/sa.pub --service-account-signing-key-file=pki/sa.key \
  --service-account-issuer=https://kubernetes.default.svc --api-audiences=https://kubernetes.default.svc \
  --service-cluster-ip-range=198.18.128.0/24 --authorization-mode=Node,RBAC --allow-privileged=true \
  --advertise-address=198.19.255.100 \
  --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,DefaultStorageClass,DefaultTolerationSeconds,ResourceQuota,Priority \
  > apiserver.log 2>&1 & echo $! > apiserver.pid
for i in $(seq 180); do
  kill -0 "$(cat apiserver.pid)" 2>/dev/null || { tail -30 apiserver.log; exit 1; }
  curl -sfk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API/readyz" >/dev/null && break; sleep 1
done
curl -sfk -H "Authorization: Bearer $TOKEN" "https://127.0.0.1:$API/readyz" >/dev/null || { echo "apiserver not ready"; tail -30 apiserver.log; exit 1; }
echo "apiserver ready on 127.0.0.1:$API after ${i}s"
nice -n 5 "$K/kube-controller-manager" --kubeconfig="$RUN/kubeconfig" --bind-address=127.0.0.1 --secure-port=0 --port=0 \
  --service-account-private-key-file=pki/sa.key --root-ca-file=pki/ca.crt --use-service-account-credentials=true \
  --controllers='*' --leader-elect=false --node-monitor-grace-period=40s --pod-eviction-timeout=5m \
  > controller-manager.log 2>&1 & echo $! > controller-manager.pid
nice -n 5 "$K/kube-scheduler" --kubeconfig="$RUN/kubeconfig" --bind-address=127.0.0.1 --secure-port=0 --port=0 \
  --leader-elect=false > scheduler.log 2>&1 & echo $! > scheduler.pid
echo "control plane started: kubectl --kubeconfig $RUN/kubeconfig"
