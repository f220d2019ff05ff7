import { IsInt, Max, Min } from 'class-validator';

import { EnvVar } from '../env-var.js';
import { IsUrlWithProtocol, ToInt } from '../rules.js';

/**
 * Requests one Microsoft 365 connector worker keeps in flight to Graph across all its mailboxes.
 * Outlook allows 4 concurrent requests per mailbox (and, per the current throttling page, per
 * app); 16 lets the default 4 mailbox tasks each use their 4 while one worker cannot flood a
 * tenant whose app limit is shared with other tools.
 */
export const DEFAULT_M365_REQUESTS_IN_FLIGHT = 16;

const HTTPS_URL = { message: 'must be an https:// URL' };
const IN_FLIGHT = { message: 'must be an integer between 1 and 256' };

/** Microsoft identity platform and Graph endpoints (sovereign clouds and tests change them). */
export class M365Env {
  @EnvVar(
    'Microsoft identity platform authority (token endpoint host), e.g. https://login.microsoftonline.us for US Government.',
  )
  @IsUrlWithProtocol(['https'], HTTPS_URL)
  MAILKEEP_M365_AUTHORITY_URL: string = 'https://login.microsoftonline.com';

  @EnvVar('Microsoft Graph endpoint, e.g. https://graph.microsoft.us for US Government.')
  @IsUrlWithProtocol(['https'], HTTPS_URL)
  MAILKEEP_M365_GRAPH_URL: string = 'https://graph.microsoft.com';

  @EnvVar(
    'Graph requests one Microsoft 365 connector worker keeps in flight across its mailboxes (each mailbox is also held to 4).',
  )
  @ToInt()
  @IsInt(IN_FLIGHT)
  @Min(1, IN_FLIGHT)
  // Past 256 a single worker would exceed what Graph lets one app run at once anyway.
  @Max(256, IN_FLIGHT)
  MAILKEEP_M365_REQUESTS_IN_FLIGHT: number = DEFAULT_M365_REQUESTS_IN_FLIGHT;
}
