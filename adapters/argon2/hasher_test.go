package argon2

import (
	"strings"
	"testing"
)

// cheap keeps the tests fast; production uses DefaultParams.
var cheap = Params{Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32}

func newHasher(t *testing.T, p Params) *Hasher {
	t.Helper()
	h, err := New(p)
	if err != nil {
		t.Fatalf("New(%+v): %v", p, err)
	}
	return h
}

func TestHashUsesOWASPParametersInPHCFormat(t *testing.T) {
	h := newHasher(t, DefaultParams)
	hash, err := h.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	const prefix = "$argon2id$v=19$m=19456,t=2,p=1$"
	if !strings.HasPrefix(hash, prefix) {
		t.Fatalf("hash %q does not start with %q", hash, prefix)
	}
	parts := strings.Split(hash, "$")
	if len(parts[4]) != 22 || len(parts[5]) != 43 { // 16 and 32 bytes, unpadded base64
		t.Errorf("salt %q or key %q has the wrong length", parts[4], parts[5])
	}
	if ok, err := h.Verify("correct horse battery", hash); !ok || err != nil {
		t.Errorf("Verify = %v, %v; want true", ok, err)
	}
}

func TestVerify(t *testing.T) {
	h := newHasher(t, cheap)
	hash, err := h.Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	again, _ := h.Hash("correct horse battery")
	if again == hash {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	tests := []struct {
		name, password, hash string
		want                 bool
	}{
		{"right password", "correct horse battery", hash, true},
		{"right password, other salt", "correct horse battery", again, true},
		{"wrong password", "correct horse batterY", hash, false},
		{"empty password", "", hash, false},
		// Made with the reference implementation (Debian's argon2 tool),
		// so hashes from other argon2id implementations verify too.
		{"reference, default costs", "correct horse battery",
			"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$iPOQ5f2O21FsjnBvo1AiFcDuSXciCnKUrXFO+yfgNoM", true},
		{"reference, other costs", "correct horse battery",
			"$argon2id$v=19$m=1024,t=2,p=1$YzJGc2RITmhiSFJ6WVd4MA$zh4NyORAlcvoOcaiduBox0ilkuNZH85LIJwvrh9CBto", true},
		{"reference, wrong password", "correct horse",
			"$argon2id$v=19$m=1024,t=2,p=1$YzJGc2RITmhiSFJ6WVd4MA$zh4NyORAlcvoOcaiduBox0ilkuNZH85LIJwvrh9CBto", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := h.Verify(tt.password, tt.hash)
			if err != nil || got != tt.want {
				t.Errorf("Verify = %v, %v; want %v, nil", got, err, tt.want)
			}
		})
	}
}

func TestVerifyRejectsMalformedHashes(t *testing.T) {
	h := newHasher(t, cheap)
	good, _ := h.Hash("pw")
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	tests := map[string]string{
		"empty":               "",
		"bcrypt":              "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"argon2i":             with(1, "argon2i"),
		"version 16":          with(2, "v=16"),
		"missing part":        strings.Join(parts[:5], "$"),
		"extra part":          good + "$x",
		"costs out of order":  with(3, "t=1,m=64,p=1"),
		"two costs":           with(3, "m=64,t=1"),
		"negative cost":       with(3, "m=-64,t=1,p=1"),
		"leading zero":        with(3, "m=064,t=1,p=1"),
		"zero lanes":          with(3, "m=64,t=1,p=0"),
		"huge memory":         with(3, "m=4194304,t=1,p=1"),
		"huge iterations":     with(3, "m=64,t=1000000,p=1"),
		"too little memory":   with(3, "m=4,t=1,p=1"),
		"salt not base64":     with(4, "!!!!"),
		"padded salt":         with(4, parts[4]+"=="),
		"short salt":          with(4, "YWJj"),
		"short key":           with(5, "YWJjZGVm"),
		"key not base64":      with(5, "*"),
		"no leading dollar":   strings.TrimPrefix(good, "$"),
		"costs with spaces":   with(3, "m=64, t=1, p=1"),
		"cost overflows uint": with(3, "m=64,t=1,p=256"),
	}
	for name, hash := range tests {
		t.Run(name, func(t *testing.T) {
			ok, err := h.Verify("pw", hash)
			if err == nil || ok {
				t.Errorf("Verify = %v, %v; want false and an error", ok, err)
			}
			if err != nil && strings.Contains(err.Error(), "pw") {
				t.Errorf("error %q repeats the password", err)
			}
			if !h.NeedsRehash(hash) {
				t.Error("NeedsRehash = false for a malformed hash")
			}
		})
	}
}

func TestNeedsRehash(t *testing.T) {
	h := newHasher(t, cheap)
	current, _ := h.Hash("pw")
	if h.NeedsRehash(current) {
		t.Error("NeedsRehash = true for a hash with the current parameters")
	}
	for name, p := range map[string]Params{
		"more memory":     {Memory: 128, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"more iterations": {Memory: 64, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"more lanes":      {Memory: 64, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32},
		"longer key":      {Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 64},
		"shorter salt":    {Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 8, KeyLength: 32},
	} {
		old, _ := newHasher(t, p).Hash("pw")
		if !h.NeedsRehash(old) {
			t.Errorf("%s: NeedsRehash = false", name)
		}
		if ok, err := h.Verify("pw", old); !ok || err != nil {
			t.Errorf("%s: an old hash no longer verifies: %v, %v", name, ok, err)
		}
	}
}

func TestNewRejectsBadParams(t *testing.T) {
	for name, p := range map[string]Params{
		"zero":              {},
		"no lanes":          {Memory: 64, Iterations: 1, SaltLength: 16, KeyLength: 32},
		"too little memory": {Memory: 15, Iterations: 1, Parallelism: 2, SaltLength: 16, KeyLength: 32},
		"no iterations":     {Memory: 64, Parallelism: 1, SaltLength: 16, KeyLength: 32},
		"short salt":        {Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 4, KeyLength: 32},
		"short key":         {Memory: 64, Iterations: 1, Parallelism: 1, SaltLength: 16, KeyLength: 8},
	} {
		if _, err := New(p); err == nil {
			t.Errorf("%s: New(%+v) gave no error", name, p)
		}
	}
}
