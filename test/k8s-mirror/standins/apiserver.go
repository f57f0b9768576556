// kube-apiserver stand-in. Does: serves HTTPS with --tls-cert-file/--tls-private-key-file;
// authenticates clients by certificates signed by --client-ca-file (a certificate the CA did not
// sign fails the TLS handshake; no certificate gets 401 except on /healthz, /livez, /readyz,
// /version, as for anonymous users of a real cluster); keeps objects in etcd (--etcd-servers with
// --etcd-cafile/--etcd-certfile/--etcd-keyfile, under --etcd-prefix); serves discovery, /version,
// health (which checks etcd) and the REST verbs kubectl uses: get, list, create, replace, delete,
// and patch, where a kubectl-apply patch sets the object to the configuration it carries in the
// last-applied annotation (what a three-way merge gives when nothing else changed the object) and
// other patches are applied as JSON merge patches. Does not: authorize (every authenticated user
// may do everything), validate or default objects, run controllers (a Deployment never gets
// pods), allocate cluster IPs, or watch.
package main

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const lastApplied = "kubectl.kubernetes.io/last-applied-configuration"

type apiServer struct {
	store   *kvStore
	prefix  string
	address string
}

func runAPIServer(args []string) error {
	f, err := parseFlags(args, []string{"version", "allow-privileged", "anonymous-auth", "enable-swagger-ui", "apiserver-count", "v"}, "")
	if err != nil {
		return err
	}
	if f.boolean("version", false) {
		fmt.Printf("Kubernetes %s (tsible stand-in)\n", k8sVersion)
		return nil
	}
	log.SetPrefix("kube-apiserver (stand-in): ")
	files := []string{"tls-cert-file", "tls-private-key-file", "client-ca-file", "etcd-cafile", "etcd-certfile", "etcd-keyfile",
		"service-account-key-file", "kubelet-client-certificate", "kubelet-client-key", "kubelet-certificate-authority"}
	if err := requirePaths(f, files, nil); err != nil {
		return err
	}
	for _, need := range []string{"tls-cert-file", "tls-private-key-file", "client-ca-file", "etcd-servers"} {
		if f.str(need, "") == "" {
			return fmt.Errorf("--%s is required by the stand-in", need)
		}
	}
	store, err := newKVStore(f.str("etcd-servers", ""), f.str("etcd-cafile", ""), f.str("etcd-certfile", ""), f.str("etcd-keyfile", ""))
	if err != nil {
		return err
	}
	caPEM, err := os.ReadFile(f.str("client-ca-file", ""))
	if err != nil {
		return err
	}
	clientCAs := x509.NewCertPool()
	if !clientCAs.AppendCertsFromPEM(caPEM) {
		return fmt.Errorf("--client-ca-file holds no certificate")
	}
	pair, err := tls.LoadX509KeyPair(f.str("tls-cert-file", ""), f.str("tls-private-key-file", ""))
	if err != nil {
		return err
	}
	port, err := f.integer("secure-port", 6443)
	if err != nil {
		return err
	}
	addr := net.JoinHostPort(f.str("bind-address", "0.0.0.0"), strconv.Itoa(port))
	advertise := f.str("advertise-address", "")
	if advertise == "" {
		advertise = "127.0.0.1"
	}
	a := &apiServer{store: store, prefix: strings.TrimRight(f.str("etcd-prefix", "/registry"), "/"), address: net.JoinHostPort(advertise, strconv.Itoa(port))}
	for {
		if err = a.ensureNamespaces(); err == nil {
			break
		}
		log.Printf("waiting for etcd: %v", err)
		time.Sleep(time.Second)
	}
	ln, err := tls.Listen("tcp", addr, &tls.Config{
		Certificates: []tls.Certificate{pair}, ClientCAs: clientCAs, ClientAuth: tls.VerifyClientCertIfGiven, MinVersion: tls.VersionTLS12,
	})
	if err != nil {
		return err
	}
	log.Printf("serving on https://%s, objects in etcd under %s", addr, a.prefix)
	errc := make(chan error, 1)
	go func() { errc <- http.Serve(ln, a) }()
	sdNotify("READY=1")
	return waitForStop(errc)
}

// ensureNamespaces creates the namespaces every cluster starts with.
func (a *apiServer) ensureNamespaces() error {
	for _, ns := range []string{"default", "kube-system", "kube-public", "kube-node-lease"} {
		obj := map[string]interface{}{"apiVersion": "v1", "kind": "Namespace", "metadata": map[string]interface{}{"name": ns}}
		stampNew(obj)
		data, _ := json.Marshal(obj)
		if _, _, err := a.store.put(a.prefix+"/namespaces/"+ns, data, 0); err != nil {
			return err
		}
	}
	return nil
}

func (a *apiServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimRight(r.URL.Path, "/")
	switch path {
	case "/healthz", "/livez", "/readyz":
		if err := a.store.healthy(); err != nil {
			http.Error(w, "[-]etcd failed: "+err.Error(), http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("ok"))
		return
	case "/version":
		writeJSON(w, 200, versionInfo())
		return
	}
	if r.TLS == nil || len(r.TLS.PeerCertificates) == 0 {
		writeStatus(w, 401, "Unauthorized", "Unauthorized", nil)
		return
	}
	user := r.TLS.PeerCertificates[0].Subject.CommonName
	log.Printf("%s %s (%s)", r.Method, r.URL.RequestURI(), user)
	if path == "/openapi/v2" {
		serveOpenAPI(w, r)
		return
	}
	if r.Method == http.MethodGet && serveDiscovery(w, path, a.address) {
		return
	}
	req, ok := parseResourcePath(path)
	if !ok {
		writeStatus(w, 404, "NotFound", "the server could not find the requested resource", nil)
		return
	}
	if r.URL.Query().Get("watch") == "true" || r.URL.Query().Get("watch") == "1" {
		writeStatus(w, 405, "MethodNotAllowed", "watch is not supported by the stand-in API server", nil)
		return
	}
	a.serveResource(w, r, req)
}

type resourceRequest struct {
	res       apiResource
	namespace string
	name      string
}

// parseResourcePath reads /api/v1/... and /apis/<g>/<v>/... resource URLs.
func parseResourcePath(path string) (resourceRequest, bool) {
	var gv string
	var rest []string
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	switch {
	case len(segs) >= 3 && segs[0] == "api":
		gv, rest = segs[1], segs[2:]
	case len(segs) >= 4 && segs[0] == "apis":
		gv, rest = segs[1]+"/"+segs[2], segs[3:]
	default:
		return resourceRequest{}, false
	}
	var req resourceRequest
	if len(rest) >= 3 && rest[0] == "namespaces" {
		req.namespace, rest = rest[1], rest[2:]
	}
	res, ok := findResource(gv, rest[0])
	if !ok || len(rest) > 2 || (req.namespace != "" && !res.namespaced) {
		return resourceRequest{}, false
	}
	req.res = res
	if len(rest) == 2 {
		req.name = rest[1]
		if res.namespaced && req.namespace == "" {
			return resourceRequest{}, false
		}
	}
	return req, true
}

func (a *apiServer) key(res apiResource, namespace, name string) string {
	if res.namespaced {
		return fmt.Sprintf("%s/%s/%s/%s", a.prefix, res.name, namespace, name)
	}
	return fmt.Sprintf("%s/%s/%s", a.prefix, res.name, name)
}

func (a *apiServer) serveResource(w http.ResponseWriter, r *http.Request, req resourceRequest) {
	switch {
	case r.Method == http.MethodGet && req.name == "":
		a.list(w, req)
	case r.Method == http.MethodGet:
		kv, err := a.store.get(a.key(req.res, req.namespace, req.name))
		if err != nil {
			serverError(w, err)
		} else if kv == nil {
			notFound(w, req.res, req.name)
		} else if obj, err := present(kv.Value, req.res, kv.ModRevision); err != nil {
			serverError(w, err)
		} else {
			writeJSON(w, 200, obj)
		}
	case r.Method == http.MethodPost && req.name == "":
		a.create(w, r, req)
	case r.Method == http.MethodPut && req.name != "":
		a.update(w, r, req, nil)
	case r.Method == http.MethodPatch && req.name != "":
		a.update(w, r, req, patcherFor(r.Header.Get("Content-Type")))
	case r.Method == http.MethodDelete && req.name != "":
		a.remove(w, req)
	default:
		writeStatus(w, 405, "MethodNotAllowed", fmt.Sprintf("%s is not supported on this path by the stand-in", r.Method), nil)
	}
}

func (a *apiServer) list(w http.ResponseWriter, req resourceRequest) {
	prefix := fmt.Sprintf("%s/%s/", a.prefix, req.res.name)
	if req.namespace != "" {
		prefix += req.namespace + "/"
	}
	kvs, rev, err := a.store.list(prefix)
	if err != nil {
		serverError(w, err)
		return
	}
	items := []interface{}{}
	for _, kv := range kvs {
		if obj, err := present(kv.Value, req.res, kv.ModRevision); err == nil {
			items = append(items, obj)
		}
	}
	writeJSON(w, 200, map[string]interface{}{"apiVersion": req.res.groupVersion(), "kind": req.res.kind + "List",
		"metadata": map[string]interface{}{"resourceVersion": strconv.FormatInt(rev, 10)}, "items": items})
}

// decodeObject reads the request body and checks kind, name and namespace against the URL.
func decodeObject(w http.ResponseWriter, r *http.Request, req resourceRequest) map[string]interface{} {
	body, err := io.ReadAll(r.Body)
	var obj map[string]interface{}
	if err == nil {
		err = json.Unmarshal(body, &obj)
	}
	if err != nil {
		writeStatus(w, 400, "BadRequest", "the body of the request could not be decoded: "+fmt.Sprint(err), nil)
		return nil
	}
	if kind, _ := obj["kind"].(string); kind != "" && kind != req.res.kind {
		writeStatus(w, 400, "BadRequest", fmt.Sprintf("the kind %q does not match the resource %s", kind, req.res.name), nil)
		return nil
	}
	meta := metadataOf(obj)
	return checkIdentity(w, obj, meta, req)
}

func checkIdentity(w http.ResponseWriter, obj, meta map[string]interface{}, req resourceRequest) map[string]interface{} {
	name, _ := meta["name"].(string)
	if name == "" || (req.name != "" && name != req.name) {
		writeStatus(w, 400, "BadRequest", "the name of the object does not match the name on the URL", nil)
		return nil
	}
	if req.res.namespaced {
		if ns, _ := meta["namespace"].(string); ns != "" && ns != req.namespace {
			writeStatus(w, 400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", nil)
			return nil
		}
		meta["namespace"] = req.namespace
	}
	return obj
}

func dryRun(r *http.Request) bool { return r.URL.Query().Get("dryRun") != "" }

func (a *apiServer) create(w http.ResponseWriter, r *http.Request, req resourceRequest) {
	obj := decodeObject(w, r, req)
	if obj == nil {
		return
	}
	name := metadataOf(obj)["name"].(string)
	if req.res.namespaced {
		ns, err := a.store.get(a.key(apiResources[0], "", req.namespace))
		if err != nil {
			serverError(w, err)
			return
		} else if ns == nil {
			writeStatus(w, 404, "NotFound", fmt.Sprintf("namespaces %q not found", req.namespace), map[string]interface{}{"name": req.namespace, "kind": "namespaces"})
			return
		}
	}
	stampNew(obj)
	data, _ := json.Marshal(obj)
	key := a.key(req.res, req.namespace, name)
	rev := int64(0)
	if dryRun(r) {
		if kv, err := a.store.get(key); err != nil || kv != nil {
			writeStatus(w, 409, "AlreadyExists", fmt.Sprintf("%s %q already exists", req.res.name, name), nil)
			return
		}
	} else {
		newRev, ok, err := a.store.put(key, data, 0)
		if err != nil {
			serverError(w, err)
			return
		}
		if !ok {
			writeStatus(w, 409, "AlreadyExists", fmt.Sprintf("%s %q already exists", req.res.name, name), map[string]interface{}{"name": name, "kind": req.res.name})
			return
		}
		rev = newRev
	}
	out, _ := present(data, req.res, rev)
	writeJSON(w, 201, out)
}

type patcher func(current map[string]interface{}, patch []byte) (map[string]interface{}, error)

// update replaces (PUT, patch nil) or patches an existing object, keeping its uid and creation time.
func (a *apiServer) update(w http.ResponseWriter, r *http.Request, req resourceRequest, patch patcher) {
	if r.Method == http.MethodPatch && patch == nil {
		writeStatus(w, 415, "UnsupportedMediaType", "the stand-in supports merge and strategic merge patches", nil)
		return
	}
	key := a.key(req.res, req.namespace, req.name)
	kv, err := a.store.get(key)
	if err != nil {
		serverError(w, err)
		return
	} else if kv == nil {
		notFound(w, req.res, req.name)
		return
	}
	var current map[string]interface{}
	_ = json.Unmarshal(kv.Value, &current)
	var obj map[string]interface{}
	if patch != nil {
		body, _ := io.ReadAll(r.Body)
		if obj, err = patch(current, body); err != nil {
			writeStatus(w, 400, "BadRequest", err.Error(), nil)
			return
		}
		if obj = checkIdentity(w, obj, metadataOf(obj), req); obj == nil {
			return
		}
	} else if obj = decodeObject(w, r, req); obj == nil {
		return
	}
	meta, curMeta := metadataOf(obj), metadataOf(current)
	if rv, _ := meta["resourceVersion"].(string); rv != "" && rv != strconv.FormatInt(kv.ModRevision, 10) {
		writeStatus(w, 409, "Conflict", fmt.Sprintf("Operation cannot be fulfilled on %s %q: the object has been modified; please apply your changes to the latest version and try again", req.res.name, req.name), nil)
		return
	}
	meta["uid"], meta["creationTimestamp"] = curMeta["uid"], curMeta["creationTimestamp"]
	delete(meta, "resourceVersion")
	data, _ := json.Marshal(obj)
	rev := kv.ModRevision
	if !dryRun(r) {
		newRev, ok, err := a.store.put(key, data, kv.ModRevision)
		if err != nil {
			serverError(w, err)
			return
		}
		if !ok {
			writeStatus(w, 409, "Conflict", fmt.Sprintf("Operation cannot be fulfilled on %s %q: the object has been modified", req.res.name, req.name), nil)
			return
		}
		rev = newRev
	}
	out, _ := present(data, req.res, rev)
	writeJSON(w, 200, out)
}

func (a *apiServer) remove(w http.ResponseWriter, req resourceRequest) {
	key := a.key(req.res, req.namespace, req.name)
	kv, err := a.store.get(key)
	if err != nil {
		serverError(w, err)
		return
	} else if kv == nil {
		notFound(w, req.res, req.name)
		return
	}
	if _, err := a.store.delete(key); err != nil {
		serverError(w, err)
		return
	}
	writeStatus(w, 200, "", "", map[string]interface{}{"name": req.name, "kind": req.res.name})
}
