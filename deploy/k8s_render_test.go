package deploy_test

import (
	"bufio"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/kustomize/kyaml/yaml"
)

// overlays are the kustomize overlays under k8s/overlays.
var overlays = []string{"dev", "prod"}

// externalSecret is the Secret an overlay may expect to exist instead of
// rendering it; externalSecretKeys names, per overlay, the file listing its
// keys, from which the operator creates it.
const externalSecret = "visite-secrets"

var externalSecretKeys = map[string]string{"prod": filepath.Join("k8s", "overlays", "prod", "visite-secrets.env.example")}

// manifest is one rendered Kubernetes object.
type manifest struct {
	kind, name, namespace string
	yaml                  []byte
}

// cluster is what one overlay renders to.
type cluster struct {
	overlay   string
	manifests []manifest
	external  map[string]bool // keys of externalSecret when it exists outside the manifests
}

// render builds an overlay with kustomize, as `kubectl apply -k` would.
func render(t *testing.T, overlay string) cluster {
	t.Helper()
	k := krusty.MakeKustomizer(krusty.MakeDefaultOptions())
	resources, err := k.Run(filesys.MakeFsOnDisk(), filepath.Join("k8s", "overlays", overlay))
	if err != nil {
		t.Fatalf("kustomize build k8s/overlays/%s: %v", overlay, err)
	}
	c := cluster{overlay: overlay, external: map[string]bool{}}
	for _, r := range resources.Resources() {
		b, err := r.AsYAML()
		if err != nil {
			t.Fatalf("%s %s: %v", r.GetKind(), r.GetName(), err)
		}
		c.manifests = append(c.manifests, manifest{kind: r.GetKind(), name: r.GetName(), namespace: r.GetNamespace(), yaml: b})
	}
	if path, ok := externalSecretKeys[overlay]; ok {
		c.external = envFileKeys(t, path)
	}
	return c
}

// envFileKeys reads the names of a KEY=value file.
func envFileKeys(t *testing.T, path string) map[string]bool {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	keys := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, _, _ := strings.Cut(line, "=")
		keys[name] = true
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return keys
}

func (c cluster) ofKind(kinds ...string) []manifest {
	var out []manifest
	for _, m := range c.manifests {
		for _, k := range kinds {
			if m.kind == k {
				out = append(out, m)
			}
		}
	}
	return out
}

func (c cluster) find(kind, name string) (manifest, bool) {
	for _, m := range c.ofKind(kind) {
		if m.name == name {
			return m, true
		}
	}
	return manifest{}, false
}

// decode reads a rendered object into T.
func decode[T any](t *testing.T, m manifest) T {
	t.Helper()
	var v T
	if err := yaml.Unmarshal(m.yaml, &v); err != nil {
		t.Fatalf("decode %s %s: %v", m.kind, m.name, err)
	}
	return v
}

// keyValues is the data of a ConfigMap or Secret.
type keyValues struct {
	Data       map[string]string `yaml:"data"`
	StringData map[string]string `yaml:"stringData"`
}

// source returns the keys and values of the ConfigMap or Secret name; the
// external Secret has its keys with the value externalValue. ok is false
// when it exists nowhere.
func (c cluster) source(t *testing.T, kind, name string) (values map[string]string, ok bool) {
	t.Helper()
	m, found := c.find(kind, name)
	if !found {
		if kind != "Secret" || name != externalSecret || len(c.external) == 0 {
			return nil, false
		}
		values = map[string]string{}
		for k := range c.external {
			values[k] = externalValue
		}
		return values, true
	}
	kv := decode[keyValues](t, m)
	values = map[string]string{}
	for k, v := range kv.Data {
		if kind == "Secret" {
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				t.Fatalf("Secret %s: key %s is not base64: %v", name, k, err)
			}
			v = string(b)
		}
		values[k] = v
	}
	for k, v := range kv.StringData {
		values[k] = v
	}
	return values, true
}

// environment returns the variables a container gets: from its envFrom
// sources, then its env (a valueFrom counts as set).
func (c cluster) environment(t *testing.T, where string, ct container) map[string]string {
	t.Helper()
	env := map[string]string{}
	for _, from := range ct.EnvFrom {
		if from.Prefix != "" {
			t.Errorf("%s: envFrom with prefix %q", where, from.Prefix)
		}
		kind, ref := "ConfigMap", from.ConfigMapRef
		if from.SecretRef != nil {
			kind, ref = "Secret", from.SecretRef
		}
		if ref == nil {
			t.Errorf("%s: envFrom without a ConfigMap or Secret", where)
			continue
		}
		values, ok := c.source(t, kind, ref.Name)
		if !ok {
			t.Errorf("%s: envFrom %s %s, which does not exist", where, kind, ref.Name)
		}
		for k, v := range values {
			env[k] = v
		}
	}
	for _, e := range ct.Env {
		env[e.Name] = e.Value
		if e.ValueFrom != nil {
			env[e.Name] = valueFromField
		}
	}
	return env
}
