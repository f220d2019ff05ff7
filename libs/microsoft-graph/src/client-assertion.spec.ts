import { createHash, verify, X509Certificate } from 'node:crypto';

import { generateApplicationCertificate } from '@mailkeep/testing';
import { describe, expect, it } from 'vitest';

import { buildClientAssertion } from './client-assertion.js';

/**
 * The certificate credential's client assertion, read as Entra ID reads it: the key is found by
 * the `x5t#S256` header (the SHA-256 thumbprint of the DER certificate; issue 19 asks for it, and
 * the fake also accepts the older SHA-1 `x5t`, so only this test holds the header to it), the
 * signature is checked with the certificate's public key, and the claims name the application
 * and the token URL.
 */
const certificate = generateApplicationCertificate('CN=assertion-test');
const clientId = '9a0c0305-e82c-4f89-11d3-3f2504e04f89';
const audience = 'https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token';
const NOW = Date.parse('2026-12-07T18:00:00Z');

function decode(assertion: string) {
  const [header = '', claims = '', signature = ''] = assertion.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    claims: JSON.parse(Buffer.from(claims, 'base64url').toString('utf8')) as Record<string, unknown>,
    signed: Buffer.from(`${header}.${claims}`),
    signature: Buffer.from(signature, 'base64url'),
  };
}

const build = () =>
  buildClientAssertion({
    clientId,
    audience,
    certificatePem: certificate.certificatePem,
    privateKeyPem: certificate.privateKeyPem,
    now: NOW,
  });

describe('buildClientAssertion', () => {
  it('names the certificate by its SHA-256 thumbprint in x5t#S256 and signs with RS256', () => {
    const { header, signed, signature } = decode(build());
    const x509 = new X509Certificate(certificate.certificatePem);
    expect(header).toEqual({
      alg: 'RS256',
      typ: 'JWT',
      'x5t#S256': createHash('sha256').update(x509.raw).digest('base64url'),
    });
    expect(verify('sha256', signed, x509.publicKey, signature)).toBe(true);
  });

  it('claims the application as issuer and subject, the token URL as audience, a short validity and a fresh jti', () => {
    const first = decode(build()).claims;
    const seconds = NOW / 1000;
    expect(first).toMatchObject({ aud: audience, iss: clientId, sub: clientId, nbf: seconds, iat: seconds });
    expect(first['exp']).toBeGreaterThan(seconds);
    expect(first['exp']).toBeLessThanOrEqual(seconds + 3600);
    expect(first['jti']).toEqual(expect.any(String));
    // Entra refuses a replayed assertion: every assertion carries its own jti.
    expect(decode(build()).claims['jti']).not.toBe(first['jti']);
  });
});
