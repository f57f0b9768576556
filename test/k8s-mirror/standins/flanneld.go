// flanneld stand-in. Does, as flannel's etcd (v2 API) subnet manager does: reads the network
// config from <etcd-prefix>/config (Network, SubnetLen, SubnetMin, SubnetMax, Backend.Type),
// leases a subnet for this node under <etcd-prefix>/subnets/<ip>-<len> (reusing the lease that
// already carries this node's public IP, else a free subnet, chosen at random), writes the
// subnet file (FLANNEL_NETWORK, FLANNEL_SUBNET, FLANNEL_MTU, FLANNEL_IPMASQ), renews the lease
// before it expires, notifies systemd and stays running. Does not: create the vxlan/udp device,
// program routes to other nodes' subnets, or set up IP masquerading; so containers on different
// nodes cannot reach each other through it. FLANNELD_STANDIN_LEASE_TTL (seconds) shortens the
// 24h lease for tests of renewal; real flannel has no such setting.
package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

type flannelConfig struct {
	Network   string
	SubnetLen int
	SubnetMin string
	SubnetMax string
	Backend   struct{ Type string }
}

type flannelNetwork struct {
	network              *net.IPNet
	subnetLen            int
	subnetMin, subnetMax uint32
	backendType          string
}

func ip4(ip net.IP) uint32 { return binary.BigEndian.Uint32(ip.To4()) }

func ipOf(n uint32) net.IP {
	b := make(net.IP, 4)
	binary.BigEndian.PutUint32(b, n)
	return b
}

// parseFlannelConfig applies flannel's defaults: /24 subnets (or prefix+2 for small networks),
// the first subnet skipped, backend udp.
func parseFlannelConfig(raw string) (*flannelNetwork, error) {
	var cfg flannelConfig
	if err := json.Unmarshal([]byte(raw), &cfg); err != nil {
		return nil, fmt.Errorf("error decoding network config: %v", err)
	}
	_, network, err := net.ParseCIDR(cfg.Network)
	if err != nil || network.IP.To4() == nil {
		return nil, fmt.Errorf("invalid Network %q in network config", cfg.Network)
	}
	prefix, _ := network.Mask.Size()
	n := &flannelNetwork{network: network, subnetLen: cfg.SubnetLen, backendType: cfg.Backend.Type}
	if n.backendType == "" {
		n.backendType = "udp"
	}
	if n.subnetLen == 0 {
		n.subnetLen = 24
		if prefix >= 23 {
			n.subnetLen = prefix + 2
		}
	}
	if n.subnetLen < prefix || n.subnetLen > 30 {
		return nil, fmt.Errorf("invalid SubnetLen %d for network %s", n.subnetLen, cfg.Network)
	}
	size := uint32(1) << uint(32-n.subnetLen)
	base := ip4(network.IP)
	last := base + (uint32(1) << uint(32-prefix)) - size
	n.subnetMin, n.subnetMax = base+size, last
	if cfg.SubnetMin != "" {
		n.subnetMin = ip4(net.ParseIP(cfg.SubnetMin))
	}
	if cfg.SubnetMax != "" {
		n.subnetMax = ip4(net.ParseIP(cfg.SubnetMax))
	}
	if n.subnetMin > n.subnetMax {
		return nil, fmt.Errorf("SubnetMin is past SubnetMax in network config")
	}
	return n, nil
}

type lease struct {
	subnet     uint32
	key        string
	expiration time.Time
}

type leaseAttrs struct {
	PublicIP    string
	BackendType string          `json:",omitempty"`
	BackendData json.RawMessage `json:",omitempty"`
}

func subnetKey(prefix string, subnet uint32, length int) string {
	return fmt.Sprintf("%s/subnets/%s-%d", prefix, ipOf(subnet), length)
}

// acquireLease finds this node's lease (by public IP) or takes a free subnet.
func acquireLease(c *etcdV2, prefix string, n *flannelNetwork, publicIP string, ttl time.Duration, previous uint32) (*lease, error) {
	attrs, _ := json.Marshal(leaseAttrs{PublicIP: publicIP, BackendType: n.backendType})
	taken := map[uint32]bool{}
	dir, err := c.get(prefix+"/subnets", true)
	if err != nil && !isEtcdError(err, etcdKeyNotFound) {
		return nil, err
	}
	if dir != nil {
		for _, node := range dir.Nodes {
			name := filepath.Base(node.Key)
			ipPart := strings.SplitN(name, "-", 2)[0]
			ip := net.ParseIP(ipPart)
			if ip == nil || ip.To4() == nil {
				continue
			}
			taken[ip4(ip)] = true
			var a leaseAttrs
			if json.Unmarshal([]byte(node.Value), &a) == nil && a.PublicIP == publicIP && strings.HasSuffix(name, "-"+strconv.Itoa(n.subnetLen)) {
				return renewLease(c, node.Key, ip4(ip), string(attrs), ttl)
			}
		}
	}
	size := uint32(1) << uint(32-n.subnetLen)
	var free []uint32
	for s := n.subnetMin; s <= n.subnetMax && s >= n.subnetMin; s += size {
		if !taken[s] {
			free = append(free, s)
		}
	}
	if len(free) == 0 {
		return nil, fmt.Errorf("out of subnets in %s", n.network)
	}
	pick := free[rand.Intn(len(free))]
	if previous != 0 && !taken[previous] && previous >= n.subnetMin && previous <= n.subnetMax {
		pick = previous
	}
	key := subnetKey(prefix, pick, n.subnetLen)
	node, err := c.set(key, string(attrs), ttl, "false")
	if err != nil {
		return nil, err
	}
	return &lease{subnet: pick, key: key, expiration: expirationOf(node, ttl)}, nil
}

func renewLease(c *etcdV2, key string, subnet uint32, attrs string, ttl time.Duration) (*lease, error) {
	node, err := c.set(key, attrs, ttl, "true")
	if isEtcdError(err, etcdKeyNotFound) {
		// expired meanwhile: take it again unless another node has
		node, err = c.set(key, attrs, ttl, "false")
	}
	if err != nil {
		return nil, err
	}
	return &lease{subnet: subnet, key: key, expiration: expirationOf(node, ttl)}, nil
}

func expirationOf(node *etcdNode, ttl time.Duration) time.Time {
	if node != nil && node.Expiration != nil {
		return *node.Expiration
	}
	return time.Now().Add(ttl)
}

// publicInterface is -iface (a name or an address), else the interface of the default route.
func publicInterface(iface string) (*net.Interface, net.IP, error) {
	if iface == "" {
		data, err := os.ReadFile("/proc/net/route")
		if err != nil {
			return nil, nil, err
		}
		for _, line := range strings.Split(string(data), "\n")[1:] {
			f := strings.Fields(line)
			if len(f) > 2 && f[1] == "00000000" {
				iface = f[0]
				break
			}
		}
		if iface == "" {
			return nil, nil, fmt.Errorf("no default route; use -iface")
		}
	}
	ifaces, err := net.Interfaces()
	if err != nil {
		return nil, nil, err
	}
	for i := range ifaces {
		addrs, _ := ifaces[i].Addrs()
		for _, a := range addrs {
			ipn, ok := a.(*net.IPNet)
			if !ok || ipn.IP.To4() == nil {
				continue
			}
			if ifaces[i].Name == iface || ipn.IP.String() == iface {
				return &ifaces[i], ipn.IP.To4(), nil
			}
		}
	}
	return nil, nil, fmt.Errorf("interface %q not found or has no IPv4 address", iface)
}

func mtuFor(backend string, ifaceMTU int) int {
	switch backend {
	case "vxlan":
		return ifaceMTU - 50
	case "udp":
		return ifaceMTU - 28
	}
	return ifaceMTU
}

// writeSubnetFile replaces the file atomically, as flannel does.
func writeSubnetFile(path string, n *flannelNetwork, l *lease, mtu int, ipMasq bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	sn := ipOf(l.subnet + 1)
	text := fmt.Sprintf("FLANNEL_NETWORK=%s\nFLANNEL_SUBNET=%s/%d\nFLANNEL_MTU=%d\nFLANNEL_IPMASQ=%v\n", n.network, sn, n.subnetLen, mtu, ipMasq)
	tmp := filepath.Join(filepath.Dir(path), "."+filepath.Base(path)+".tmp")
	if err := os.WriteFile(tmp, []byte(text), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// previousSubnet reads FLANNEL_SUBNET from an existing subnet file, to ask for the same one.
func previousSubnet(path string) uint32 {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "FLANNEL_SUBNET=") {
			if ip, ipn, err := net.ParseCIDR(strings.TrimPrefix(line, "FLANNEL_SUBNET=")); err == nil && ip.To4() != nil {
				return ip4(ipn.IP)
			}
		}
	}
	return 0
}

func runFlanneld(args []string) error {
	f, err := parseFlags(args, []string{"ip-masq", "kube-subnet-mgr", "version", "help", "h"}, "FLANNELD")
	if err != nil {
		return err
	}
	if f.boolean("version", false) {
		fmt.Printf("%s (tsible stand-in)\n", flannelVersion)
		return nil
	}
	if f.boolean("kube-subnet-mgr", false) {
		return fmt.Errorf("-kube-subnet-mgr is not supported by the stand-in (etcd only)")
	}
	log.SetPrefix("flanneld (stand-in): ")
	rand.Seed(time.Now().UnixNano())
	if err := requirePaths(f, []string{"etcd-cafile", "etcd-certfile", "etcd-keyfile"}, nil); err != nil {
		return err
	}
	prefix := strings.TrimRight(f.str("etcd-prefix", "/coreos.com/network"), "/")
	client, err := newEtcdV2(f.str("etcd-endpoints", "http://127.0.0.1:2379,http://127.0.0.1:4001"), f.str("etcd-cafile", ""), f.str("etcd-certfile", ""), f.str("etcd-keyfile", ""))
	if err != nil {
		return err
	}
	iface, ifaceIP, err := publicInterface(f.str("iface", ""))
	if err != nil {
		return err
	}
	publicIP := f.str("public-ip", ifaceIP.String())
	subnetFile := f.str("subnet-file", "/run/flannel/subnet.env")
	margin, err := f.integer("subnet-lease-renew-margin", 60)
	if err != nil {
		return err
	}
	ttl := 24 * time.Hour
	if v := os.Getenv("FLANNELD_STANDIN_LEASE_TTL"); v != "" {
		secs, err := strconv.Atoi(v)
		if err != nil || secs < 2 {
			return fmt.Errorf("FLANNELD_STANDIN_LEASE_TTL must be a number of seconds >= 2")
		}
		ttl = time.Duration(secs) * time.Second
	}
	log.Printf("using interface %s with address %s, public IP %s", iface.Name, ifaceIP, publicIP)

	var network *flannelNetwork
	for {
		node, err := client.get(prefix+"/config", false)
		if err == nil {
			if network, err = parseFlannelConfig(node.Value); err != nil {
				return err
			}
			break
		}
		log.Printf("couldn't fetch network config: %v", err)
		time.Sleep(time.Second)
	}
	var l *lease
	for {
		if l, err = acquireLease(client, prefix, network, publicIP, ttl, previousSubnet(subnetFile)); err == nil {
			break
		}
		log.Printf("failed to acquire lease: %v", err)
		time.Sleep(time.Second)
	}
	log.Printf("lease acquired: %s/%d (%s)", ipOf(l.subnet), network.subnetLen, l.key)
	if err := writeSubnetFile(subnetFile, network, l, mtuFor(network.backendType, iface.MTU), f.boolean("ip-masq", false)); err != nil {
		return err
	}
	errc := make(chan error, 2)
	if port, err := f.integer("healthz-port", 0); err != nil {
		return err
	} else if port != 0 {
		serveHealthz(net.JoinHostPort(f.str("healthz-ip", "0.0.0.0"), strconv.Itoa(port)), errc)
	}
	go renewLoop(client, l, network, publicIP, ttl, time.Duration(margin)*time.Minute, errc)
	sdNotify("READY=1")
	return waitForStop(errc)
}

// renewLoop refreshes the lease `margin` before it expires (halfway when the margin is longer than the TTL).
func renewLoop(c *etcdV2, l *lease, n *flannelNetwork, publicIP string, ttl, margin time.Duration, errc chan<- error) {
	if margin >= ttl {
		margin = ttl / 2
	}
	attrs, _ := json.Marshal(leaseAttrs{PublicIP: publicIP, BackendType: n.backendType})
	for {
		wait := time.Until(l.expiration.Add(-margin))
		if wait < time.Second {
			wait = time.Second
		}
		time.Sleep(wait)
		renewed, err := renewLease(c, l.key, l.subnet, string(attrs), ttl)
		if err != nil {
			log.Printf("failed to renew lease %s: %v", l.key, err)
			continue
		}
		l = renewed
		log.Printf("lease renewed, new expiration: %s", l.expiration.Format(time.RFC3339))
	}
}
