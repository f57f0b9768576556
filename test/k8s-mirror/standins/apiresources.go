// The API the kube-apiserver stand-in serves: the resources (core, apps, the old
// extensions/v1beta1, RBAC) the roles apply, their discovery documents (what kubectl reads to
// map kinds to URLs), /version, and a minimal OpenAPI document (so kubectl's validation runs
// and skips kinds it has no schema for).
package main

import (
	"encoding/json"
	"net/http"
	"strings"
)

type apiResource struct {
	group, version, name, singular, kind string
	namespaced                           bool
	shortNames                           []string
}

func (r apiResource) groupVersion() string {
	if r.group == "" {
		return r.version
	}
	return r.group + "/" + r.version
}

var apiResources = []apiResource{
	{"", "v1", "namespaces", "namespace", "Namespace", false, []string{"ns"}},
	{"", "v1", "nodes", "node", "Node", false, []string{"no"}},
	{"", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, []string{"sa"}},
	{"", "v1", "configmaps", "configmap", "ConfigMap", true, []string{"cm"}},
	{"", "v1", "secrets", "secret", "Secret", true, nil},
	{"", "v1", "services", "service", "Service", true, []string{"svc"}},
	{"", "v1", "endpoints", "endpoints", "Endpoints", true, []string{"ep"}},
	{"", "v1", "pods", "pod", "Pod", true, []string{"po"}},
	{"apps", "v1", "deployments", "deployment", "Deployment", true, []string{"deploy"}},
	{"apps", "v1", "daemonsets", "daemonset", "DaemonSet", true, []string{"ds"}},
	{"apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, []string{"rs"}},
	{"apps", "v1", "statefulsets", "statefulset", "StatefulSet", true, []string{"sts"}},
	{"extensions", "v1beta1", "deployments", "deployment", "Deployment", true, []string{"deploy"}},
	{"extensions", "v1beta1", "daemonsets", "daemonset", "DaemonSet", true, []string{"ds"}},
	{"rbac.authorization.k8s.io", "v1", "roles", "role", "Role", true, nil},
	{"rbac.authorization.k8s.io", "v1", "rolebindings", "rolebinding", "RoleBinding", true, nil},
	{"rbac.authorization.k8s.io", "v1", "clusterroles", "clusterrole", "ClusterRole", false, nil},
	{"rbac.authorization.k8s.io", "v1", "clusterrolebindings", "clusterrolebinding", "ClusterRoleBinding", false, nil},
}

// What `kubectl get all` lists.
var inCategoryAll = map[string]bool{"pods": true, "services": true, "deployments": true, "daemonsets": true, "replicasets": true, "statefulsets": true}

func findResource(groupVersion, name string) (apiResource, bool) {
	for _, r := range apiResources {
		if r.groupVersion() == groupVersion && r.name == name {
			return r, true
		}
	}
	return apiResource{}, false
}

func groupVersions() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range apiResources {
		if gv := r.groupVersion(); !seen[gv] {
			seen[gv] = true
			out = append(out, gv)
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

var allVerbs = []string{"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"}

func resourceList(gv string) map[string]interface{} {
	var list []map[string]interface{}
	for _, r := range apiResources {
		if r.groupVersion() != gv {
			continue
		}
		entry := map[string]interface{}{"name": r.name, "singularName": r.singular, "namespaced": r.namespaced, "kind": r.kind, "verbs": allVerbs}
		if r.shortNames != nil {
			entry["shortNames"] = r.shortNames
		}
		if inCategoryAll[r.name] && r.group != "extensions" {
			entry["categories"] = []string{"all"}
		}
		list = append(list, entry)
	}
	return map[string]interface{}{"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": list}
}

// serveDiscovery answers /api, /apis, /api/v1 and /apis/<group>/<version>; false when the path is none of them.
func serveDiscovery(w http.ResponseWriter, path, serverAddress string) bool {
	switch {
	case path == "/api":
		writeJSON(w, 200, map[string]interface{}{"kind": "APIVersions", "versions": []string{"v1"},
			"serverAddressByClientCIDRs": []map[string]string{{"clientCIDR": "0.0.0.0/0", "serverAddress": serverAddress}}})
	case path == "/apis":
		var groups []map[string]interface{}
		byGroup := map[string][]map[string]string{}
		var order []string
		for _, gv := range groupVersions() {
			parts := strings.SplitN(gv, "/", 2)
			if len(parts) != 2 {
				continue
			}
			if _, ok := byGroup[parts[0]]; !ok {
				order = append(order, parts[0])
			}
			byGroup[parts[0]] = append(byGroup[parts[0]], map[string]string{"groupVersion": gv, "version": parts[1]})
		}
		for _, g := range order {
			groups = append(groups, map[string]interface{}{"name": g, "versions": byGroup[g], "preferredVersion": byGroup[g][0]})
		}
		writeJSON(w, 200, map[string]interface{}{"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
	case path == "/api/v1":
		writeJSON(w, 200, resourceList("v1"))
	case strings.HasPrefix(path, "/apis/") && strings.Count(path, "/") == 3:
		gv := strings.TrimPrefix(path, "/apis/")
		for _, known := range groupVersions() {
			if known == gv {
				writeJSON(w, 200, resourceList(gv))
				return true
			}
		}
		return false
	default:
		return false
	}
	return true
}

func versionInfo() map[string]string {
	v := strings.TrimPrefix(k8sVersion, "v")
	parts := strings.SplitN(v, ".", 3)
	major, minor := "1", "0"
	if len(parts) >= 2 {
		major, minor = parts[0], parts[1]
	}
	return map[string]string{"major": major, "minor": minor, "gitVersion": k8sVersion, "gitCommit": "tsible-stand-in",
		"gitTreeState": "clean", "buildDate": "1970-01-01T00:00:00Z", "goVersion": "", "compiler": "gc", "platform": "linux/amd64"}
}

// protobuf encoding of a length-delimited field (enough for the tiny OpenAPI document).
func pbField(num int, data []byte) []byte {
	out := []byte{byte(num<<3 | 2)}
	n := len(data)
	for n >= 0x80 {
		out = append(out, byte(n)|0x80)
		n >>= 7
	}
	return append(append(out, byte(n)), data...)
}

// serveOpenAPI answers /openapi/v2 with a document that has no definitions, as protobuf or JSON.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	title := "Kubernetes API (tsible stand-in)"
	if strings.Contains(r.Header.Get("Accept"), "protobuf") {
		info := append(pbField(1, []byte(title)), pbField(2, []byte(k8sVersion))...)
		doc := append(pbField(1, []byte("2.0")), pbField(2, info)...)
		w.Header().Set("Content-Type", "application/octet-stream")
		_, _ = w.Write(doc)
		return
	}
	writeJSON(w, 200, map[string]interface{}{"swagger": "2.0", "info": map[string]string{"title": title, "version": k8sVersion}, "paths": map[string]interface{}{}})
}
