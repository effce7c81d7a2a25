// Package argon2 implements ports.PasswordHasher with argon2id, storing
// hashes in the PHC string format
//
//	$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>
//
// (salt and hash in unpadded standard base64), so that every hash carries
// the parameters it was made with and old hashes stay verifiable after the
// parameters change.
package argon2

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"

	"github.com/visite-health/visite/ports"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory      uint32 // KiB
	Iterations  uint32
	Parallelism uint8
	SaltLength  uint32 // bytes
	KeyLength   uint32 // bytes
}

// DefaultParams are OWASP's recommendation for argon2id: 19 MiB of memory,
// two iterations, one lane.
var DefaultParams = Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// Bounds on parameters, for new hashes and for hashes read back: a stored
// hash with absurd costs must not be able to exhaust the machine.
const (
	maxMemory     = 1 << 20 // KiB, 1 GiB
	maxIterations = 64
	minSaltLength = 8
	minKeyLength  = 16
	maxLength     = 1024
)

// errMalformed is returned for a hash this package cannot read.
var errMalformed = errors.New("argon2: malformed hash")

// Hasher is the argon2id implementation of ports.PasswordHasher.
type Hasher struct {
	params Params
}

var _ ports.PasswordHasher = (*Hasher)(nil)

// New returns a Hasher that makes hashes with p. It returns an error when
// p is outside what argon2id allows or what this package accepts (memory
// at least 8 KiB per lane and at most 1 GiB, 1-64 iterations, salt of at
// least 8 and key of at least 16 bytes).
func New(p Params) (*Hasher, error) {
	if err := p.check(); err != nil {
		return nil, err
	}
	return &Hasher{params: p}, nil
}

func (p Params) check() error {
	switch {
	case p.Parallelism == 0, p.Memory < 8*uint32(p.Parallelism), p.Memory > maxMemory:
		return fmt.Errorf("argon2: memory %d KiB for %d lanes out of range", p.Memory, p.Parallelism)
	case p.Iterations == 0, p.Iterations > maxIterations:
		return fmt.Errorf("argon2: %d iterations out of range", p.Iterations)
	case p.SaltLength < minSaltLength, p.SaltLength > maxLength, p.KeyLength < minKeyLength, p.KeyLength > maxLength:
		return fmt.Errorf("argon2: salt of %d or key of %d bytes out of range", p.SaltLength, p.KeyLength)
	}
	return nil
}

// Hash returns the PHC string of password with a fresh random salt. It
// returns an error only when the system's random source fails.
func (h *Hasher) Hash(password string) (string, error) {
	salt := make([]byte, h.params.SaltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("argon2: read salt: %w", err)
	}
	key := derive(password, salt, h.params)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		h.params.Memory, h.params.Iterations, h.params.Parallelism,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// Verify reports whether password matches hash, using the parameters stored
// in hash and a constant-time comparison. A hash it cannot read (another
// algorithm, another version, costs out of range, bad encoding) gives false
// and an error that says only that the hash is malformed.
func (h *Hasher) Verify(password, hash string) (bool, error) {
	d, err := decode(hash)
	if err != nil {
		return false, err
	}
	got := derive(password, d.salt, d.params)
	return subtle.ConstantTimeCompare(got, d.key) == 1, nil
}

// NeedsRehash reports whether hash was made with parameters other than the
// Hasher's, or cannot be read at all; the caller then stores a fresh Hash of
// the password it just verified.
func (h *Hasher) NeedsRehash(hash string) bool {
	d, err := decode(hash)
	return err != nil || d.params != h.params
}

var b64 = base64.RawStdEncoding

func derive(password string, salt []byte, p Params) []byte {
	return argon2.IDKey([]byte(password), salt, p.Iterations, p.Memory, p.Parallelism, p.KeyLength)
}

// decoded is a parsed PHC string.
type decoded struct {
	params    Params
	salt, key []byte
}

// decode parses "$argon2id$v=19$m=…,t=…,p=…$salt$key".
func decode(hash string) (decoded, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return decoded{}, errMalformed
	}
	costs := strings.Split(parts[3], ",")
	if len(costs) != 3 {
		return decoded{}, errMalformed
	}
	m, errM := cost(costs[0], "m=", 32)
	t, errT := cost(costs[1], "t=", 32)
	p, errP := cost(costs[2], "p=", 8)
	salt, errS := b64.Strict().DecodeString(parts[4])
	key, errK := b64.Strict().DecodeString(parts[5])
	if errors.Join(errM, errT, errP, errS, errK) != nil {
		return decoded{}, errMalformed
	}
	d := decoded{
		params: Params{Memory: uint32(m), Iterations: uint32(t), Parallelism: uint8(p),
			SaltLength: uint32(len(salt)), KeyLength: uint32(len(key))},
		salt: salt,
		key:  key,
	}
	if d.params.check() != nil {
		return decoded{}, errMalformed
	}
	return d, nil
}

// cost parses one "name=value" parameter in decimal without sign or
// leading zeros.
func cost(s, prefix string, bits int) (uint64, error) {
	v, ok := strings.CutPrefix(s, prefix)
	if !ok || v == "" || (len(v) > 1 && v[0] == '0') || v[0] == '+' {
		return 0, errMalformed
	}
	return strconv.ParseUint(v, 10, bits)
}
