import { ContractError } from '@mailkeep/contracts';

import type { MultilineResponse, Pop3Connection } from './pop3-connection.js';
import { Pop3ResponseError } from './parse-pop3-error.js';
import type { Pop3Login } from './pop3-settings.js';

/**
 * The separator of Dovecot's master-user login, `<mailbox>*<master user>` (auth_master_user_separator);
 * used only when the server does not offer SASL PLAIN, whose authorization identity is the standard way.
 */
export const MASTER_USER_SEPARATOR = '*';

/**
 * Longest line of a multi-line listing (CAPA, UIDL). A UIDL line is a number and at most 70
 * characters (RFC 1939 §7); 1 KiB is generous and still stops a server that never sends CRLF.
 */
const MAX_LISTING_LINE_BYTES = 1_024;

/** One entry of the UIDL listing: the session's message number and the message's stable id. */
export interface UidlEntry {
  readonly number: number;
  readonly uidl: string;
}

/** STAT: the maildrop's message count and size in octets. */
export interface MaildropStat {
  readonly messages: number;
  readonly octets: number;
}

/** The POP3 commands a connector needs (RFC 1939, RFC 2449 CAPA, RFC 5034 AUTH), over one connection. */
export class Pop3Client {
  constructor(readonly connection: Pop3Connection) {}

  /**
   * CAPA (RFC 2449): capability lines, upper-cased tag first (`SASL PLAIN LOGIN`, `STLS`, `UIDL`).
   * Undefined when the server does not know CAPA (an RFC 1939-only server).
   */
  async capabilities(): Promise<string[] | undefined> {
    try {
      const lines = await this.listing('CAPA');
      return lines.map((line) => {
        const [tag = '', ...rest] = line.trim().split(/\s+/);
        return [tag.toUpperCase(), ...rest].join(' ');
      });
    } catch (error) {
      if (error instanceof Pop3ResponseError) return undefined;
      throw error;
    }
  }

  /**
   * Logs in. With SASL PLAIN offered, `AUTH PLAIN` carries the master user as authentication and
   * the mailbox as authorization identity (RFC 4616), the standard way; otherwise USER/PASS, with
   * `<mailbox>*<master>` as the user name for a master login (Dovecot's convention).
   */
  async login(login: Pop3Login, capabilities: readonly string[] | undefined): Promise<string> {
    const saslPlain = capabilities?.some((line) => /^SASL\b.*\bPLAIN\b/i.test(line)) ?? false;
    if (saslPlain) return this.authPlain(login);
    const user =
      login.actAs === undefined ? login.username : `${login.actAs}${MASTER_USER_SEPARATOR}${login.username}`;
    await this.connection.command(`USER ${user}`);
    return this.connection.command(`PASS ${login.password}`, 'PASS ***');
  }

  /** STAT: how many messages the maildrop holds, and their size. */
  async stat(): Promise<MaildropStat> {
    const text = await this.connection.command('STAT');
    const match = /^(\d+)\s+(\d+)/.exec(text);
    if (!match) throw malformed('STAT', text);
    return { messages: Number(match[1]), octets: Number(match[2]) };
  }

  /**
   * UIDL without argument: every message's number and unique id, in the server's order. Checks
   * what RFC 1939 §7 promises — increasing numbers, ids of 1–70 printable characters, no id twice —
   * because the archive's cursor relies on it.
   */
  async uidl(): Promise<UidlEntry[]> {
    const entries: UidlEntry[] = [];
    const seen = new Set<string>();
    for (const line of await this.listing('UIDL')) {
      const match = /^(\d+) ([\x21-\x7e]{1,70})$/.exec(line);
      if (!match) throw malformed('UIDL', line);
      const number = Number(match[1]);
      const uidl = match[2] as string;
      const previous = entries.at(-1);
      if (number < 1 || (previous && number <= previous.number)) throw malformed('UIDL', line);
      if (seen.has(uidl)) {
        throw new ContractError('INTERNAL', `The POP3 server listed the unique id ${uidl} twice`, {
          reason: 'internal',
        });
      }
      seen.add(uidl);
      entries.push({ number, uidl });
    }
    return entries;
  }

  /** RETR: the message as a stream of its exact octets (dot-unstuffed, final CRLF kept). */
  retr(number: number): Promise<MultilineResponse> {
    return this.connection.multiline(`RETR ${number}`);
  }

  /** DELE: marks a message; nothing is deleted before QUIT succeeds (RFC 1939 §6). */
  async dele(number: number): Promise<void> {
    await this.connection.command(`DELE ${number}`);
  }

  /** QUIT: ends the session; in the TRANSACTION state this commits the deletions (UPDATE state). */
  async quit(): Promise<string> {
    const text = await this.connection.command('QUIT');
    this.connection.destroy();
    return text;
  }

  /** Drops the connection without QUIT: nothing marked for deletion is deleted. */
  close(): void {
    this.connection.destroy();
  }

  /** SASL PLAIN (RFC 5034 without initial response, so every server accepts it), RFC 4616 message. */
  private async authPlain(login: Pop3Login): Promise<string> {
    const line = await this.connection.exchange('AUTH PLAIN', 'AUTH PLAIN', 'AUTH');
    if (line.startsWith('-ERR')) throw new Pop3ResponseError('AUTH', line.slice(4).trim());
    if (!line.startsWith('+')) throw malformed('AUTH', line);
    const message = Buffer.from(`${login.actAs ?? ''}\0${login.username}\0${login.password}`, 'utf8');
    // Shown (and named in errors) as AUTH: the line itself is the encoded password.
    return this.connection.command(message.toString('base64'), 'AUTH (SASL PLAIN response ***)');
  }

  /** A multi-line listing read whole, as lines (CAPA, UIDL); bounded per line. */
  private async listing(command: string): Promise<string[]> {
    const response = await this.connection.multiline(command);
    const lines: string[] = [];
    let partial = '';
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      const parts = (partial + chunk.toString('latin1')).split('\r\n');
      partial = parts.pop() ?? '';
      if (partial.length > MAX_LISTING_LINE_BYTES) throw malformed(command, partial.slice(0, 200));
      lines.push(...parts);
    }
    await response.complete;
    if (partial !== '') throw malformed(command, partial.slice(0, 200));
    return lines;
  }
}

function malformed(command: string, text: string): ContractError {
  return new ContractError('INTERNAL', `Malformed POP3 answer to ${command}: ${text.slice(0, 200)}`, {
    reason: 'internal',
  });
}
