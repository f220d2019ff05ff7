import { ContractError } from '@mailkeep/contracts';
import { describe, expect, it } from 'vitest';

import { archiveFoldersInTurn } from './archive-folders.js';

const folders = [{ path: 'Inbox' }, { path: 'Broken' }, { path: 'Sent Items' }];
const quiet = { warn: () => undefined };

describe('archiveFoldersInTurn', () => {
  it('goes on past a folder that fails on its own, then throws that folder’s error', async () => {
    const archived: string[] = [];
    const broken = ContractError.validation([{ field: 'syncState', message: 'refused' }]);
    const pass = archiveFoldersInTurn(
      folders,
      (folder) => {
        if (folder.path === 'Broken') return Promise.reject(broken);
        archived.push(folder.path);
        return Promise.resolve(folder.path);
      },
      quiet,
    );
    await expect(pass).rejects.toBe(broken);
    expect(archived).toEqual(['Inbox', 'Sent Items']);
  });

  it('stops at once on a mailbox-wide error', async () => {
    const archived: string[] = [];
    const refused = new ContractError('AUTH_FAILED', 'credentials refused');
    const pass = archiveFoldersInTurn(
      folders,
      (folder) => {
        if (folder.path === 'Broken') return Promise.reject(refused);
        archived.push(folder.path);
        return Promise.resolve(folder.path);
      },
      quiet,
    );
    await expect(pass).rejects.toBe(refused);
    expect(archived).toEqual(['Inbox']);
  });

  it('answers every folder’s result in order when all succeed', async () => {
    await expect(
      archiveFoldersInTurn(folders, (f) => Promise.resolve(f.path.length), quiet),
    ).resolves.toEqual([5, 6, 10]);
  });
});
