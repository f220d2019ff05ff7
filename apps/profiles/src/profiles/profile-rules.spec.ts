import { describe, expect, it } from 'vitest';

import { combinations, minimal, validValue } from './profile-fixtures.js';
import { isPropertyUsed, PROPERTY_TABLE, validateProfile, withDefaults } from './profile-rules.js';

describe('the property table (every cell)', () => {
  it.each(combinations)('%s/%s: the required properties alone make a valid profile', (type, mode) => {
    expect(validateProfile(minimal(type, mode))).toMatchObject({ ok: true });
  });

  for (const [type, mode] of combinations) {
    for (const property of Object.keys(PROPERTY_TABLE)) {
      const used = isPropertyUsed(property, type, mode);
      const required = used && PROPERTY_TABLE[property]?.[type]?.use === 'required';
      if (required) {
        it(`${type}/${mode}: ${property} is required`, () => {
          const profile = minimal(type, mode);
          delete profile[property];
          const outcome = validateProfile(profile);
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(outcome.errors.map((e) => e.field)).toEqual([property]);
        });
      } else if (used) {
        it(`${type}/${mode}: ${property} is optional and kept`, () => {
          const outcome = validateProfile({ ...minimal(type, mode), [property]: validValue(property, type) });
          expect(outcome).toMatchObject({ ok: true, profile: { [property]: validValue(property, type) } });
        });
      } else {
        it(`${type}/${mode}: ${property} is refused`, () => {
          const outcome = validateProfile({ ...minimal(type, mode), [property]: validValue(property, type) });
          expect(outcome.ok).toBe(false);
          if (!outcome.ok) expect(outcome.errors.map((e) => e.field)).toEqual([property]);
        });
      }
    }
  }
});

describe('value rules', () => {
  const imap = (extra: Record<string, unknown>) =>
    validateProfile({ ...minimal('imap', 'single'), ...extra });
  const fields = (outcome: ReturnType<typeof validateProfile>) =>
    outcome.ok ? [] : outcome.errors.map((e) => e.field);

  it.each([[-1], [65536], ['993'], [993.5]])('refuses port %j', (port) => {
    expect(fields(imap({ port }))).toEqual(['port']);
  });
  it.each([[0], [65535], [993]])('accepts port %j', (port) => {
    expect(imap({ port }).ok).toBe(true);
  });

  it.each(['imap://host', 'host:993', 'host/path', 'user@host', 'mail example.com', '', '   '])(
    'refuses server name %j',
    (serverName) => {
      expect(fields(imap({ serverName }))).toEqual(['serverName']);
    },
  );
  it.each([
    '192.0.2.10',
    '2001:db8::1',
    '[2001:db8::1]',
    'mail.bücher.example',
    'localhost',
    'MAIL.Example.COM',
  ])('accepts server name %j', (serverName) => {
    expect(imap({ serverName }).ok).toBe(true);
  });

  it('applies the timeout bounds and the default when empty', () => {
    expect(fields(imap({ timeoutSeconds: 9 }))).toEqual(['timeoutSeconds']);
    expect(fields(imap({ timeoutSeconds: 601 }))).toEqual(['timeoutSeconds']);
    expect(imap({ timeoutSeconds: 10 }).ok).toBe(true);
    expect(imap({ timeoutSeconds: 600 }).ok).toBe(true);
    for (const empty of [undefined, null, '']) {
      const outcome = imap({ timeoutSeconds: empty });
      expect(outcome.ok && withDefaults(outcome.profile).timeoutSeconds).toBe(60);
    }
  });

  it('fills the port from the protocol, and keeps an explicit one', () => {
    const tls = imap({ protocol: 'imap-tls' });
    expect(tls.ok && withDefaults(tls.profile).port).toBe(143);
    const pop = validateProfile({ ...minimal('pop3', 'single'), protocol: 'pop-tls' });
    expect(pop.ok && withDefaults(pop.profile).port).toBe(110);
    const explicit = imap({ port: 1993 });
    expect(explicit.ok && withDefaults(explicit.profile).port).toBe(1993);
  });

  it('refuses pop3 in multiple mode and a protocol of the other type', () => {
    expect(
      fields(validateProfile({ ...minimal('pop3', 'single'), mode: 'multiple', mailboxId: undefined })),
    ).toContain('mode');
    expect(fields(imap({ protocol: 'pop-ssl' }))).toEqual(['protocol']);
  });

  it('reports every field error at once, unknown properties included', () => {
    const outcome = validateProfile({
      type: 'imap',
      mode: 'single',
      port: 'x',
      serverName: 'a b',
      colour: 'red',
    });
    expect(fields(outcome).sort()).toEqual([
      'colour',
      'credentialsSecretId',
      'mailboxId',
      'name',
      'port',
      'protocol',
      'serverName',
    ]);
  });

  it('trims the name and bounds it', () => {
    expect(imap({ name: '  Sales IMAP ' })).toMatchObject({ ok: true, profile: { name: 'Sales IMAP' } });
    expect(fields(imap({ name: 'x'.repeat(201) }))).toEqual(['name']);
  });
});
