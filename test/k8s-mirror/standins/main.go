// Stand-ins for programs Debian does not ship (flanneld, kube-apiserver, kube-controller-manager,
// kube-scheduler, kubelet, kube-proxy), built into one static binary that acts as the program
// it is named after, as hyperkube did. They are test fixtures of the tsible project: each does
// the essence of the real program for what the Kubernetes roles and their verify playbooks touch,
// and says so in its log and --version output. What each does and does not do is written at the
// top of its file.
package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Set at build time (-ldflags -X) to the release the mirror serves the binary as.
var (
	k8sVersion     = "v0.0.0"
	flannelVersion = "v0.0.0"
)

func main() {
	name := filepath.Base(os.Args[0])
	args := os.Args[1:]
	if name == "k8s-standins" && len(args) > 0 {
		name, args = args[0], args[1:]
	}
	name = strings.TrimSuffix(name, "-amd64")
	var err error
	switch name {
	case "flanneld":
		err = runFlanneld(args)
	case "kube-apiserver":
		err = runAPIServer(args)
	case "kubelet", "kube-proxy", "kube-controller-manager", "kube-scheduler":
		err = runNodeAgent(name, args)
	default:
		err = fmt.Errorf("unknown stand-in %q (flanneld, kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy)", name)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s (stand-in): %v\n", name, err)
		os.Exit(1)
	}
}
