import { describe, expect, it } from 'vitest';

import { DEFAULT_FOLDER_SELECTION } from '../folders/folder-selection.js';
import { ImapSettingsError, readFolderSelection, readLogin, readServerSettings } from './imap-settings.js';

const secret = { id: 'x', type: 'basic' as const, username: 'archiver', password: 'pw' };

describe('readServerSettings', () => {
  it('fills in the protocol default port and the 60 s timeout', () => {
    expect(readServerSettings({ serverName: ' mail.example.test ', protocol: 'imap-ssl' })).toEqual({
      host: 'mail.example.test',
      port: 993,
      protocol: 'imap-ssl',
      ignoreTlsCertificateErrors: false,
      timeoutMs: 60_000,
    });
    expect(
      readServerSettings({ serverName: 'h', protocol: 'imap-tls', port: 0, timeoutSeconds: 10 }),
    ).toMatchObject({
      port: 143,
      timeoutMs: 10_000,
    });
  });

  it.each([
    [{ protocol: 'imap-ssl' }, 'serverName'],
    [{ serverName: 'a b', protocol: 'imap-ssl' }, 'serverName'],
    [{ serverName: 'h', protocol: 'pop-ssl' }, 'protocol'],
    [{ serverName: 'h', protocol: 'imap-ssl', port: 70000 }, 'port'],
    [{ serverName: 'h', protocol: 'imap-ssl', port: '993' }, 'port'],
    [{ serverName: 'h', protocol: 'imap-ssl', timeoutSeconds: 0 }, 'timeoutSeconds'],
    [
      { serverName: 'h', protocol: 'imap-ssl', ignoreTlsCertificateErrors: 'yes' },
      'ignoreTlsCertificateErrors',
    ],
  ])('refuses %j naming %s', (profile, field) => {
    expect(() => readServerSettings(profile)).toThrow(ImapSettingsError);
    expect(() => readServerSettings(profile)).toThrow(new RegExp(`^${field}:`));
  });
});

describe('readLogin', () => {
  it('logs in as the secret in single mode and for the mailbox in multiple mode', () => {
    expect(readLogin({ mode: 'single' }, secret, 'a@example.test')).toEqual({
      user: 'archiver',
      password: 'pw',
    });
    expect(readLogin({ mode: 'multiple' }, secret, ' a@example.test ')).toEqual({
      user: 'archiver',
      password: 'pw',
      authorizeAs: 'a@example.test',
    });
  });

  it('refuses a secret that cannot log in', () => {
    expect(() => readLogin({}, { id: 'x', type: 'client-secret', clientSecret: 's' }, 'a')).toThrow(
      /basic secret/,
    );
    expect(() => readLogin({}, { id: 'x', type: 'basic', username: 'u' }, 'a')).toThrow(/no password/);
    expect(() => readLogin({ mode: 'multiple' }, secret, '')).toThrow(/mailbox address/);
  });
});

describe('readFolderSelection', () => {
  it('defaults, and refuses malformed selections', () => {
    expect(readFolderSelection({})).toBe(DEFAULT_FOLDER_SELECTION);
    expect(readFolderSelection({ folders: { include: ['A'], exclude: [], excludeDefaults: false } })).toEqual(
      {
        include: ['A'],
        exclude: [],
        excludeDefaults: false,
      },
    );
    expect(() => readFolderSelection({ folders: { include: 'A' } })).toThrow(/^folders.include:/);
    expect(() => readFolderSelection({ folders: { excludeDefaults: 1 } })).toThrow(
      /^folders.excludeDefaults:/,
    );
  });
});
