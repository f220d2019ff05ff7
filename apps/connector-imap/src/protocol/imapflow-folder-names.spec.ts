import parser from 'imapflow/lib/handler/imap-parser.js';
import { decodePath, encodePath } from 'imapflow/lib/tools.js';
import { describe, expect, it } from 'vitest';

/**
 * What imapflow 2.10.2 does with folder names (issue 17 item 4, decision 0021), pinned so that an
 * upgrade that changes it is noticed. A session without UTF8=ACCEPT: names on the wire are
 * modified UTF-7. `list()` decodes each listed name (decodePath) and `getMailboxLock()` /
 * `status()` encode the decoded name again (encodePath), so only canonical modified UTF-7 survives
 * the round trip; a name that is not is opened as another one. `pathAsListed` keeps the listed text.
 */
// What encodePath / decodePath read of a session: no UTF8=ACCEPT enabled, no IMAP4rev2.
const session = { enabled: new Set<string>(), capabilities: new Set<string>() } as unknown as Parameters<
  typeof encodePath
>[0];
const roundTrip = (listed: string) => encodePath(session, decodePath(session, listed));

describe('imapflow folder names', () => {
  it('re-encodes canonical modified UTF-7 to the same bytes', () => {
    expect(roundTrip('Entw&APw-rfe &- Notizen')).toBe('Entw&APw-rfe &- Notizen');
    expect(roundTrip('&AMQ-rger &- Co/Unter')).toBe('&AMQ-rger &- Co/Unter');
  });

  it('sends other names than the listed ones for names that are not canonical modified UTF-7', () => {
    expect(roundTrip('&AGE-')).toBe('a');
    expect(roundTrip('&ZZZ')).toBe('&ZZY-');
    expect(roundTrip('bad&-x&')).toBe('bad&-x');
  });

  it('reads a listed name that is not UTF-8 as UTF-8: two such names become the same text', async () => {
    const listed = async (name: number[]): Promise<unknown> => {
      const line = Buffer.concat([Buffer.from('* LIST () "/" "caf'), Buffer.from(name), Buffer.from('"')]);
      const { attributes } = (await parser(line)) as { attributes: { value: unknown }[] };
      return attributes[2]?.value;
    };
    expect(await listed([0xe9])).toBe('caf\ufffd');
    expect(await listed([0xe9])).toBe(await listed([0xe8]));
  });
});
