import { join } from 'node:path';

/** Loopback ports of one throw-away Dovecot. */
export interface DovecotPorts {
  /** IMAP, cleartext with STARTTLS offered. */
  readonly imap: number;
  /** IMAP over implicit TLS. */
  readonly imaps: number;
  /** POP3, cleartext with STLS offered. */
  readonly pop3: number;
  /** POP3 over implicit TLS. */
  readonly pop3s: number;
}

export interface DovecotConfigInput {
  /** The run directory; everything Dovecot writes lives below it. */
  readonly runDir: string;
  /** Unique per instance, so `doveadm instance list` and log prefixes never mix two harnesses. */
  readonly instanceName: string;
  readonly ports: DovecotPorts;
  /**
   * Who owns the mail and runs the internal/login processes. As root Dovecot refuses mail access as
   * uid 0, so the packaged `dovecot`/`dovenull` accounts are used; as any other user everything runs
   * as that user (`mailUser` undefined leaves mail_uid unset).
   */
  readonly internalUser: string;
  /** Group of the internal sockets (stats-writer, dict, …); the master chowns them to it. */
  readonly internalGroup: string;
  readonly loginUser: string;
  readonly mailUser?: string;
  /** Create the special-use folders (Drafts, Sent, Trash, Junk, Archive) for every user. */
  readonly specialUseFolders: boolean;
}

/** Paths inside the run directory; the harness and the config agree on them through this. */
export function dovecotPaths(runDir: string) {
  return {
    config: join(runDir, 'dovecot.conf'),
    baseDir: join(runDir, 'run'),
    stateDir: join(runDir, 'state'),
    log: join(runDir, 'dovecot.log'),
    certificate: join(runDir, 'tls', 'cert.pem'),
    key: join(runDir, 'tls', 'key.pem'),
    /** A directory with one passwd-file per user. */
    users: join(runDir, 'users'),
    masterUsers: join(runDir, 'master-users'),
    mail: join(runDir, 'mail'),
    /** Per user, the IMAP sessions' traffic (rawlog), once `recordCommands` created its directory. */
    rawlog: join(runDir, 'rawlog'),
  } as const;
}

/** The separator between user and master user in a master login (`alice*archiver`). */
export const MASTER_USER_SEPARATOR = '*';

/**
 * A standalone dovecot.conf (it includes nothing from /etc/dovecot), after
 * ../shared/research/dovecot-notes.md, verified with Debian 12's Dovecot 2.3.19.1.
 */
export function renderDovecotConfig(input: DovecotConfigInput): string {
  const paths = dovecotPaths(input.runDir);
  const specialUse = input.specialUseFolders
    ? [
        ['Drafts', '\\Drafts'],
        ['Sent', '\\Sent'],
        ['Trash', '\\Trash'],
        ['Junk', '\\Junk'],
        ['Archive', '\\Archive'],
      ]
        .map(([name, flag]) => `  mailbox ${name} {\n    special_use = ${flag}\n    auto = subscribe\n  }`)
        .join('\n')
    : '';
  return `# Throw-away Dovecot for tests (libs/testing/src/dovecot.ts); generated, do not edit.
instance_name = ${input.instanceName}
# base_dir holds the sockets and master.pid, state_dir the instance registry: both private, so no
# system path (/run/dovecot, /var/lib/dovecot) is ever written.
base_dir = ${paths.baseDir}
state_dir = ${paths.stateDir}
log_path = ${paths.log}
protocols = imap pop3
listen = 127.0.0.1
shutdown_clients = yes

ssl = yes
ssl_cert = <${paths.certificate}
ssl_key = <${paths.key}
ssl_min_protocol = TLSv1.2
# Cleartext LOGIN / USER+PASS on the plain ports: the connectors must be testable without TLS too.
disable_plaintext_auth = no
# No 2 s penalty after a failed login: wrong-password tests stay fast.
auth_mechanisms = plain login
auth_failure_delay = 0
# Master users log in as "user*master" (LOGIN) or with SASL PLAIN authzid=user, authcid=master.
auth_master_user_separator = ${MASTER_USER_SEPARATOR}

default_internal_user = ${input.internalUser}
default_internal_group = ${input.internalGroup}
default_login_user = ${input.loginUser}
${input.mailUser === undefined ? '' : `mail_uid = ${input.mailUser}\nmail_gid = ${input.mailUser}\n`}first_valid_uid = 1
# Maildir with LAYOUT=fs: folders are plain directories, so names may contain "." (Maildir++
# refuses it: "Character not allowed in mailbox name"); non-ASCII and "&" are stored as modified UTF-7.
mail_home = ${paths.mail}/%u
mail_location = maildir:${paths.mail}/%u/Maildir:LAYOUT=fs
# UID + UIDVALIDITY (the 2.x default): stable across sessions, changes with UIDVALIDITY.
pop3_uidl_format = %08Xu%08Xv

passdb {
  driver = passwd-file
  args = scheme=PLAIN ${paths.masterUsers}
  master = yes
  # The user logged in as must exist in the regular passdb too.
  pass = yes
}
# One passwd-file per user (users/<name>), so a user added at runtime is seen by the next lookup.
# The files are world-readable: the auth process runs as default_internal_user, and these are
# throw-away test passwords.
passdb {
  driver = passwd-file
  args = scheme=PLAIN ${paths.users}/%u
}
userdb {
  driver = passwd-file
  args = ${paths.users}/%u
}

namespace inbox {
  inbox = yes
  separator = /
${specialUse}
}

# chroot needs root; cleared so the same config also runs unprivileged (see the research notes).
service anvil {
  chroot =
  # Anvil also delays every login from an IP after a failed one (measured: 4 s for the next POP3
  # PASS); an auth process that cannot open this socket disables that penalty, so one
  # wrong-password test does not slow all later logins. login_trusted_networks does not avoid it.
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${input.ports.imap}
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${input.ports.imaps}
    ssl = yes
  }
}
service pop3-login {
  chroot =
  inet_listener pop3 {
    address = 127.0.0.1
    port = ${input.ports.pop3}
  }
  inet_listener pop3s {
    address = 127.0.0.1
    port = ${input.ports.pop3s}
    ssl = yes
  }
}

# The default of 10 per user and IP is easy to hit with parallel-fetch tests and master logins.
protocol imap {
  mail_max_userip_connections = 50
  # What a client sent, per session, for tests that check which commands went out (recordCommands);
  # Dovecot writes nothing while the user's directory does not exist.
  rawlog_dir = ${paths.rawlog}/%u
}
protocol pop3 {
  mail_max_userip_connections = 50
}
`;
}
