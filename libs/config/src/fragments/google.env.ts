import { EnvVar } from '../env-var.js';
import { IsUrlWithProtocol } from '../rules.js';

const HTTPS_URL = { message: 'must be an https:// URL' };

/**
 * Google OAuth, Gmail API and Admin SDK endpoints. Settings, not constants: tests point them at
 * the in-repo fake, and a deployment behind a Google-approved proxy (Private Service Connect)
 * uses other hosts.
 */
export class GoogleEnv {
  @EnvVar('Google OAuth 2.0 token endpoint the service-account assertion is exchanged at (also its `aud`).')
  @IsUrlWithProtocol(['https'], HTTPS_URL)
  MAILKEEP_GOOGLE_TOKEN_URL: string = 'https://oauth2.googleapis.com/token';

  @EnvVar('Gmail API endpoint (paths /gmail/v1/users/… are appended).')
  @IsUrlWithProtocol(['https'], HTTPS_URL)
  MAILKEEP_GOOGLE_GMAIL_URL: string = 'https://gmail.googleapis.com';

  @EnvVar('Admin SDK endpoint for the Directory API (paths /admin/directory/v1/… are appended).')
  @IsUrlWithProtocol(['https'], HTTPS_URL)
  MAILKEEP_GOOGLE_ADMIN_URL: string = 'https://admin.googleapis.com';
}
