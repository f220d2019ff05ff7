#!/usr/bin/env bash
# Makes sure OpenLDAP's slapd and the ldap-utils from Debian are installed for the slapd test
# harness in libs/testing (src/slapd.ts). The harness starts its own throw-away instance on free
# loopback ports; the packaged system service is never started here. Quick when already installed.
set -euo pipefail

log() { printf 'ensure-slapd: %s\n' "$*" >&2; }

missing=()
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapmodify >/dev/null 2>&1 || missing+=(ldap-utils)
((${#missing[@]} == 0)) && exit 0

if [ "$(id -u)" != 0 ]; then
  log "${missing[*]} missing; install as root: apt-get install ${missing[*]}"
  exit 1
fi
log "installing ${missing[*]} from Debian"
# policy-rc.d answering 101 keeps the package's maintainer scripts from starting the system slapd
# (tests use their own instance). An existing policy-rc.d is set aside and put back unchanged.
policy=/usr/sbin/policy-rc.d
saved=""
if [ -e "$policy" ]; then
  saved=$(mktemp)
  cp -p "$policy" "$saved"
fi
printf '#!/bin/sh\nexit 101\n' >"$policy"
chmod 755 "$policy"
trap 'if [ -n "$saved" ]; then mv "$saved" "$policy"; else rm -f "$policy"; fi' EXIT
apt-get update -qq >&2
# The package asks for a domain and an admin password: non-interactive, it takes its defaults.
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
log "installed: $(/usr/sbin/slapd -VV 2>&1 | head -n 1)"
