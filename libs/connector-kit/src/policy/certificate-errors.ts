/**
 * Node's and OpenSSL's error codes of a server certificate the client refused. For every connector
 * this is a setting to change (trust the server's certificate, or the profile's "ignore TLS
 * certificate errors"), never a passing fault worth a retry.
 */
export const TLS_CERTIFICATE_ERROR_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** The certificate error code of a refused server certificate (Node's `error.code`), else undefined. */
export function tlsCertificateErrorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' && TLS_CERTIFICATE_ERROR_CODES.has(code) ? code : undefined;
}
