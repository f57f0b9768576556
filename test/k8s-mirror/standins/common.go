// What several stand-ins share: TLS client configuration from certificate files, checking
// that the files their flags name exist, systemd's readiness notification, a health endpoint,
// and waiting for a stop signal.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
)

func tlsClientConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := os.ReadFile(caFile)
		if err != nil {
			return nil, err
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s holds no PEM certificate", caFile)
		}
		cfg.RootCAs = pool
	}
	if certFile != "" || keyFile != "" {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	return cfg, nil
}

// requirePaths fails with one message naming every flag whose file or directory is missing.
func requirePaths(f *flags, files []string, dirs []string) error {
	var missing []string
	check := func(name string, wantDir bool) {
		p := f.str(name, "")
		if p == "" {
			return
		}
		st, err := os.Stat(p)
		switch {
		case err != nil:
			missing = append(missing, fmt.Sprintf("--%s=%s: %v", name, p, err))
		case wantDir && !st.IsDir():
			missing = append(missing, fmt.Sprintf("--%s=%s: not a directory", name, p))
		case !wantDir && st.IsDir():
			missing = append(missing, fmt.Sprintf("--%s=%s: is a directory", name, p))
		}
	}
	for _, n := range files {
		check(n, false)
	}
	for _, n := range dirs {
		check(n, true)
	}
	if len(missing) > 0 {
		return fmt.Errorf("missing files: %v", missing)
	}
	return nil
}

// sdNotify tells systemd the service is ready (Type=notify units); a no-op outside systemd.
func sdNotify(state string) {
	sock := os.Getenv("NOTIFY_SOCKET")
	if sock == "" {
		return
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: sock, Net: "unixgram"})
	if err != nil {
		log.Printf("sd_notify: %v", err)
		return
	}
	defer conn.Close()
	_, _ = conn.Write([]byte(state))
}

// serveHealthz answers GET /healthz with "ok" on addr in the background; errors are fatal.
func serveHealthz(addr string, errc chan<- error) {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		errc <- fmt.Errorf("healthz: %v", err)
		return
	}
	log.Printf("healthz listening on %s", addr)
	go func() { errc <- http.Serve(ln, mux) }()
}

// waitForStop returns on SIGTERM/SIGINT (nil) or the first error from errc.
func waitForStop(errc <-chan error) error {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	select {
	case s := <-sig:
		log.Printf("stopping on %v", s)
		return nil
	case err := <-errc:
		return err
	}
}
