#!/usr/bin/env bash
# Makes sure the local PostgreSQL and NATS (with JetStream) that the platform and its tests use
# are running: starts them when they are installed but down, installs them from Debian when
# missing. Services the environment points elsewhere (MAILKEEP_DATABASE_URL / MAILKEEP_NATS_URL
# not on this machine) are left alone.
set -euo pipefail

log() { printf 'ensure-services: %s\n' "$*" >&2; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_for_port() { # name port seconds
  local deadline=$((SECONDS + $3))
  until port_open "$2"; do
    if ((SECONDS >= deadline)); then log "$1 did not open port $2 within $3 s"; return 1; fi
    sleep 0.5
  done
}

apt_updated=false
apt_install() {
  if [ "$(id -u)" != 0 ]; then log "$* is missing; install it (as root: apt-get install $*)"; exit 1; fi
  $apt_updated || { apt-get update -qq >&2; apt_updated=true; }
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

is_local() { [[ -z "${1:-}" || "$1" == *"127.0.0.1"* || "$1" == *"localhost"* ]]; }

if is_local "${MAILKEEP_DATABASE_URL:-}"; then
  if ! port_open 5432; then
    command -v pg_ctlcluster >/dev/null || apt_install postgresql
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    log "starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
    wait_for_port PostgreSQL 5432 60
  fi
fi

if is_local "${MAILKEEP_NATS_URL:-}"; then
  if ! port_open 4222; then
    command -v nats-server >/dev/null || apt_install nats-server
    mkdir -p /var/lib/nats-server
    log "starting NATS with JetStream"
    start-stop-daemon --start --oknodo --background --exec "$(command -v nats-server)" -- \
      -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log >&2
    wait_for_port NATS 4222 30
  fi
fi

# Dovecot (IMAP/POP3) for the connector tests' throw-away servers (libs/testing/src/dovecot.ts):
# installed only for the test command (package.json "pretest" sets MAILKEEP_ENSURE_DOVECOT=1), never
# started here; each test starts its own instance.
if [ "${MAILKEEP_ENSURE_DOVECOT:-0}" = 1 ]; then
  bash "$(dirname "${BASH_SOURCE[0]}")/ensure-dovecot.sh"
fi

# OpenLDAP's slapd for the LDAP directory tests' throw-away servers (libs/testing/src/slapd.ts):
# installed only for the test command (package.json "pretest" sets MAILKEEP_ENSURE_SLAPD=1), never
# started here; each test starts its own instance.
if [ "${MAILKEEP_ENSURE_SLAPD:-0}" = 1 ]; then
  bash "$(dirname "${BASH_SOURCE[0]}")/ensure-slapd.sh"
fi

# Chromium for the console's browser tests (test/console.e2e-spec.ts drives it with playwright-core):
# Debian's package, installed only for the test command (package.json "pretest" sets
# MAILKEEP_ENSURE_CHROMIUM=1); no browser is ever downloaded by playwright.
if [ "${MAILKEEP_ENSURE_CHROMIUM:-0}" = 1 ]; then
  command -v chromium >/dev/null || apt_install chromium
fi

# kubectl for the deployment tests (test/deploy renders deploy/kubernetes with `kubectl kustomize`):
# installed only for the test command (package.json "pretest" sets MAILKEEP_ENSURE_KUBECTL=1).
# Debian ships it as kubernetes-client; its kustomize must know `patches:` with inline JSON 6902
# patches and `replicas:` (kustomize ≥ 3.x), which the test reports clearly if it does not.
if [ "${MAILKEEP_ENSURE_KUBECTL:-0}" = 1 ]; then
  command -v kubectl >/dev/null || apt_install kubernetes-client
fi
