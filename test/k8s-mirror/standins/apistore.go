// The kube-apiserver stand-in's storage: objects as JSON in etcd under <etcd-prefix>/<resource>/
// [<namespace>/]<name>, as the real API server keeps them, written through etcd's v3 JSON gateway
// (kv/range, kv/txn, kv/deleterange) over TLS; resourceVersion is the key's etcd revision.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

type kvStore struct {
	endpoints []string
	http      *http.Client
}

type kvPair struct {
	Key         []byte
	Value       []byte
	ModRevision int64
}

type gatewayKV struct {
	Key         string `json:"key"`
	Value       string `json:"value"`
	ModRevision string `json:"mod_revision"`
}

type gatewayHeader struct {
	Revision string `json:"revision"`
}

func newKVStore(endpoints, caFile, certFile, keyFile string) (*kvStore, error) {
	tlsCfg, err := tlsClientConfig(caFile, certFile, keyFile)
	if err != nil {
		return nil, err
	}
	var eps []string
	for _, e := range strings.Split(endpoints, ",") {
		if e = strings.TrimSpace(e); e != "" {
			eps = append(eps, strings.TrimRight(e, "/"))
		}
	}
	if len(eps) == 0 {
		return nil, fmt.Errorf("--etcd-servers must be set")
	}
	return &kvStore{endpoints: eps, http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsCfg}}}, nil
}

func b64(s []byte) string { return base64.StdEncoding.EncodeToString(s) }

func parseRev(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

// call posts a JSON request to the first endpoint that answers.
func (s *kvStore) call(path string, req interface{}, resp interface{}) error {
	body, _ := json.Marshal(req)
	var lastErr error
	for _, ep := range s.endpoints {
		r, err := s.http.Post(ep+path, "application/json", bytes.NewReader(body))
		if err != nil {
			lastErr = err
			continue
		}
		data, err := io.ReadAll(r.Body)
		r.Body.Close()
		if err != nil {
			lastErr = err
			continue
		}
		if r.StatusCode != http.StatusOK {
			return fmt.Errorf("etcd %s: %s: %s", path, r.Status, strings.TrimSpace(string(data)))
		}
		return json.Unmarshal(data, resp)
	}
	return fmt.Errorf("etcd unreachable: %v", lastErr)
}

// rangeEnd is the end of the prefix range (the prefix with its last byte incremented).
func rangeEnd(prefix []byte) []byte {
	end := append([]byte{}, prefix...)
	end[len(end)-1]++
	return end
}

func (s *kvStore) rng(key []byte, prefix bool) ([]kvPair, int64, error) {
	req := map[string]string{"key": b64(key)}
	if prefix {
		req["range_end"] = b64(rangeEnd(key))
	}
	var resp struct {
		Header gatewayHeader `json:"header"`
		Kvs    []gatewayKV   `json:"kvs"`
	}
	if err := s.call("/v3/kv/range", req, &resp); err != nil {
		return nil, 0, err
	}
	out := make([]kvPair, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		k, _ := base64.StdEncoding.DecodeString(kv.Key)
		v, _ := base64.StdEncoding.DecodeString(kv.Value)
		out = append(out, kvPair{Key: k, Value: v, ModRevision: parseRev(kv.ModRevision)})
	}
	return out, parseRev(resp.Header.Revision), nil
}

func (s *kvStore) get(key string) (*kvPair, error) {
	kvs, _, err := s.rng([]byte(key), false)
	if err != nil || len(kvs) == 0 {
		return nil, err
	}
	return &kvs[0], nil
}

func (s *kvStore) list(prefix string) ([]kvPair, int64, error) {
	return s.rng([]byte(prefix), true)
}

// put writes the value if the key's mod revision is still `expect` (0: the key must not exist); false on a conflict.
func (s *kvStore) put(key string, value []byte, expect int64) (int64, bool, error) {
	target, field := "MOD", "mod_revision"
	if expect == 0 {
		target, field = "CREATE", "create_revision"
	}
	req := map[string]interface{}{
		"compare": []map[string]string{{"key": b64([]byte(key)), "target": target, field: fmt.Sprint(expect), "result": "EQUAL"}},
		"success": []map[string]interface{}{{"request_put": map[string]string{"key": b64([]byte(key)), "value": b64(value)}}},
	}
	var resp struct {
		Header    gatewayHeader `json:"header"`
		Succeeded bool          `json:"succeeded"`
	}
	if err := s.call("/v3/kv/txn", req, &resp); err != nil {
		return 0, false, err
	}
	return parseRev(resp.Header.Revision), resp.Succeeded, nil
}

func (s *kvStore) delete(key string) (bool, error) {
	var resp struct {
		Deleted string `json:"deleted"`
	}
	if err := s.call("/v3/kv/deleterange", map[string]string{"key": b64([]byte(key))}, &resp); err != nil {
		return false, err
	}
	return parseRev(resp.Deleted) > 0, nil
}

func (s *kvStore) healthy() error {
	_, _, err := s.rng([]byte("health"), false)
	return err
}
