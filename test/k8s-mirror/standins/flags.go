// Command-line flags the way Kubernetes and flannel programs take them: --name=value,
// --name value, -name=value, bare booleans; unknown flags are kept, not rejected, because
// the stand-ins accept every flag the real programs accept and act on the few they need.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

type flags struct {
	values map[string]string
	set    map[string]bool
}

// parseFlags reads args; names in bools never consume the next argument as their value.
// envPrefix (e.g. "FLANNELD") supplies defaults from PREFIX_NAME variables, as flannel does.
func parseFlags(args []string, bools []string, envPrefix string) (*flags, error) {
	isBool := map[string]bool{}
	for _, b := range bools {
		isBool[b] = true
	}
	f := &flags{values: map[string]string{}, set: map[string]bool{}}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" || a == "--" {
			return nil, fmt.Errorf("unexpected argument %q", a)
		}
		name := strings.TrimLeft(a, "-")
		value, hasValue := "", false
		if eq := strings.IndexByte(name, '='); eq >= 0 {
			name, value, hasValue = name[:eq], name[eq+1:], true
		}
		if !hasValue {
			if isBool[name] || i+1 >= len(args) || strings.HasPrefix(args[i+1], "-") {
				value = "true"
			} else {
				i++
				value = args[i]
			}
		}
		f.values[name] = value
		f.set[name] = true
	}
	if envPrefix != "" {
		for _, kv := range os.Environ() {
			eq := strings.IndexByte(kv, '=')
			if eq < 0 || !strings.HasPrefix(kv, envPrefix+"_") {
				continue
			}
			name := strings.ToLower(strings.ReplaceAll(kv[len(envPrefix)+1:eq], "_", "-"))
			if !f.set[name] {
				f.values[name] = kv[eq+1:]
			}
		}
	}
	return f, nil
}

func (f *flags) str(name, def string) string {
	if v, ok := f.values[name]; ok {
		return v
	}
	return def
}

func (f *flags) boolean(name string, def bool) bool {
	v, ok := f.values[name]
	if !ok {
		return def
	}
	b, err := strconv.ParseBool(v)
	return err == nil && b
}

func (f *flags) integer(name string, def int) (int, error) {
	v, ok := f.values[name]
	if !ok || v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, fmt.Errorf("invalid value %q for flag --%s: %v", v, name, err)
	}
	return n, nil
}
