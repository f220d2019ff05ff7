import type { NatsUsersEnv } from '@mailkeep/config';

/** The users of deploy/nats/nats-server.conf; every connector worker shares `connector`. */
export type NatsUser = 'api' | 'secrets' | 'directory' | 'profiles' | 'scheduler' | 'catalog' | 'connector';

type Passwords = InstanceType<typeof NatsUsersEnv>;

const PASSWORD_OF: Record<NatsUser, keyof Passwords> = {
  api: 'MAILKEEP_NATS_PASSWORD_API',
  secrets: 'MAILKEEP_NATS_PASSWORD_SECRETS',
  directory: 'MAILKEEP_NATS_PASSWORD_DIRECTORY',
  profiles: 'MAILKEEP_NATS_PASSWORD_PROFILES',
  scheduler: 'MAILKEEP_NATS_PASSWORD_SCHEDULER',
  catalog: 'MAILKEEP_NATS_PASSWORD_CATALOG',
  connector: 'MAILKEEP_NATS_PASSWORD_CONNECTOR',
};

/**
 * The NATS URLs a service connects with: as its own user when that user's password is configured
 * (each URL gets `user:password@`), else as given. URLs that already name a user are kept, so an
 * operator's explicit choice wins.
 */
export function natsUrlsAs(user: NatsUser, urls: readonly string[], passwords: Passwords): string[] {
  const password = passwords[PASSWORD_OF[user]];
  if (password === undefined) return [...urls];
  return urls.map((url) => {
    const parsed = new URL(url);
    if (parsed.username !== '') return url;
    parsed.username = user;
    parsed.password = password;
    return parsed.toString();
  });
}
