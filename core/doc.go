// Package core is the root of Visite's domain: the packages below it model
// practices (tenants), staff, identity, sign-up and access, in plain Go with
// no framework, database or transport in sight; core/app holds the use cases.
// This package itself holds only the architecture test that keeps it so.
package core
