/**
 * Where Google's OAuth token endpoint, the Gmail API and the Admin SDK live (settings
 * `MAILKEEP_GOOGLE_TOKEN_URL`, `MAILKEEP_GOOGLE_GMAIL_URL`, `MAILKEEP_GOOGLE_ADMIN_URL` in
 * `GoogleEnv`, libs/config). Tests point all three at the in-repo fake.
 */
export interface GoogleEndpoints {
  /** e.g. `https://oauth2.googleapis.com/token`: where assertions are exchanged, and their `aud`. */
  readonly tokenUrl: string;
  /** e.g. `https://gmail.googleapis.com`. */
  readonly gmailUrl: string;
  /** e.g. `https://admin.googleapis.com`. */
  readonly adminUrl: string;
}

export const GOOGLE_DEFAULT_ENDPOINTS: GoogleEndpoints = Object.freeze({
  tokenUrl: 'https://oauth2.googleapis.com/token',
  gmailUrl: 'https://gmail.googleapis.com',
  adminUrl: 'https://admin.googleapis.com',
});

/**
 * The OAuth scopes Mailkeep asks for; each must be granted to the service account's client id in
 * the Admin console (Security → API controls → Domain-wide delegation).
 */
export const GOOGLE_SCOPES = Object.freeze({
  /** Read messages, labels, history and the profile: enough to archive. */
  gmailReadonly: 'https://www.googleapis.com/auth/gmail.readonly',
  /**
   * Full mailbox access: the only scope that allows the permanent `messages.delete` /
   * `batchDelete` that delete-in-source needs (gmail.modify only allows trash).
   */
  gmailFull: 'https://mail.google.com/',
  /** Directory users (the directory service's `google-workspace` type). */
  directoryUserReadonly: 'https://www.googleapis.com/auth/admin.directory.user.readonly',
  /** Group members, for the directory's optional group filter. */
  directoryGroupMemberReadonly: 'https://www.googleapis.com/auth/admin.directory.group.member.readonly',
});

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

/** `{gmail}/gmail/v1/users/{user}`: the user id is percent-encoded, as Google's clients send it. */
export function gmailUserUrl(endpoints: GoogleEndpoints, user: string): string {
  return `${withoutTrailingSlash(endpoints.gmailUrl)}/gmail/v1/users/${encodeURIComponent(user)}`;
}

/** `{admin}/admin/directory/v1`. */
export function directoryUrl(endpoints: GoogleEndpoints): string {
  return `${withoutTrailingSlash(endpoints.adminUrl)}/admin/directory/v1`;
}
