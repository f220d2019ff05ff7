import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { testCertificateAuthority } from '../test-ca.js';
import { EwsFakeCounters, type EwsFaultOptions, FaultInjector } from './faults.js';
import {
  createNtlmChallenge,
  type NtlmChallenge,
  type NtlmServerIdentity,
  parseNtlmToken,
  verifyNtlmResponse,
} from './ntlm.js';
import {
  deleteItems,
  findFolder,
  getFolder,
  requestedItemIds,
  syncFolderHierarchy,
  syncFolderItems,
  wantsMime,
} from './operations.js';
import {
  backOffXml,
  envelopeParts,
  errorMessage,
  EWS_ERRORS,
  type EwsError,
  parseSoapRequest,
  soapFault,
  type XmlElement,
} from './soap.js';
import { EwsMailbox, type EwsServiceAccount } from './state.js';

/**
 * A faithful HTTPS fake of Exchange Web Services on an on-premises Exchange 2019 server: SOAP
 * over HTTPS at `/EWS/Exchange.asmx` (configurable), IIS's Basic and connection-bound NTLM
 * authentication, ExchangeImpersonation with per-account rights and the X-AnchorMailbox check,
 * the operations an archiver uses (FindFolder, GetFolder, SyncFolderHierarchy, SyncFolderItems, GetItem with
 * MimeContent, DeleteItem), ErrorServerBusy in its shapes, invalid sync states, slow and cut
 * responses. Trusted through the test CA (`NODE_EXTRA_CA_CERTS`), never by switching TLS checks off.
 */
export interface StartEwsFakeOptions {
  /** Where EWS answers; default `/EWS/Exchange.asmx`. */
  readonly path?: string;
  /**
   * The schemes IIS offers on the EWS virtual directory, in this order: `ntlm` (offered as
   * `Negotiate` and `NTLM`), `negotiate` (the Negotiate provider alone, NTLM tokens inside it) and
   * `basic`. Default `ntlm` and `basic`.
   */
  readonly authSchemes?: readonly EwsAuthScheme[];
  readonly ntlmIdentity?: NtlmServerIdentity;
  readonly faults?: EwsFaultOptions;
}

export interface RunningEwsFake {
  /** `https://127.0.0.1:<port>`. */
  readonly origin: string;
  /** `127.0.0.1:<port>`: a profile's `serverName` with `MAILKEEP_EXCHANGE_URL_TEMPLATE=https://{serverName}/EWS/Exchange.asmx`. */
  readonly host: string;
  readonly port: number;
  /** `{origin}{path}`. */
  readonly url: string;
  readonly caPath: string;
  readonly counters: EwsFakeCounters;
  readonly netbiosDomain: string;
  addServiceAccount(
    account: Omit<EwsServiceAccount, 'impersonates'> & { impersonates?: 'all' | readonly string[] },
  ): EwsServiceAccount;
  addMailbox(smtpAddress: string, displayName?: string): EwsMailbox;
  mailbox(smtpAddress: string): EwsMailbox | undefined;
  readonly mailboxes: readonly EwsMailbox[];
  setFaults(faults: EwsFaultOptions): void;
  setAuthSchemes(schemes: readonly EwsAuthScheme[]): void;
  stop(): Promise<void>;
}

export type EwsAuthScheme = 'ntlm' | 'negotiate' | 'basic';

const DEFAULT_IDENTITY: NtlmServerIdentity = {
  netbiosDomain: 'CONTOSO',
  dnsDomain: 'contoso.example',
  netbiosComputer: 'EXCH01',
};
/** EWS requests of an archiver are small; a larger body is refused rather than buffered. */
const MAX_REQUEST_BYTES = 1024 * 1024;
/** MIME is written in base64 chunks of this many source bytes (a multiple of 3: no padding inside). */
const MIME_CHUNK_BYTES = 48 * 1024;

const UNAUTHORIZED_BODY =
  '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html><head><title>401 - Unauthorized: Access is denied due to invalid credentials.</title></head><body><h2>401 - Unauthorized: Access is denied due to invalid credentials.</h2><h3>You do not have permission to view this directory or page using the credentials that you supplied.</h3></body></html>';

interface ConnectionAuth {
  challenge?: NtlmChallenge;
  account?: EwsServiceAccount;
}

export async function startEwsFake(options: StartEwsFakeOptions = {}): Promise<RunningEwsFake> {
  const authority = testCertificateAuthority();
  const path = options.path ?? '/EWS/Exchange.asmx';
  const identity = options.ntlmIdentity ?? DEFAULT_IDENTITY;
  let schemes = options.authSchemes ?? ['ntlm', 'basic'];
  const counters = new EwsFakeCounters();
  const faults = new FaultInjector(counters);
  faults.configure(options.faults ?? {});
  const accounts: EwsServiceAccount[] = [];
  const mailboxes = new Map<string, EwsMailbox>();
  const connections = new WeakMap<Socket, ConnectionAuth>();
  const inFlight = new Map<string, number>();

  const findAccount = (login: string, domain?: string): EwsServiceAccount | undefined => {
    const [name, givenDomain] = login.includes('\\')
      ? [login.slice(login.indexOf('\\') + 1), login.slice(0, login.indexOf('\\'))]
      : [login, domain];
    const lower = name.toLowerCase();
    return accounts.find((account) =>
      lower.includes('@')
        ? account.userPrincipalName.toLowerCase() === lower && !givenDomain
        : account.userName.toLowerCase() === lower &&
          (givenDomain ?? '').toUpperCase() === identity.netbiosDomain.toUpperCase(),
    );
  };

  const challenge = (response: ServerResponse, ntlmToken?: string, scheme = 'NTLM'): void => {
    counters.unauthorized += 1;
    const offered = ntlmToken
      ? [`${scheme} ${ntlmToken}`]
      : schemes.flatMap((s) =>
          s === 'ntlm'
            ? ['Negotiate', 'NTLM']
            : s === 'negotiate'
              ? ['Negotiate']
              : [`Basic realm="${identity.netbiosComputer.toLowerCase()}.${identity.dnsDomain}"`],
        );
    response.writeHead(401, {
      'Content-Type': 'text/html',
      'WWW-Authenticate': offered,
      'X-Powered-By': 'ASP.NET',
    });
    response.end(UNAUTHORIZED_BODY);
  };

  /** The account of an authenticated request, or undefined when a 401 was sent. */
  const authenticate = (
    request: IncomingMessage,
    response: ServerResponse,
  ): EwsServiceAccount | undefined => {
    const socket = request.socket;
    const state = connections.get(socket) ?? {};
    connections.set(socket, state);
    const header = request.headers.authorization ?? '';
    const [scheme = '', token = ''] = header.split(' ', 2);
    if (scheme.toLowerCase() === 'basic' && schemes.includes('basic')) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const account = colon > 0 ? findAccount(decoded.slice(0, colon)) : undefined;
      if (account && account.password === decoded.slice(colon + 1)) {
        counters.basicLogins += 1;
        return account;
      }
      counters.authFailures += 1;
      challenge(response);
      return undefined;
    }
    const lower = scheme.toLowerCase();
    if (
      (lower === 'ntlm' && schemes.includes('ntlm')) ||
      (lower === 'negotiate' && (schemes.includes('ntlm') || schemes.includes('negotiate')))
    ) {
      const message = parseNtlmToken(token, state.challenge);
      if (message.type === 1) {
        const issued = createNtlmChallenge(identity, message.flags);
        state.challenge = issued.challenge;
        state.account = undefined;
        challenge(response, issued.token, scheme);
        return undefined;
      }
      if (message.type === 3 && state.challenge) {
        const account = findAccount(message.message.user, message.message.domain);
        const ok =
          account !== undefined && verifyNtlmResponse(state.challenge, message.message, account.password);
        state.challenge = undefined;
        if (ok) {
          counters.ntlmLogins += 1;
          // NTLM authenticates the connection: later requests on it carry no Authorization.
          state.account = account;
          return account;
        }
      }
      counters.authFailures += 1;
      challenge(response);
      return undefined;
    }
    if (header === '' && state.account) return state.account;
    challenge(response);
    return undefined;
  };

  const send = (response: ServerResponse, status: number, xml: string): void => {
    const body = Buffer.from(xml, 'utf8');
    response.writeHead(status, {
      'Content-Type': 'text/xml; charset=utf-8',
      'Content-Length': body.length,
      'X-EwsPerformanceData': 'RpcC=0;RpcL=0;LdapC=0;LdapL=0;',
      'request-id': crypto.randomUUID(),
    });
    response.end(body);
  };

  const fault = (response: ServerResponse, error: EwsError, extra = ''): void => {
    send(response, 500, soapFault(error, extra));
  };

  async function readBody(request: IncomingMessage): Promise<string | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) return undefined;
      chunks.push(chunk);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** The impersonated mailbox's address (ConnectingSID), or the account's own. */
  const impersonatedAddress = (header: XmlElement | undefined): string | undefined => {
    const sid = header?.child('ExchangeImpersonation')?.child('ConnectingSID');
    const address =
      sid?.child('SmtpAddress') ?? sid?.child('PrimarySmtpAddress') ?? sid?.child('PrincipalName');
    return address?.text().trim().toLowerCase();
  };

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    counters.requests += 1;
    const url = new URL(request.url ?? '/', 'https://fake');
    const body = await readBody(request);
    if (url.pathname.toLowerCase() !== path.toLowerCase()) {
      response.writeHead(404, { 'Content-Type': 'text/html' });
      response.end('<html><body><h2>404 - File or directory not found.</h2></body></html>');
      return;
    }
    const account = authenticate(request, response);
    if (!account) return;
    if (request.method !== 'POST') {
      response.writeHead(405, { Allow: 'POST', 'Content-Type': 'text/html' });
      response.end('<html><body>Method not allowed</body></html>');
      return;
    }
    if (body === undefined) {
      response.writeHead(413, { 'Content-Type': 'text/html' });
      response.end('<html><body>Request entity too large</body></html>');
      return;
    }
    const soap = parseSoapRequest(body);
    if (!soap) {
      fault(response, EWS_ERRORS.schemaValidation);
      return;
    }
    const impersonated = impersonatedAddress(soap.header);
    const address = impersonated ?? account.userPrincipalName.toLowerCase();
    const mailbox = mailboxes.get(address);
    if (!mailbox) {
      fault(response, EWS_ERRORS.nonExistentMailbox);
      return;
    }
    if (impersonated !== undefined) {
      if (account.impersonates !== 'all' && !account.impersonates.has(impersonated)) {
        counters.impersonationDenied += 1;
        fault(response, EWS_ERRORS.impersonateUserDenied);
        return;
      }
      const anchor = (request.headers['x-anchormailbox'] as string | undefined)?.trim().toLowerCase();
      if (anchor !== impersonated) {
        // Exchange routes the request to the anchor's mailbox server; a wrong or missing anchor
        // lands on the wrong backend. The fake refuses instead of hiding the bug.
        counters.anchorMismatches += 1;
        fault(response, {
          code: EWS_ERRORS.invalidRequest.code,
          message: `X-AnchorMailbox (${anchor ?? 'missing'}) does not name the impersonated mailbox ${impersonated}.`,
        });
        return;
      }
    }
    const operation = soap.operation.localName;
    counters.byOperation.set(operation, counters.operation(operation) + 1);
    const running = (inFlight.get(address) ?? 0) + 1;
    inFlight.set(address, running);
    counters.maxInFlightPerMailbox.set(
      address,
      Math.max(running, counters.maxInFlightPerMailbox.get(address) ?? 0),
    );
    try {
      if (faults.options.delayMs) await delay(faults.options.delayMs);
      // A retry is the same request again: its back-off is checked per request, as the client's
      // other connections to the mailbox may have requests in flight when the busy answer goes out.
      const busy = faults.busy(`${address} ${createHash('sha256').update(body).digest('base64')}`);
      if (busy) {
        const key = `${busy.shape} ${operation}`;
        counters.busyAnswers.set(key, (counters.busyAnswers.get(key) ?? 0) + 1);
      }
      if (busy?.shape === 'fault') {
        fault(response, EWS_ERRORS.serverBusy, backOffXml(busy.backOffMilliseconds));
        return;
      }
      const parts = envelopeParts(operation);
      if (busy?.shape === 'item') {
        send(
          response,
          200,
          parts.head +
            errorMessage(operation, EWS_ERRORS.serverBusy, '', backOffXml(busy.backOffMilliseconds)) +
            parts.tail,
        );
        return;
      }
      await dispatch(operation, soap.operation, mailbox, response, parts);
    } finally {
      inFlight.set(address, (inFlight.get(address) ?? 1) - 1);
    }
  }

  async function dispatch(
    operation: string,
    element: XmlElement,
    mailbox: EwsMailbox,
    response: ServerResponse,
    parts: { head: string; tail: string },
  ): Promise<void> {
    switch (operation) {
      case 'FindFolder':
        send(response, 200, parts.head + findFolder(mailbox, element) + parts.tail);
        return;
      case 'GetFolder':
        send(response, 200, parts.head + getFolder(mailbox, element) + parts.tail);
        return;
      case 'SyncFolderHierarchy':
      case 'SyncFolderItems': {
        const sync = operation === 'SyncFolderItems' ? syncFolderItems : syncFolderHierarchy;
        const outcome = sync(mailbox, element);
        if (outcome.invalidSyncState) counters.invalidSyncStates += 1;
        send(response, 200, parts.head + outcome.xml + parts.tail);
        return;
      }
      case 'DeleteItem':
        send(
          response,
          200,
          parts.head +
            deleteItems(mailbox, element, (id, deleteType) => counters.deletes.push({ id, deleteType })) +
            parts.tail,
        );
        return;
      case 'GetItem':
        await getItem(mailbox, element, response, parts);
        return;
      default:
        fault(response, {
          code: EWS_ERRORS.invalidRequest.code,
          message: `The fake does not implement ${operation}.`,
        });
    }
  }

  /** GetItem streams each item's MIME as base64 in chunks: a 150 MB message is never one string. */
  async function getItem(
    mailbox: EwsMailbox,
    element: XmlElement,
    response: ServerResponse,
    parts: { head: string; tail: string },
  ): Promise<void> {
    const ids = requestedItemIds(element);
    counters.maxGetItemIds = Math.max(counters.maxGetItemIds, ids.length);
    const mime = wantsMime(element);
    const broken = faults.broken();
    response.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' });
    const write = async (text: string | Buffer): Promise<void> => {
      if (!response.write(text)) await new Promise((resolve) => response.once('drain', resolve));
    };
    await write(parts.head);
    for (const id of ids) {
      const item = mailbox.items.get(id);
      if (!item || item.deleted) {
        await write(errorMessage('GetItem', EWS_ERRORS.itemNotFound, '<m:Items/>'));
        continue;
      }
      await write(
        '<m:GetItemResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode><m:Items><t:Message>',
      );
      if (mime) {
        await write('<t:MimeContent CharacterSet="UTF-8">');
        // A broken response stops after half the MIME (on a base64 group boundary) and drops the connection.
        const end = broken ? Math.floor(item.mime.length / 6) * 3 : item.mime.length;
        for (let offset = 0; offset < end; offset += MIME_CHUNK_BYTES) {
          await write(
            item.mime.subarray(offset, Math.min(offset + MIME_CHUNK_BYTES, end)).toString('base64'),
          );
        }
        if (broken) {
          counters.brokenResponses += 1;
          response.socket?.destroy();
          return;
        }
        await write('</t:MimeContent>');
      }
      await write(
        `<t:ItemId Id="${item.id}" ChangeKey="${item.changeKey}"/></t:Message></m:Items></m:GetItemResponseMessage>`,
      );
    }
    response.end(parts.tail);
  }

  const server: Server = createServer(
    { cert: authority.serverCertificatePem, key: authority.serverKeyPem, keepAliveTimeout: 30_000 },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        if (!response.headersSent)
          fault(response, { code: 'ErrorInternalServerError', message: String(error) });
        else response.destroy();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const origin = `https://127.0.0.1:${port}`;

  return {
    origin,
    host: `127.0.0.1:${port}`,
    port,
    url: `${origin}${path}`,
    caPath: authority.caPath,
    counters,
    netbiosDomain: identity.netbiosDomain,
    addServiceAccount(account) {
      const created: EwsServiceAccount = {
        ...account,
        impersonates:
          account.impersonates === undefined || account.impersonates === 'all'
            ? 'all'
            : new Set(account.impersonates.map((a) => a.toLowerCase())),
      };
      accounts.push(created);
      return created;
    },
    addMailbox(smtpAddress, displayName = smtpAddress.split('@')[0] ?? smtpAddress) {
      const mailbox = new EwsMailbox(smtpAddress.toLowerCase(), displayName);
      mailboxes.set(mailbox.smtpAddress, mailbox);
      return mailbox;
    },
    mailbox: (smtpAddress) => mailboxes.get(smtpAddress.toLowerCase()),
    get mailboxes() {
      return [...mailboxes.values()];
    },
    setFaults: (next) => faults.configure(next),
    setAuthSchemes: (next) => {
      schemes = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
