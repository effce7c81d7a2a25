#!/usr/bin/env bash
# Finds or starts what Visite needs on a developer's or CI machine, in this
# order for each service: use what answers on the configured address; else
# start a private instance from installed binaries; else, as root on
# Debian/Ubuntu, install the package with apt and start it; else stop with a
# message that says what to install.
#
#   deploy/dev/services.sh postgres redis mailpit chromium stripe-mock axe-core
#
# Private instances keep their files under $VISITE_STATE_DIR
# (default ~/.cache/visite; /var/tmp/visite when run as root).
set -euo pipefail

PG_HOST=127.0.0.1 PG_PORT=${VISITE_PG_PORT:-5432}
REDIS_HOST=127.0.0.1 REDIS_PORT=${VISITE_REDIS_PORT:-6379}
SMTP_PORT=${VISITE_SMTP_PORT:-1025} MAILPIT_UI_PORT=${VISITE_MAILPIT_UI_PORT:-8025}
MAILPIT_VERSION=v1.27.11
STRIPE_MOCK_VERSION=v0.203.0
AXE_VERSION=4.14.1 # the browser accessibility test's axe-core, from the npm registry
AXE_SHA512=1477dafa598d8d065f273d6af302aa203c02e83131707b7fa648cd41bd3d6b734f8c22a0dab86ee6a6f64b8afbe804b214d36db85a2826965edfb3a0b9d546b5
if [ "$(id -u)" = 0 ]; then STATE=${VISITE_STATE_DIR:-/var/tmp/visite}; else STATE=${VISITE_STATE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/visite}; fi
mkdir -p "$STATE"

say() { printf '  %-10s %s\n' "$1" "$2"; }
die() { printf '\nCannot set up %s: %s\n' "$1" "$2" >&2; exit 1; }
open_port() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
wait_port() { for _ in $(seq 1 60); do open_port "$1" "$2" && return 0; sleep 0.5; done; return 1; }
apt_ok() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_updated=
apt_install() {
  [ -n "$apt_updated" ] || { apt-get update -qq >/dev/null; apt_updated=1; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_postgres() {
  if open_port $PG_HOST "$PG_PORT"; then say PostgreSQL "running on $PG_HOST:$PG_PORT"; return; fi
  local bin; bin=$(pg_bindir)
  if [ -z "$bin" ]; then
    apt_ok || die PostgreSQL "nothing answers on $PG_HOST:$PG_PORT and it is not installed. Install PostgreSQL 15 or newer (Debian/Ubuntu: sudo apt-get install postgresql) or start one there."
    say PostgreSQL "installing with apt…"; apt_install postgresql
    bin=$(pg_bindir)
    # apt may have started its own cluster; use it only if it lets us in as postgres without a password.
    if open_port $PG_HOST "$PG_PORT"; then say PostgreSQL "running on $PG_HOST:$PG_PORT"; return; fi
  fi
  # PostgreSQL refuses to run as root: a private cluster runs as an unprivileged user.
  local data=$STATE/pg run=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$STATE" --shell /usr/sbin/nologin postgres
    run=(runuser -u postgres --)
    mkdir -p "$data"; chown postgres "$STATE" "$data"
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say PostgreSQL "creating a private cluster in $data"
    "${run[@]}" "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  "${run[@]}" "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -o "-p $PG_PORT -c listen_addresses=$PG_HOST -k $data" start >/dev/null \
    || die PostgreSQL "the private cluster did not start; see $data/server.log"
  wait_port $PG_HOST "$PG_PORT" || die PostgreSQL "started but does not answer on $PG_HOST:$PG_PORT"
  say PostgreSQL "started on $PG_HOST:$PG_PORT (data in $data)"
}

ensure_redis() {
  if open_port $REDIS_HOST "$REDIS_PORT"; then say Redis "running on $REDIS_HOST:$REDIS_PORT"; return; fi
  if ! command -v redis-server >/dev/null; then
    apt_ok || die Redis "nothing answers on $REDIS_HOST:$REDIS_PORT and redis-server is not installed (Debian/Ubuntu: sudo apt-get install redis-server)."
    say Redis "installing with apt…"; apt_install redis-server
    if open_port $REDIS_HOST "$REDIS_PORT"; then say Redis "running on $REDIS_HOST:$REDIS_PORT"; return; fi
  fi
  redis-server --daemonize yes --bind $REDIS_HOST --port "$REDIS_PORT" --save "" --appendonly no \
    --dir "$STATE" --logfile "$STATE/redis.log" >/dev/null
  wait_port $REDIS_HOST "$REDIS_PORT" || die Redis "started but does not answer; see $STATE/redis.log"
  say Redis "started on $REDIS_HOST:$REDIS_PORT"
}

ensure_mailpit() {
  if open_port 127.0.0.1 "$SMTP_PORT"; then say Mailpit "mail sink on 127.0.0.1:$SMTP_PORT, mailbox http://127.0.0.1:$MAILPIT_UI_PORT"; return; fi
  local bin; bin=$(command -v mailpit || true)
  [ -n "$bin" ] || bin="$(go env GOPATH)/bin/mailpit"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || die Mailpit "Go is needed to install it (go install github.com/axllent/mailpit@$MAILPIT_VERSION)."
    say Mailpit "installing $MAILPIT_VERSION with go install (once)…"
    GOFLAGS= go install "github.com/axllent/mailpit@$MAILPIT_VERSION" || die Mailpit "go install failed"
  fi
  nohup setsid "$bin" --smtp "127.0.0.1:$SMTP_PORT" --listen "127.0.0.1:$MAILPIT_UI_PORT" \
    --smtp-auth-accept-any --smtp-auth-allow-insecure >"$STATE/mailpit.log" 2>&1 </dev/null &
  wait_port 127.0.0.1 "$SMTP_PORT" || die Mailpit "started but does not answer; see $STATE/mailpit.log"
  say Mailpit "mail sink on 127.0.0.1:$SMTP_PORT, mailbox http://127.0.0.1:$MAILPIT_UI_PORT"
}

ensure_chromium() {
  local bin; bin=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$bin" ]; then
    apt_ok || die Chromium "the browser tests need Debian's chromium (sudo apt-get install chromium)."
    say Chromium "installing with apt…"; apt_install chromium
    bin=$(command -v chromium) || die Chromium "apt installed no chromium binary"
  fi
  say Chromium "$bin"
}

# stripe-mock checks the shape of every request the Stripe adapter's tests
# send; the tests start their own on a free port, so it is only installed.
ensure_stripe-mock() {
  local bin; bin=$(command -v stripe-mock || true)
  [ -n "$bin" ] || bin="$(go env GOPATH)/bin/stripe-mock"
  if [ ! -x "$bin" ]; then
    command -v go >/dev/null || die stripe-mock "Go is needed to install it (go install github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION)."
    say stripe-mock "installing $STRIPE_MOCK_VERSION with go install (once)…"
    GOFLAGS= go install "github.com/stripe/stripe-mock@$STRIPE_MOCK_VERSION" || die stripe-mock "go install failed"
  fi
  say stripe-mock "$bin"
}

# axe-core is the accessibility checker the browser test runs in Chromium
# (apps/visite/browser_a11y_test.go). It is fetched once from the npm
# registry, its checksum verified, into the repository's .cache.
ensure_axe-core() {
  local dir file tgz
  dir="$(cd "$(dirname "$0")/../.." && pwd)/.cache/axe-core-$AXE_VERSION"
  file="$dir/axe.min.js"
  if [ ! -s "$file" ]; then
    if ! command -v curl >/dev/null; then
      apt_ok || die axe-core "curl is needed to fetch it from the npm registry (Debian/Ubuntu: sudo apt-get install curl)."
      apt_install curl ca-certificates
    fi
    say axe-core "fetching $AXE_VERSION from the npm registry (once)…"
    tgz=$(mktemp)
    curl -fsSL "https://registry.npmjs.org/axe-core/-/axe-core-$AXE_VERSION.tgz" -o "$tgz" || { rm -f "$tgz"; die axe-core "download failed"; }
    [ "$(sha512sum "$tgz" | cut -d' ' -f1)" = "$AXE_SHA512" ] || { rm -f "$tgz"; die axe-core "the download's checksum is not the published one"; }
    mkdir -p "$dir"
    tar -xzf "$tgz" -C "$dir" --strip-components=1 package/axe.min.js package/LICENSE || { rm -f "$tgz"; die axe-core "unpacking failed"; }
    rm -f "$tgz"
  fi
  say axe-core "$file"
}

echo "Services:"
for s in "$@"; do
  case "$s" in
    postgres|redis|mailpit|chromium|stripe-mock|axe-core) "ensure_$s" ;;
    *) die "$s" "unknown service (postgres, redis, mailpit, chromium, stripe-mock, axe-core)" ;;
  esac
done
