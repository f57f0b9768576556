// kubelet, kube-proxy, kube-controller-manager and kube-scheduler stand-ins. Do: check that the
// files and directories their flags name exist (kubeconfigs and the certificates and keys those
// reference, TLS and CA files, CNI directories, config files), exit non-zero naming what is
// missing, otherwise notify systemd, answer /healthz on the program's health port, and stay
// running. Do not: talk to the API server, register nodes, run pods, program iptables, or
// schedule anything.
package main

import (
	"bufio"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

type agentSpec struct {
	files, dirs, kubeconfigs []string
	bools                    []string
	// health endpoint: a host:port flag, or a port flag with its bind-address flag; defaults as upstream
	healthAddrFlag, healthPortFlag, healthBindFlag string
	defaultAddr                                    string
}

var agents = map[string]agentSpec{
	"kubelet": {
		files: []string{"tls-cert-file", "tls-private-key-file", "client-ca-file", "config"},
		dirs:  []string{"cni-conf-dir", "cni-bin-dir"}, kubeconfigs: []string{"kubeconfig"},
		bools:          []string{"register-node", "allow-privileged", "serialize-image-pulls", "logtostderr", "fail-swap-on", "anonymous-auth"},
		healthPortFlag: "healthz-port", healthBindFlag: "healthz-bind-address", defaultAddr: "127.0.0.1:10248",
	},
	"kube-proxy": {
		files: []string{"config"}, kubeconfigs: []string{"kubeconfig"},
		bools:          []string{"masquerade-all", "logtostderr"},
		healthAddrFlag: "healthz-bind-address", defaultAddr: "0.0.0.0:10256",
	},
	"kube-controller-manager": {
		files: []string{"service-account-private-key-file", "root-ca-file", "cluster-signing-cert-file", "cluster-signing-key-file",
			"tls-cert-file", "tls-private-key-file", "client-ca-file", "requestheader-client-ca-file"},
		kubeconfigs:    []string{"kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig"},
		bools:          []string{"leader-elect", "allocate-node-cidrs", "use-service-account-credentials", "logtostderr"},
		healthPortFlag: "port", healthBindFlag: "address", defaultAddr: "127.0.0.1:10252",
	},
	"kube-scheduler": {
		files:          []string{"config", "tls-cert-file", "tls-private-key-file", "client-ca-file"},
		kubeconfigs:    []string{"kubeconfig", "authentication-kubeconfig", "authorization-kubeconfig"},
		bools:          []string{"leader-elect", "logtostderr"},
		healthPortFlag: "port", healthBindFlag: "address", defaultAddr: "127.0.0.1:10251",
	},
}

var kubeconfigPathLine = regexp.MustCompile(`^\s*"?(certificate-authority|client-certificate|client-key)"?\s*:\s*"?([^"\s]+)"?\s*,?\s*$`)

// checkKubeconfig reads a kubeconfig (YAML or JSON) and checks the files it references.
func checkKubeconfig(flag, path string) []string {
	fh, err := os.Open(path)
	if err != nil {
		return []string{fmt.Sprintf("--%s=%s: %v", flag, path, err)}
	}
	defer fh.Close()
	var missing []string
	hasClusters := false
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		line := sc.Text()
		if strings.Contains(line, "clusters") {
			hasClusters = true
		}
		m := kubeconfigPathLine.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		ref := m[2]
		if !filepath.IsAbs(ref) {
			ref = filepath.Join(filepath.Dir(path), ref)
		}
		if _, err := os.Stat(ref); err != nil {
			missing = append(missing, fmt.Sprintf("%s in --%s=%s: %v", m[1], flag, path, err))
		}
	}
	if !hasClusters {
		missing = append(missing, fmt.Sprintf("--%s=%s: not a kubeconfig (no clusters)", flag, path))
	}
	return missing
}

func healthAddress(f *flags, spec agentSpec) (string, error) {
	host, port, _ := net.SplitHostPort(spec.defaultAddr)
	if spec.healthAddrFlag != "" {
		addr := f.str(spec.healthAddrFlag, spec.defaultAddr)
		if h, p, err := net.SplitHostPort(addr); err == nil {
			host, port = h, p
		} else {
			host = addr
		}
	} else {
		host = f.str(spec.healthBindFlag, host)
		n, err := f.integer(spec.healthPortFlag, 0)
		if err != nil {
			return "", err
		}
		if f.set[spec.healthPortFlag] {
			port = strconv.Itoa(n)
		}
	}
	if port == "0" {
		return "", nil
	}
	return net.JoinHostPort(host, port), nil
}

func runNodeAgent(name string, args []string) error {
	spec := agents[name]
	f, err := parseFlags(args, append(spec.bools, "version"), "")
	if err != nil {
		return err
	}
	if f.boolean("version", false) {
		fmt.Printf("Kubernetes %s (tsible stand-in)\n", k8sVersion)
		return nil
	}
	log.SetPrefix(name + " (stand-in): ")
	var problems []string
	if err := requirePaths(f, spec.files, spec.dirs); err != nil {
		problems = append(problems, err.Error())
	}
	for _, k := range spec.kubeconfigs {
		if p := f.str(k, ""); p != "" {
			problems = append(problems, checkKubeconfig(k, p)...)
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("%s", strings.Join(problems, "; "))
	}
	errc := make(chan error, 1)
	addr, err := healthAddress(f, spec)
	if err != nil {
		return err
	}
	if addr != "" {
		serveHealthz(addr, errc)
	}
	log.Printf("all files named by the flags exist; running (nothing else is done by the stand-in)")
	sdNotify("READY=1")
	return waitForStop(errc)
}
