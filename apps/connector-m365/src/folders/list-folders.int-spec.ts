import { randomBytes } from 'node:crypto';

import { type FakeTenant, type RunningGraphFake, seedMailbox, startGraphFake } from '@mailkeep/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { GraphAccess } from '../protocol/graph-access.js';
import { listFolders } from './list-folders.js';

/**
 * The folder walk against the HTTPS Graph fake, on the folder shapes of a real mailbox (seedMailbox):
 * nested folders reached through childFolders, a search folder under the Inbox (a view over the
 * Inbox and a project folder: archiving it would read their messages a second time under another
 * path), a hidden folder, and the well-known folders `excludeDefaults` skips.
 */
let fake: RunningGraphFake;
let m365: FakeTenant;
let clientId = '';
const secret = `Qx8Q~${randomBytes(24).toString('base64url')}`;

beforeAll(async () => {
  fake = await startGraphFake();
  m365 = fake.addTenant('folders.example');
  clientId = m365.addApplication({ secrets: [secret] }).clientId;
});

afterAll(async () => {
  await fake.stop();
});

describe('listFolders', () => {
  it('walks every folder depth first, skips search and hidden folders, and marks the default exclusions', async () => {
    const user = m365.addUser('walker');
    seedMailbox(user.mailbox!, { largeAttachmentBytes: 0, domain: 'walker.test' });
    const access = new GraphAccess({ authorityUrl: fake.origin, graphUrl: fake.origin }, 16);
    const graph = access.mailbox(
      {
        registration: {
          directoryId: m365.id,
          clientId,
          credential: { kind: 'client-secret', clientSecret: secret },
        },
        sourceMailbox: user.userPrincipalName,
      },
      { signal: new AbortController().signal, onThrottled: () => undefined },
    );

    const folders = await listFolders(graph);

    const paths = folders.map((f) => f.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'Inbox',
        'Sent Items',
        'Archive',
        'Projects',
        'Projects/2026',
        'Projects/2026/Q4 Reports',
      ]),
    );
    expect(paths).not.toContain('Inbox/Weekly reports');
    expect(paths.filter((p) => /Sync Issues|Finder|Conversation Action Settings/.test(p))).toEqual([]);
    expect(new Set(paths).size).toBe(paths.length);
    // Depth first: a folder's children follow it.
    expect(paths.indexOf('Projects/2026/Q4 Reports')).toBe(paths.indexOf('Projects/2026') + 1);
    expect(
      folders
        .filter((f) => f.defaultExcluded)
        .map((f) => f.path)
        .sort(),
    ).toEqual(['Deleted Items', 'Drafts', 'Junk Email', 'Outbox'].sort());
    const mailbox = user.mailbox!;
    expect(folders.find((f) => f.path === 'Junk Email')?.id).toBe(mailbox.wellKnown('junkemail').id);
  });
});
