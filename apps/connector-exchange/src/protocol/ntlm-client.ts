import { createRequire } from 'node:module';

/**
 * The NTLM messages of `@ewsjs/ntlm-client` (the NTLM code of ews-javascript-api's own XHR layer,
 * with a JavaScript MD4 because Node 24's OpenSSL has none). Typed here: the package ships no
 * declarations.
 */
export interface NtlmType2 {
  readonly flags: number;
  readonly targetName: string;
}

interface NtlmClientModule {
  createType1Message(workstation?: string, target?: string): string;
  decodeType2Message(header: string): NtlmType2;
  createType3Message(
    type2: NtlmType2,
    username: string,
    password: string,
    workstation?: string,
    target?: string,
  ): string;
}

const ntlm = createRequire(import.meta.url)('@ewsjs/ntlm-client') as NtlmClientModule;

/** `CONTOSO\svc-archive` → user `svc-archive` in domain `CONTOSO`; a UPN has no domain part. */
export function splitLogin(login: string): { user: string; domain: string } {
  const slash = login.indexOf('\\');
  return slash > 0
    ? { user: login.slice(slash + 1), domain: login.slice(0, slash) }
    : { user: login, domain: '' };
}

/** The workstation name sent in NTLM: informative only, kept constant so no host name leaks. */
const WORKSTATION = 'MAILKEEP';

export function ntlmNegotiate(): string {
  return ntlm.createType1Message(WORKSTATION, '');
}

/** The authenticate message for a `WWW-Authenticate: NTLM <challenge>` header value. */
export function ntlmAuthenticate(challengeHeader: string, login: string, password: string): string {
  const { user, domain } = splitLogin(login);
  return ntlm.createType3Message(
    ntlm.decodeType2Message(challengeHeader),
    user,
    password,
    WORKSTATION,
    domain,
  );
}
