import { IsUrlWithProtocol } from '../rules.js';
import { EnvVar } from '../env-var.js';

/**
 * Where Microsoft's identity platform and Graph are: the public cloud by default; another
 * national cloud, or a test fake, by setting them. HTTPS only: tokens and credentials go there.
 */
export class M365Env {
  @EnvVar(
    'Microsoft identity platform authority (token endpoint host), e.g. https://login.microsoftonline.us.',
  )
  @IsUrlWithProtocol(['https'], { message: 'must be an https:// URL' })
  MAILKEEP_M365_AUTHORITY_URL: string = 'https://login.microsoftonline.com';

  @EnvVar('Microsoft Graph endpoint, e.g. https://graph.microsoft.us.')
  @IsUrlWithProtocol(['https'], { message: 'must be an https:// URL' })
  MAILKEEP_M365_GRAPH_URL: string = 'https://graph.microsoft.com';
}
