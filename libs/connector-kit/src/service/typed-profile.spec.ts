import { ContractError, type ProfileOfType } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { checkProfileFor } from './typed-profile.js';

/** A saved imap profile as PROFILE_GET_V1 answers it (defaults filled in). */
const imap = {
  id: '6f9619ff-8b86-4011-b42d-00c04fc964ff',
  name: 'Sales IMAP',
  type: 'imap',
  mode: 'single',
  credentialsSecretId: '0b7a9c57-1d5e-4a8b-9f3c-2e6d4b1a0c9e',
  mailboxId: '7f3e2d1c-0b9a-4c8d-8e7f-6a5b4c3d2e1f',
  deleteInSource: false,
  serverName: 'imap.bücher.example',
  port: 993,
  protocol: 'imap-ssl',
  timeoutSeconds: 60,
  folders: { include: [], exclude: ['Archive'], excludeDefaults: true },
  version: 3,
  createdAt: '2026-03-29T01:30:00.000Z',
  updatedAt: '2026-03-29T01:30:00.000Z',
};

async function refusal(type: 'imap' | 'm365', profile: object): Promise<ContractError> {
  const error = await checkProfileFor(type, profile).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error).toBeInstanceOf(ContractError);
  return error as ContractError;
}

describe('checkProfileFor', () => {
  it('hands on a profile that fits its type, unchanged', async () => {
    const checked: ProfileOfType<'imap'> = await checkProfileFor<ProfileOfType<'imap'>>('imap', imap);
    expect(checked).toBe(imap);
    expect(checked.protocol).toBe('imap-ssl');
  });

  it('takes a draft of a connection test (no id, version or dates)', async () => {
    const { id: _id, version: _version, createdAt: _c, updatedAt: _u, ...draft } = imap;
    await expect(checkProfileFor('imap', draft)).resolves.toBe(draft);
  });

  it('refuses another type, a setting of another type, a missing or malformed one, naming the field', async () => {
    expect((await refusal('m365', imap)).fields).toEqual([expect.objectContaining({ field: 'type' })]);
    const foreign = await refusal('imap', { ...imap, applicationId: '04b07795-8ddb-461a-bbee-02f9e1bf7b46' });
    expect(foreign.code).toBe('VALIDATION');
    expect(foreign.fields?.map((f) => f.field)).toEqual(['applicationId']);
    const { protocol: _protocol, ...withoutProtocol } = imap;
    expect((await refusal('imap', withoutProtocol)).fields?.map((f) => f.field)).toEqual(['protocol']);
    expect((await refusal('imap', { ...imap, port: 70000 })).fields?.map((f) => f.field)).toEqual(['port']);
    const folders = await refusal('imap', {
      ...imap,
      folders: { include: 'INBOX', exclude: [], excludeDefaults: true },
    });
    expect(folders.fields?.map((f) => f.field)).toEqual(['folders.include']);
  });
});
