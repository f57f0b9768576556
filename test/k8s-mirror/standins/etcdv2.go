// A client for etcd's v2 keys API (what flannel's etcd subnet manager uses): get, list
// recursively, and set with prevExist and a TTL, over TLS with a client certificate,
// failing over between the endpoints it is given.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

type etcdV2 struct {
	endpoints []string
	http      *http.Client
}

type etcdNode struct {
	Key        string     `json:"key"`
	Value      string     `json:"value"`
	Dir        bool       `json:"dir"`
	Expiration *time.Time `json:"expiration"`
	TTL        int64      `json:"ttl"`
	Nodes      []etcdNode `json:"nodes"`
}

type etcdError struct {
	ErrorCode int    `json:"errorCode"`
	Message   string `json:"message"`
	Cause     string `json:"cause"`
}

func (e *etcdError) Error() string {
	return fmt.Sprintf("%d: %s (%s)", e.ErrorCode, e.Message, e.Cause)
}

const (
	etcdKeyNotFound = 100
	etcdNodeExists  = 105
)

func isEtcdError(err error, code int) bool {
	e, ok := err.(*etcdError)
	return ok && e.ErrorCode == code
}

func newEtcdV2(endpoints, caFile, certFile, keyFile string) (*etcdV2, error) {
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
		return nil, fmt.Errorf("no etcd endpoints")
	}
	return &etcdV2{endpoints: eps, http: &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: tlsCfg}}}, nil
}

// do sends the request to each endpoint in turn until one answers.
func (c *etcdV2) do(method, key string, query url.Values, form url.Values) (*etcdNode, error) {
	var lastErr error
	for _, ep := range c.endpoints {
		u := ep + "/v2/keys" + key
		if len(query) > 0 {
			u += "?" + query.Encode()
		}
		var body io.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		}
		req, err := http.NewRequest(method, u, body)
		if err != nil {
			return nil, err
		}
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := c.http.Do(req)
		if err != nil {
			lastErr = err
			continue
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			lastErr = err
			continue
		}
		if resp.StatusCode >= 400 {
			e := &etcdError{}
			if json.Unmarshal(data, e) == nil && e.ErrorCode != 0 {
				return nil, e
			}
			lastErr = fmt.Errorf("%s %s: %s", method, u, resp.Status)
			continue
		}
		var out struct {
			Node etcdNode `json:"node"`
		}
		if err := json.Unmarshal(data, &out); err != nil {
			return nil, fmt.Errorf("%s %s: %v", method, u, err)
		}
		return &out.Node, nil
	}
	return nil, lastErr
}

func (c *etcdV2) get(key string, recursive bool) (*etcdNode, error) {
	q := url.Values{}
	if recursive {
		q.Set("recursive", "true")
	}
	return c.do("GET", key, q, nil)
}

// set writes value with a TTL; prevExist "false" creates only, "true" updates only.
func (c *etcdV2) set(key, value string, ttl time.Duration, prevExist string) (*etcdNode, error) {
	q := url.Values{}
	if prevExist != "" {
		q.Set("prevExist", prevExist)
	}
	form := url.Values{"value": {value}}
	if ttl > 0 {
		form.Set("ttl", fmt.Sprint(int64(ttl/time.Second)))
	}
	return c.do("PUT", key, q, form)
}
