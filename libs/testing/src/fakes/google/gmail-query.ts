import type { FakeGmailMailbox, FakeGmailMessage } from './state.js';

/**
 * The subset of Gmail's search syntax (support.google.com/mail/answer/7190) the fake understands:
 * `in:` / `label:` (label name, case-insensitive, `-` for `/` and spaces), `is:starred|unread|important`,
 * `in:anywhere`, `after:` / `before:` (YYYY/MM/DD), each negatable with a leading `-`. Any other
 * term matches the raw message text, as Gmail's full-text search would.
 */
export interface ParsedGmailQuery {
  /** `in:anywhere`, `in:spam` or `in:trash`: spam and trash are not hidden. */
  readonly includesSpamTrash: boolean;
  matches(message: FakeGmailMessage): boolean;
}

/** How Gmail's search names the system labels (`in:drafts`, `in:sent`, `is:starred`…). */
const SEARCH_NAMES: Readonly<Record<string, string>> = {
  inbox: 'INBOX',
  sent: 'SENT',
  drafts: 'DRAFT',
  draft: 'DRAFT',
  spam: 'SPAM',
  trash: 'TRASH',
  starred: 'STARRED',
  important: 'IMPORTANT',
  unread: 'UNREAD',
  chats: 'CHAT',
};

const normaliseLabel = (name: string): string => name.toLowerCase().replace(/[/ ]/g, '-');

export function parseGmailQuery(query: string, mailbox: FakeGmailMailbox): ParsedGmailQuery {
  const tests: ((m: FakeGmailMessage) => boolean)[] = [];
  let includesSpamTrash = false;
  const labelNamed = (name: string): string | undefined => {
    const wanted = normaliseLabel(name);
    const system = SEARCH_NAMES[wanted];
    if (system) return system;
    return [...mailbox.labels.values()].find((l) => normaliseLabel(l.name) === wanted)?.id;
  };
  for (const rawTerm of query.split(/\s+/).filter(Boolean)) {
    const negated = rawTerm.startsWith('-');
    const term = negated ? rawTerm.slice(1) : rawTerm;
    const [operator, ...rest] = term.split(':');
    const value = rest.join(':');
    let test: (m: FakeGmailMessage) => boolean;
    if ((operator === 'in' || operator === 'label') && value === 'anywhere') {
      includesSpamTrash = true;
      continue;
    } else if (operator === 'in' || operator === 'label') {
      const id = labelNamed(value);
      if (!negated && (id === 'SPAM' || id === 'TRASH')) includesSpamTrash = true;
      test = (m) => id !== undefined && m.labelIds.has(id);
    } else if (operator === 'is') {
      const id = value.toUpperCase();
      test = (m) => m.labelIds.has(id);
    } else if (operator === 'after' || operator === 'before') {
      const at = Date.parse(value.replace(/\//g, '-'));
      test = (m) => (operator === 'after' ? m.internalDate >= at : m.internalDate < at);
    } else {
      const needle = term.toLowerCase();
      test = (m) => m.raw.toString('latin1').toLowerCase().includes(needle);
    }
    tests.push(negated ? (m) => !test(m) : test);
  }
  return { includesSpamTrash, matches: (m) => tests.every((t) => t(m)) };
}
