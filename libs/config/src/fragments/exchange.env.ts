import { Matches } from 'class-validator';

import { EnvVar } from '../env-var.js';

/** Where EWS lives on an Exchange server: the default virtual directory of every on-premises version. */
export const DEFAULT_EXCHANGE_URL_TEMPLATE = 'https://{serverName}/EWS/Exchange.asmx';

/** The Exchange Server (EWS) connector's endpoint template. */
export class ExchangeEnv {
  @EnvVar(
    "EWS URL of an exchange profile; {serverName} is replaced by the profile's server name (host, or host:port). Change it for a non-default virtual directory or port. https only.",
  )
  @Matches(/^https:\/\/[^\s]*\{serverName\}[^\s]*$/, {
    message: 'must be an https:// URL containing {serverName}',
  })
  MAILKEEP_EXCHANGE_URL_TEMPLATE: string = DEFAULT_EXCHANGE_URL_TEMPLATE;
}
