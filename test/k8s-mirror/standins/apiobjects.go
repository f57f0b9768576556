// Objects and errors as the Kubernetes API shapes them: Status responses, metadata stamped on
// creation (uid, creationTimestamp), and apiVersion/kind/resourceVersion filled in on reads.
package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"
)

func writeStatus(w http.ResponseWriter, code int, reason, message string, details map[string]interface{}) {
	st := map[string]interface{}{"kind": "Status", "apiVersion": "v1", "metadata": map[string]interface{}{}, "status": "Failure",
		"message": message, "reason": reason, "code": code}
	if code < 300 {
		st["status"] = "Success"
	}
	if details != nil {
		st["details"] = details
	}
	writeJSON(w, code, st)
}

func notFound(w http.ResponseWriter, res apiResource, name string) {
	writeStatus(w, 404, "NotFound", fmt.Sprintf("%s %q not found", res.name, name), map[string]interface{}{"name": name, "kind": res.name})
}

func serverError(w http.ResponseWriter, err error) {
	writeStatus(w, 500, "InternalError", err.Error(), nil)
}

func metadataOf(obj map[string]interface{}) map[string]interface{} {
	m, ok := obj["metadata"].(map[string]interface{})
	if !ok {
		m = map[string]interface{}{}
		obj["metadata"] = m
	}
	return m
}

func stampNew(obj map[string]interface{}) {
	meta := metadataOf(obj)
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6], b[8] = (b[6]&0x0f)|0x40, (b[8]&0x3f)|0x80
	meta["uid"] = fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
	meta["creationTimestamp"] = time.Now().UTC().Format(time.RFC3339)
	delete(meta, "resourceVersion")
}

// present fills in what the stored bytes leave out: apiVersion/kind as requested, resourceVersion.
func present(data []byte, res apiResource, rev int64) (map[string]interface{}, error) {
	var obj map[string]interface{}
	if err := json.Unmarshal(data, &obj); err != nil {
		return nil, err
	}
	obj["apiVersion"], obj["kind"] = res.groupVersion(), res.kind
	metadataOf(obj)["resourceVersion"] = strconv.FormatInt(rev, 10)
	return obj, nil
}
