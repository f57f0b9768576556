// Patches for the kube-apiserver stand-in: a kubectl-apply patch sets the object to the
// configuration in its last-applied annotation; other merge and strategic merge patches are
// applied as JSON merge patches (RFC 7386) with strategic directives ignored.
package main

import (
	"encoding/json"
	"fmt"
	"strings"
)

func patcherFor(contentType string) patcher {
	switch strings.TrimSpace(strings.SplitN(contentType, ";", 2)[0]) {
	case "application/strategic-merge-patch+json", "application/merge-patch+json":
		return applyPatch
	}
	return nil
}

// applyPatch: a kubectl-apply patch (it carries the new last-applied configuration) makes the object
// that configuration; any other patch is merged into the object as a JSON merge patch.
func applyPatch(current map[string]interface{}, body []byte) (map[string]interface{}, error) {
	var p map[string]interface{}
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("invalid patch: %v", err)
	}
	if meta, ok := p["metadata"].(map[string]interface{}); ok {
		if ann, ok := meta["annotations"].(map[string]interface{}); ok {
			if cfg, ok := ann[lastApplied].(string); ok {
				var obj map[string]interface{}
				if err := json.Unmarshal([]byte(cfg), &obj); err != nil {
					return nil, fmt.Errorf("invalid %s annotation: %v", lastApplied, err)
				}
				m := metadataOf(obj)
				anns, _ := m["annotations"].(map[string]interface{})
				if anns == nil {
					anns = map[string]interface{}{}
				}
				anns[lastApplied] = cfg
				m["annotations"] = anns
				return obj, nil
			}
		}
	}
	merged, _ := mergePatch(current, p).(map[string]interface{})
	return merged, nil
}

// mergePatch is RFC 7386 (null deletes, objects merge, anything else replaces); strategic-merge
// directives ("$patch", "$setElementOrder/...") are ignored.
func mergePatch(target interface{}, patch interface{}) interface{} {
	pm, ok := patch.(map[string]interface{})
	if !ok {
		return patch
	}
	tm, ok := target.(map[string]interface{})
	if !ok {
		tm = map[string]interface{}{}
	}
	for k, v := range pm {
		if strings.HasPrefix(k, "$") {
			continue
		}
		if v == nil {
			delete(tm, k)
		} else {
			tm[k] = mergePatch(tm[k], v)
		}
	}
	return tm
}
