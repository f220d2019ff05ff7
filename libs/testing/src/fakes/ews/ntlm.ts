import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { md4 } from './md4.js';

/**
 * The server side of NTLM (MS-NLMP) as IIS runs it in front of Exchange: a type 1 (negotiate)
 * message is answered with a type 2 (challenge) carrying a random server challenge and the target
 * information, and the type 3 (authenticate) message that follows on the same connection is
 * verified by recomputing the NTLMv2 proof from the account's password. NTLMv1 responses (24
 * bytes) are refused, as a domain at LmCompatibilityLevel 5 (the default since Windows Server
 * 2008 R2 hardening guides) refuses them.
 */

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

export const NTLM_FLAGS = {
  unicode: 0x00000001,
  oem: 0x00000002,
  requestTarget: 0x00000004,
  ntlm: 0x00000200,
  alwaysSign: 0x00008000,
  targetTypeDomain: 0x00010000,
  extendedSessionSecurity: 0x00080000,
  targetInfo: 0x00800000,
  version: 0x02000000,
} as const;

/** AV_PAIR ids of the target information (MS-NLMP 2.2.2.1). */
const AV = { eol: 0, nbComputer: 1, nbDomain: 2, dnsComputer: 3, dnsDomain: 4, timestamp: 7 } as const;

export interface NtlmServerIdentity {
  /** NetBIOS domain, e.g. `CONTOSO`. */
  readonly netbiosDomain: string;
  /** DNS domain, e.g. `contoso.example`. */
  readonly dnsDomain: string;
  /** NetBIOS name of the server, e.g. `EXCH01`. */
  readonly netbiosComputer: string;
}

/** What a connection remembers between the challenge and the authenticate message. */
export interface NtlmChallenge {
  readonly serverChallenge: Buffer;
  readonly unicode: boolean;
}

export interface NtlmAuthenticate {
  readonly domain: string;
  readonly user: string;
  readonly workstation: string;
  readonly ntResponse: Buffer;
}

export type NtlmMessage =
  | { readonly type: 1; readonly flags: number }
  | { readonly type: 3; readonly message: NtlmAuthenticate }
  | { readonly type: 'invalid'; readonly reason: string };

/** Decodes the token of an `Authorization: NTLM <base64>` (or `Negotiate <base64>` wrapping raw NTLM). */
export function parseNtlmToken(token: string, challenge?: NtlmChallenge): NtlmMessage {
  const bytes = Buffer.from(token, 'base64');
  if (bytes.length < 12 || !bytes.subarray(0, 8).equals(SIGNATURE))
    return { type: 'invalid', reason: 'not an NTLMSSP message' };
  const type = bytes.readUInt32LE(8);
  if (type === 1) return { type: 1, flags: bytes.length >= 16 ? bytes.readUInt32LE(12) : 0 };
  if (type !== 3 || bytes.length < 52)
    return { type: 'invalid', reason: `unexpected NTLM message type ${type}` };
  const field = (offset: number): Buffer => {
    const length = bytes.readUInt16LE(offset);
    const start = bytes.readUInt32LE(offset + 4);
    if (start + length > bytes.length) throw new RangeError('security buffer out of range');
    return bytes.subarray(start, start + length);
  };
  try {
    const text = (offset: number): string =>
      field(offset).toString(challenge?.unicode ? 'utf16le' : 'latin1');
    return {
      type: 3,
      message: { ntResponse: field(20), domain: text(28), user: text(36), workstation: text(44) },
    };
  } catch (error) {
    return { type: 'invalid', reason: (error as Error).message };
  }
}

/** A type 2 message answering a type 1 with `flags`; returns its base64 and what to remember. */
export function createNtlmChallenge(
  identity: NtlmServerIdentity,
  clientFlags: number,
): { token: string; challenge: NtlmChallenge } {
  const unicode = (clientFlags & NTLM_FLAGS.unicode) !== 0;
  const encoding = unicode ? 'utf16le' : 'latin1';
  const serverChallenge = randomBytes(8);
  const targetName = Buffer.from(identity.netbiosDomain, encoding);
  const targetInfo = targetInformation(identity);
  const flags =
    (unicode ? NTLM_FLAGS.unicode : NTLM_FLAGS.oem) |
    NTLM_FLAGS.requestTarget |
    NTLM_FLAGS.ntlm |
    NTLM_FLAGS.alwaysSign |
    NTLM_FLAGS.targetTypeDomain |
    NTLM_FLAGS.extendedSessionSecurity |
    NTLM_FLAGS.targetInfo |
    NTLM_FLAGS.version;
  const header = Buffer.alloc(56);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(targetName.length, 12);
  header.writeUInt16LE(targetName.length, 14);
  header.writeUInt32LE(56, 16);
  header.writeUInt32LE(flags >>> 0, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt16LE(targetInfo.length, 40);
  header.writeUInt16LE(targetInfo.length, 42);
  header.writeUInt32LE(56 + targetName.length, 44);
  // Version: Windows Server 2019 (10.0 build 17763), NTLM revision 15.
  Buffer.from([10, 0, 0x03, 0x45, 0, 0, 0, 15]).copy(header, 48);
  return {
    token: Buffer.concat([header, targetName, targetInfo]).toString('base64'),
    challenge: { serverChallenge, unicode },
  };
}

/**
 * Whether `message` proves knowledge of `password` for the challenge: the NTLMv2 proof is
 * HMAC-MD5(NTOWFv2, serverChallenge ‖ blob), NTOWFv2 = HMAC-MD5(MD4(UTF-16LE(password)),
 * UTF-16LE(UPPER(user) ‖ domain)). Windows accepts the domain as sent and upper-cased.
 */
export function verifyNtlmResponse(
  challenge: NtlmChallenge,
  message: NtlmAuthenticate,
  password: string,
): boolean {
  const response = message.ntResponse;
  if (response.length <= 24) return false; // NTLMv1 or anonymous: refused.
  const proof = response.subarray(0, 16);
  const blob = response.subarray(16);
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  for (const domain of new Set([message.domain, message.domain.toUpperCase()])) {
    const key = createHmac('md5', ntHash)
      .update(Buffer.from(message.user.toUpperCase() + domain, 'utf16le'))
      .digest();
    const expected = createHmac('md5', key).update(challenge.serverChallenge).update(blob).digest();
    if (timingSafeEqual(expected, proof)) return true;
  }
  return false;
}

function targetInformation(identity: NtlmServerIdentity): Buffer {
  const pair = (id: number, value: Buffer): Buffer => {
    const head = Buffer.alloc(4);
    head.writeUInt16LE(id, 0);
    head.writeUInt16LE(value.length, 2);
    return Buffer.concat([head, value]);
  };
  const text = (value: string): Buffer => Buffer.from(value, 'utf16le');
  const timestamp = Buffer.alloc(8);
  // FILETIME: 100 ns intervals since 1601-01-01.
  timestamp.writeBigUInt64LE((BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n);
  return Buffer.concat([
    pair(AV.nbDomain, text(identity.netbiosDomain)),
    pair(AV.nbComputer, text(identity.netbiosComputer)),
    pair(AV.dnsDomain, text(identity.dnsDomain)),
    pair(AV.dnsComputer, text(`${identity.netbiosComputer.toLowerCase()}.${identity.dnsDomain}`)),
    pair(AV.timestamp, timestamp),
    pair(AV.eol, Buffer.alloc(0)),
  ]);
}
