#!/usr/bin/env bash
# Makes sure Dovecot (IMAP and POP3) and openssl from Debian are installed for the Dovecot test
# harness in libs/testing (src/dovecot.ts). The harness starts its own throw-away instance on free
# loopback ports; the packaged system service is never started here. Quick when already installed.
set -euo pipefail

log() { printf 'ensure-dovecot: %s\n' "$*" >&2; }

missing=()
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/imap ] || missing+=(dovecot-imapd)
[ -x /usr/lib/dovecot/pop3 ] || missing+=(dovecot-pop3d)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
((${#missing[@]} == 0)) && exit 0

# de-duplicate (dovecot-imapd is listed twice when Dovecot is missing altogether)
mapfile -t packages < <(printf '%s\n' "${missing[@]}" | sort -u)
if [ "$(id -u)" != 0 ]; then
  log "${packages[*]} missing; install as root: apt-get install ${packages[*]}"
  exit 1
fi
log "installing ${packages[*]} from Debian"
# policy-rc.d answering 101 keeps the package's maintainer scripts from starting the system
# Dovecot (tests use their own instance); it is removed again unless one existed before.
policy=/usr/sbin/policy-rc.d
own_policy=false
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  own_policy=true
fi
trap 'if $own_policy; then rm -f "$policy"; fi' EXIT
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
log "installed: $(dovecot --version 2>/dev/null || echo '?')"
