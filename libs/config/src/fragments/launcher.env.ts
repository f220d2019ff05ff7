import { Matches } from 'class-validator';

import { EnvVar } from '../env-var.js';

/** What the all-in-one launcher (`npm start`, apps/mailkeep) starts. */
export class LauncherEnv {
  @EnvVar(
    'Services the launcher starts, comma-separated (e.g. api,secrets,directory,profiles,scheduler,catalog,connector-imap); empty: every service. The others run elsewhere.',
  )
  @Matches(/^(|[a-z0-9-]+(,[a-z0-9-]+)*)$/, { message: 'must be service names separated by commas' })
  MAILKEEP_SERVICES: string = '';
}
