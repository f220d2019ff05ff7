import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

import { testCertificateAuthority } from '../test-ca.js';
import { writeBodyChunk } from '../write-body.js';
import { listGroups, listMembers, listUsers, userJson } from './directory-routes.js';
import { type GraphError, graphErrorBody, graphErrors } from './errors.js';
import { FaultInjector, GraphFakeCounters, type GraphFaultOptions } from './faults.js';
import { GRAPH_DEFAULT_SCOPE, type IssuedToken, issueToken } from './identity.js';
import { DeltaStore, folderJson, listFolders, messageJson } from './mail-routes.js';
import { applySelect, type PagedList, PageStore } from './paging.js';
import { FakeTenant, type FakeUser, type GraphPermission } from './state.js';

/**
 * A faithful HTTPS fake of the Microsoft identity platform (client-credentials token endpoint) and
 * the parts of Microsoft Graph v1.0 that archiving and directory listing use. One origin serves
 * both: point the authority URL and the Graph URL at `origin`.
 */
export interface StartGraphFakeOptions {
  /** Access token lifetime the token endpoint grants (`expires_in`); Entra ID gives ~3599 s. */
  readonly tokenLifetimeSeconds?: number;
  readonly faults?: GraphFaultOptions;
}

export interface RunningGraphFake {
  /** `https://127.0.0.1:<port>`: the authority URL and the Graph URL. */
  readonly origin: string;
  /** The CA file clients must trust (`NODE_EXTRA_CA_CERTS`) and its PEM, for clients that take a `ca`. */
  readonly caPath: string;
  readonly caCertificatePem: string;
  readonly counters: GraphFakeCounters;
  /** A new tenant with the directory domain `domain`. */
  addTenant(domain: string): FakeTenant;
  readonly tenants: readonly FakeTenant[];
  /** Replaces the injected faults (and re-seeds their PRNG). */
  setFaults(faults: GraphFaultOptions): void;
  /** Invalidates every access token issued so far (Graph answers 401 to them). */
  expireAccessTokens(): void;
  /** `{origin}/{tenantId}/oauth2/v2.0/token`: also the `aud` a client assertion must carry. */
  tokenUrl(tenant: FakeTenant): string;
  stop(): Promise<void>;
}

const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
/** `$value` is streamed in chunks of this size so a 150 MB message never sits in one write. */
const VALUE_CHUNK_BYTES = 64 * 1024;
/** Form bodies of the token endpoint are small; anything larger is refused rather than buffered. */
const MAX_FORM_BYTES = 64 * 1024;

const MAIL_READ: readonly GraphPermission[] = ['Mail.Read', 'Mail.ReadWrite'];
const MAIL_LIST: readonly GraphPermission[] = [...MAIL_READ, 'Mail.ReadBasic.All'];
const USER_READ: readonly GraphPermission[] = ['User.Read.All', 'Directory.Read.All'];
const GROUP_READ: readonly GraphPermission[] = ['GroupMember.Read.All', 'Directory.Read.All'];

class Failure extends Error {
  constructor(readonly graphError: GraphError) {
    super(graphError.code);
  }
}

export async function startGraphFake(options: StartGraphFakeOptions = {}): Promise<RunningGraphFake> {
  const authority = testCertificateAuthority();
  const tenants: FakeTenant[] = [];
  const counters = new GraphFakeCounters();
  const faults = new FaultInjector(counters);
  faults.configure(options.faults ?? {});
  const accessTokens = new Map<string, IssuedToken>();
  const seenAssertionIds = new Set<string>();
  const pages = new PageStore();
  const deltas = new DeltaStore();
  let origin = '';

  const countRoute = (name: string): void => {
    counters.byRoute.set(name, counters.route(name) + 1);
  };

  const sendJson = (
    response: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void => {
    const payload = Buffer.from(JSON.stringify(body));
    response.writeHead(status, { ...headers, 'Content-Type': JSON_TYPE, 'Content-Length': payload.length });
    response.end(payload);
  };

  async function handleToken(
    request: IncomingMessage,
    response: ServerResponse,
    tenantReference: string,
  ): Promise<void> {
    counters.tokenRequests += 1;
    countRoute('token');
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) {
        sendJson(response, 413, { error: 'invalid_request', error_description: 'Request body too large.' });
        return;
      }
      chunks.push(chunk);
    }
    const outcome = issueToken({
      tenantReference,
      form: new URLSearchParams(Buffer.concat(chunks).toString('utf8')),
      tokenUrl: `${origin}/${tenantReference}/oauth2/v2.0/token`,
      tenants,
      lifetimeSeconds: options.tokenLifetimeSeconds ?? 3599,
      acceptedScopes: [GRAPH_DEFAULT_SCOPE, `${origin}/.default`],
      seenAssertionIds,
    });
    const headers = {
      'Cache-Control': 'no-store, no-cache',
      Pragma: 'no-cache',
      'x-ms-request-id': randomUUID(),
    };
    if (!outcome.ok) {
      counters.tokenFailures += 1;
      sendJson(response, outcome.error.status, outcome.error.body, headers);
      return;
    }
    counters.tokensIssued += 1;
    accessTokens.set(outcome.token, outcome.issued);
    sendJson(
      response,
      200,
      {
        token_type: 'Bearer',
        expires_in: outcome.expiresIn,
        ext_expires_in: outcome.expiresIn,
        access_token: outcome.token,
      },
      headers,
    );
  }

  function authenticate(request: IncomingMessage): IssuedToken {
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ') || header.length === 'Bearer '.length)
      throw new Failure(graphErrors.emptyToken());
    const issued = accessTokens.get(header.slice('Bearer '.length));
    if (!issued) throw new Failure(graphErrors.invalidToken());
    if (issued.expiresAt <= Date.now()) throw new Failure(graphErrors.expiredToken());
    return issued;
  }

  const requireRole = (
    token: IssuedToken,
    roles: readonly GraphPermission[],
    error = graphErrors.accessDenied(),
  ): void => {
    if (!roles.some((r) => token.roles.has(r))) throw new Failure(error);
  };

  const tenantOf = (token: IssuedToken): FakeTenant => {
    const tenant = tenants.find((t) => t.id === token.tenantId);
    if (!tenant) throw new Failure(graphErrors.invalidToken());
    return tenant;
  };

  /** The mailbox behind `/users/{reference}/…`, after the checks Exchange Online makes. */
  function mailboxUser(
    token: IssuedToken,
    reference: string,
  ): FakeUser & { mailbox: NonNullable<FakeUser['mailbox']> } {
    const tenant = tenantOf(token);
    const user = tenant.user(reference);
    if (!user) throw new Failure(graphErrors.invalidUser(reference));
    const application = tenant.applications.get(token.clientId);
    if (application?.mailboxScope && !application.mailboxScope.has(user.id))
      throw new Failure(graphErrors.accessDenied());
    if (!user.mailbox?.restEnabled) throw new Failure(graphErrors.mailboxNotEnabled());
    return user as FakeUser & { mailbox: NonNullable<FakeUser['mailbox']> };
  }

  const sendPage = (
    response: ServerResponse,
    list: PagedList | GraphError,
    linkBase: string,
    headers: Record<string, string>,
  ): void => {
    if ('code' in list) throw new Failure(list);
    sendJson(response, 200, pages.page(list, 0, linkBase), headers);
  };

  async function handleGraph(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    segments: string[],
    responseHeaders: Record<string, string>,
  ): Promise<void> {
    const token = authenticate(request);
    const method = request.method ?? 'GET';
    const query = url.searchParams;
    const linkBase = `${origin}${url.pathname}`;
    const context = `${origin}/v1.0/$metadata#${segments.join('/')}`;
    const prefer = parsePrefer(request.headers.prefer);
    if (prefer.immutable) responseHeaders['Preference-Applied'] = 'IdType="ImmutableId"';

    // A nextLink: the list was fixed when its first page was served.
    const skipToken = query.get('$skiptoken');
    if (skipToken !== null && method === 'GET') {
      const cursor = pages.cursor(skipToken);
      if (
        !cursor ||
        (cursor.list.generation && cursor.list.generation.current() !== cursor.list.generation.value)
      ) {
        countRoute(segments.at(-1) === 'delta' ? 'messages/delta' : 'page');
        throw new Failure(
          segments.at(-1) === 'delta'
            ? graphErrors.syncStateNotFound(cursor?.list.generation?.value ?? 0)
            : graphErrors.badRequest('The $skiptoken is invalid or has expired.'),
        );
      }
      countRoute(segments.at(-1) === 'delta' ? 'messages/delta' : 'page');
      sendJson(response, 200, pages.page(cursor.list, cursor.offset, linkBase), responseHeaders);
      return;
    }

    const [root, id, sub, subId, leaf, leafId, tail, tail2] = segments;
    if (root === 'users' && method === 'GET' && id === undefined) {
      countRoute('users');
      requireRole(token, USER_READ, graphErrors.directoryDenied());
      sendPage(response, listUsers(tenantOf(token), query, context), linkBase, responseHeaders);
      return;
    }
    if (root === 'users' && id !== undefined && sub === undefined && method === 'GET') {
      countRoute('user');
      requireRole(token, USER_READ, graphErrors.directoryDenied());
      const user = tenantOf(token).user(id);
      if (!user) throw new Failure(graphErrors.directoryObjectNotFound(id));
      sendJson(
        response,
        200,
        { '@odata.context': context, ...applySelect(userJson(user), query.get('$select')) },
        responseHeaders,
      );
      return;
    }
    if (root === 'groups' && method === 'GET') {
      requireRole(token, GROUP_READ, graphErrors.directoryDenied());
      const tenant = tenantOf(token);
      if (id === undefined) {
        countRoute('groups');
        sendPage(response, listGroups(tenant, query, context), linkBase, responseHeaders);
        return;
      }
      const group = tenant.groups.find((g) => g.id === id);
      if (!group) throw new Failure(graphErrors.directoryObjectNotFound(id));
      if (
        (sub === 'members' || sub === 'transitiveMembers') &&
        (subId === undefined || subId === 'microsoft.graph.user')
      ) {
        countRoute(sub);
        sendPage(
          response,
          listMembers(group, sub === 'transitiveMembers', subId !== undefined, query, context),
          linkBase,
          responseHeaders,
        );
        return;
      }
      throw new Failure(graphErrors.noRoute());
    }
    if (root !== 'users' || id === undefined) throw new Failure(graphErrors.noRoute());

    // Mail: /users/{u}/mailFolders… and /users/{u}/messages/…
    if (sub === 'mailFolders' && method === 'GET') {
      requireRole(token, MAIL_LIST);
      const user = mailboxUser(token, id);
      const mailbox = user.mailbox;
      if (subId === undefined) {
        countRoute('mailFolders');
        sendPage(response, listFolders(mailbox, mailbox.root, query, context), linkBase, responseHeaders);
        return;
      }
      const folder = mailbox.folder(subId);
      if (!folder || subId.includes('/')) throw new Failure(graphErrors.itemNotFound());
      if (leaf === undefined) {
        countRoute('mailFolder');
        sendJson(
          response,
          200,
          { '@odata.context': context, ...applySelect(folderJson(mailbox, folder), query.get('$select')) },
          responseHeaders,
        );
        return;
      }
      if (leaf === 'childFolders' && leafId === undefined) {
        countRoute('childFolders');
        sendPage(response, listFolders(mailbox, folder, query, context), linkBase, responseHeaders);
        return;
      }
      if (leaf === 'messages' && leafId === 'delta' && tail === undefined) {
        countRoute('messages/delta');
        requireRole(token, MAIL_READ);
        if (prefer.maxPageSize !== undefined)
          responseHeaders['Preference-Applied'] = [
            responseHeaders['Preference-Applied'],
            `odata.maxpagesize=${prefer.maxPageSize}`,
          ]
            .filter(Boolean)
            .join(', ');
        const round = deltas.round({
          mailbox,
          folder,
          query,
          maxPageSize: prefer.maxPageSize,
          immutable: prefer.immutable,
          context,
          linkBase,
        });
        if (round === undefined) {
          responseHeaders['Location'] = `${linkBase}?$deltatoken=`;
          throw new Failure(graphErrors.syncStateNotFound(mailbox.syncGeneration));
        }
        sendPage(response, round, linkBase, responseHeaders);
        return;
      }
      if (leaf === 'messages' && leafId !== undefined) {
        await handleMessage(
          response,
          token,
          user,
          leafId,
          tail,
          method,
          query,
          context,
          responseHeaders,
          prefer.immutable,
        );
        return;
      }
      throw new Failure(graphErrors.noRoute());
    }
    if (sub === 'messages' && subId !== undefined && tail === undefined && tail2 === undefined) {
      requireRole(token, MAIL_LIST);
      await handleMessage(
        response,
        token,
        mailboxUser(token, id),
        subId,
        leaf,
        method,
        query,
        context,
        responseHeaders,
        prefer.immutable,
      );
      return;
    }
    throw new Failure(graphErrors.noRoute());
  }

  async function handleMessage(
    response: ServerResponse,
    token: IssuedToken,
    user: FakeUser & { mailbox: NonNullable<FakeUser['mailbox']> },
    messageId: string,
    action: string | undefined,
    method: string,
    query: URLSearchParams,
    context: string,
    headers: Record<string, string>,
    immutable: boolean,
  ): Promise<void> {
    const message = user.mailbox.message(messageId);
    if (action === undefined && method === 'GET') {
      countRoute('message');
      if (!message) throw new Failure(graphErrors.itemNotFound());
      sendJson(
        response,
        200,
        { '@odata.context': context, ...applySelect(messageJson(message, immutable), query.get('$select')) },
        headers,
      );
      return;
    }
    if (action === undefined && method === 'DELETE') {
      countRoute('deleteMessage');
      requireRole(token, ['Mail.ReadWrite']);
      if (!message) throw new Failure(graphErrors.itemNotFound());
      user.mailbox.moveToDeletedItems(message.id);
      response.writeHead(204, headers).end();
      return;
    }
    if (action === 'permanentDelete' && method === 'POST') {
      countRoute('permanentDelete');
      requireRole(token, ['Mail.ReadWrite']);
      if (!message) throw new Failure(graphErrors.itemNotFound());
      counters.permanentDeletes.push(messageId);
      user.mailbox.deleteMessage(message.id);
      response.writeHead(204, headers).end();
      return;
    }
    if (action === '$value' && method === 'GET') {
      countRoute('messages/$value');
      requireRole(token, MAIL_READ);
      if (!message) throw new Failure(graphErrors.itemNotFound());
      await streamValue(response, message.raw, headers);
      return;
    }
    throw new Failure(graphErrors.noRoute());
  }

  async function streamValue(
    response: ServerResponse,
    raw: Buffer,
    headers: Record<string, string>,
  ): Promise<void> {
    response.writeHead(200, { ...headers, 'Content-Type': 'text/plain', 'Content-Length': raw.length });
    const breakAt = faults.breakBody() ? Math.floor(raw.length / 2) : raw.length;
    for (let offset = 0; offset < breakAt; offset += VALUE_CHUNK_BYTES) {
      const chunk = raw.subarray(offset, Math.min(offset + VALUE_CHUNK_BYTES, breakAt));
      if (!(await writeBodyChunk(response, chunk))) return;
    }
    if (breakAt < raw.length) {
      // What a reset transport looks like to the client: bytes stop, the connection dies.
      response.socket?.destroy();
      return;
    }
    response.end();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', origin);
    const segments = url.pathname
      .split('/')
      .filter((s) => s.length > 0)
      .map((s) => decodeURIComponent(s));
    if (
      segments.length === 4 &&
      segments[1] === 'oauth2' &&
      segments[2] === 'v2.0' &&
      segments[3] === 'token'
    ) {
      if (request.method !== 'POST') {
        sendJson(response, 405, { error: 'invalid_request', error_description: 'Only POST is supported.' });
        return;
      }
      await handleToken(request, response, segments[0] ?? '');
      return;
    }
    const requestId = randomUUID();
    const clientRequestIdHeader = request.headers['client-request-id'];
    const clientRequestId = typeof clientRequestIdHeader === 'string' ? clientRequestIdHeader : requestId;
    const headers: Record<string, string> = {
      'request-id': requestId,
      'client-request-id': clientRequestId,
      'x-ms-ags-diagnostic':
        '{"ServerInfo":{"DataCenter":"West Europe","Slice":"E","Ring":"5","ScaleUnit":"000","RoleInstance":"AM4PEPF0000FAKE"}}',
    };
    if (segments[0] !== 'v1.0') {
      sendJson(response, 404, graphErrorBody(graphErrors.noRoute(), requestId, clientRequestId), headers);
      return;
    }
    counters.graphRequests += 1;
    const graphSegments = segments.slice(1);
    const mailbox =
      graphSegments[0] === 'users' && graphSegments.length > 2
        ? mailboxKey(graphSegments[1] ?? '')
        : undefined;
    // A retry is the same token, method and URL again; concurrent identical requests look alike.
    const retryKey = `${request.headers.authorization ?? ''} ${request.method ?? ''} ${url.pathname}${url.search}`;
    const fault = faults.enter(mailbox, retryKey);
    try {
      if (faults.options.delayMs) await delay(faults.options.delayMs);
      if (fault) throw new Failure(fault);
      await handleGraph(request, response, url, graphSegments, headers);
    } catch (error) {
      if (!(error instanceof Failure)) throw error;
      sendJson(
        response,
        error.graphError.status,
        graphErrorBody(error.graphError, requestId, clientRequestId),
        {
          ...headers,
          ...error.graphError.headers,
        },
      );
    } finally {
      faults.leave(mailbox);
    }
  }

  /** Requests for one mailbox count together whether they name it by id or by UPN. */
  function mailboxKey(reference: string): string {
    for (const tenant of tenants) {
      const user = tenant.user(reference);
      if (user) return user.id;
    }
    return reference.toLowerCase();
  }

  const server: Server = createServer(
    { key: authority.serverKeyPem, cert: authority.serverCertificatePem },
    (request, response) => {
      handle(request, response).catch((error: unknown) => {
        // A bug in the fake must show in the test as a 500 with the reason, not as a hang.
        if (!response.headersSent)
          sendJson(response, 500, { error: { code: 'FakeBug', message: String(error) } });
        else response.destroy();
      });
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    caPath: authority.caPath,
    caCertificatePem: authority.caCertificatePem,
    counters,
    tenants,
    addTenant(domain: string): FakeTenant {
      const tenant = new FakeTenant(domain.toLowerCase());
      tenants.push(tenant);
      return tenant;
    },
    setFaults(next: GraphFaultOptions): void {
      faults.configure(next);
    },
    expireAccessTokens(): void {
      for (const issued of accessTokens.values()) Object.assign(issued, { expiresAt: 0 });
    },
    tokenUrl: (tenant) => `${origin}/${tenant.id}/oauth2/v2.0/token`,
    async stop(): Promise<void> {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** `Prefer: odata.maxpagesize=50, IdType="ImmutableId"` (one header or several). */
function parsePrefer(header: string | string[] | undefined): {
  maxPageSize: number | undefined;
  immutable: boolean;
} {
  const values = (Array.isArray(header) ? header : [header ?? '']).flatMap((h) => h.split(','));
  let maxPageSize: number | undefined;
  let immutable = false;
  for (const value of values.map((v) => v.trim())) {
    const size = /^odata\.maxpagesize\s*=\s*(\d+)$/i.exec(value);
    if (size) maxPageSize = Math.max(1, Number(size[1]));
    if (/^IdType\s*=\s*"?ImmutableId"?$/i.test(value)) immutable = true;
  }
  return { maxPageSize, immutable };
}
