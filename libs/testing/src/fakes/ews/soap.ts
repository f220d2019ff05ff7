import { createRequire } from 'node:module';

/**
 * Reading SOAP requests and writing SOAP responses the way Exchange 2019 does: the `s:` envelope,
 * `m:` (messages) and `t:` (types) namespaces, `ResponseClass` / `ResponseCode` per response
 * message, and SOAP faults for request-wide failures (ErrorServerBusy, ErrorImpersonateUserDenied,
 * ErrorNonExistentMailbox), with the texts Exchange sends.
 */

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  messages: 'http://schemas.microsoft.com/exchange/services/2006/messages',
  types: 'http://schemas.microsoft.com/exchange/services/2006/types',
  errors: 'http://schemas.microsoft.com/exchange/services/2006/errors',
} as const;

/** A parsed element: just what dispatch needs (xmldom's DOM kept behind this). */
export interface XmlElement {
  readonly localName: string;
  attribute(name: string): string | undefined;
  text(): string;
  children(localName?: string): XmlElement[];
  child(localName: string): XmlElement | undefined;
  /** All descendants with this local name, depth first. */
  find(localName: string): XmlElement[];
}

/**
 * xmldom is loaded untyped: its declarations pull the whole DOM lib into the program
 * (`/// <reference lib="dom" />`), whose stream types then clash with Node's.
 */
interface XmlParser {
  parseFromString(text: string, type: string): { documentElement: DomNode | null };
}
const { DOMParser } = createRequire(import.meta.url)('@xmldom/xmldom') as {
  DOMParser: new (options: { errorHandler: Record<string, () => void> }) => XmlParser;
};

interface DomNode {
  nodeType: number;
  localName?: string | null;
  textContent?: string | null;
  childNodes: { length: number; item(i: number): DomNode | null };
  getAttribute?(name: string): string | null;
  hasAttribute?(name: string): boolean;
}

function wrap(node: DomNode): XmlElement {
  const elementChildren = (): DomNode[] => {
    const list: DomNode[] = [];
    for (let i = 0; i < node.childNodes.length; i++) {
      const child = node.childNodes.item(i);
      if (child?.nodeType === 1) list.push(child);
    }
    return list;
  };
  const self: XmlElement = {
    localName: node.localName ?? '',
    attribute: (name) => (node.hasAttribute?.(name) ? (node.getAttribute?.(name) ?? undefined) : undefined),
    text: () => node.textContent ?? '',
    children: (localName) =>
      elementChildren()
        .filter((c) => localName === undefined || c.localName === localName)
        .map(wrap),
    child: (localName) => self.children(localName)[0],
    find: (localName) =>
      elementChildren().flatMap((c) => [
        ...(c.localName === localName ? [wrap(c)] : []),
        ...wrap(c).find(localName),
      ]),
  };
  return self;
}

export interface SoapRequest {
  readonly header: XmlElement | undefined;
  /** The first element of `soap:Body`: the operation (EWS sends an empty SOAPAction). */
  readonly operation: XmlElement;
}

export function parseSoapRequest(body: string): SoapRequest | undefined {
  let failed = false;
  const document = new DOMParser({
    errorHandler: {
      warning: () => undefined,
      error: () => {
        failed = true;
      },
      fatalError: () => {
        failed = true;
      },
    },
  }).parseFromString(body, 'text/xml');
  if (failed || !document.documentElement) return undefined;
  const envelope = wrap(document.documentElement);
  if (envelope.localName !== 'Envelope') return undefined;
  const operation = envelope.child('Body')?.children()[0];
  if (!operation) return undefined;
  return { header: envelope.child('Header'), operation };
}

export function escapeXml(value: string): string {
  return value.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const SERVER_VERSION =
  '<h:ServerVersionInfo MajorVersion="15" MinorVersion="2" MajorBuildNumber="1544" MinorBuildNumber="4" Version="V2017_07_11" xmlns:h="http://schemas.microsoft.com/exchange/services/2006/types" xmlns="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>';

/** The envelope around an operation's response, split so a large body can be streamed between. */
export function envelopeParts(operation: string): { head: string; tail: string } {
  return {
    head:
      `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Header>${SERVER_VERSION}</s:Header>` +
      `<s:Body xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">` +
      `<m:${operation}Response xmlns:m="${NS.messages}" xmlns:t="${NS.types}"><m:ResponseMessages>`,
    tail: `</m:ResponseMessages></m:${operation}Response></s:Body></s:Envelope>`,
  };
}

/** `<m:{Op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>…`. */
export function successMessage(operation: string, content: string): string {
  return `<m:${operation}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>${content}</m:${operation}ResponseMessage>`;
}

/** An item-level (or folder-level) error inside a successful HTTP 200 response. */
export function errorMessage(operation: string, error: EwsError, trailing = '', messageXml = ''): string {
  return (
    `<m:${operation}ResponseMessage ResponseClass="Error"><m:MessageText>${escapeXml(error.message)}</m:MessageText>` +
    `<m:ResponseCode>${error.code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey>` +
    `${messageXml}${trailing}</m:${operation}ResponseMessage>`
  );
}

export interface EwsError {
  readonly code: string;
  readonly message: string;
}

/** Response codes with the message texts Exchange 2019 sends (en-US). */
export const EWS_ERRORS = {
  serverBusy: {
    code: 'ErrorServerBusy',
    message: 'The server cannot service this request right now. Try again later.',
  },
  impersonateUserDenied: {
    code: 'ErrorImpersonateUserDenied',
    message: 'The account does not have permission to impersonate the requested user.',
  },
  nonExistentMailbox: {
    code: 'ErrorNonExistentMailbox',
    message: 'The SMTP address has no mailbox associated with it.',
  },
  invalidSyncState: {
    code: 'ErrorInvalidSyncStateData',
    message: 'Synchronization state data is corrupt or otherwise invalid.',
  },
  itemNotFound: {
    code: 'ErrorItemNotFound',
    message: 'The specified object was not found in the store.',
  },
  folderNotFound: {
    code: 'ErrorFolderNotFound',
    message: 'The specified folder could not be found in the store.',
  },
  invalidRequest: { code: 'ErrorInvalidRequest', message: 'The request is invalid.' },
  invalidArgument: { code: 'ErrorInvalidArgument', message: 'The value is out of range.' },
  schemaValidation: {
    code: 'ErrorSchemaValidation',
    message: 'The request failed schema validation.',
  },
} as const satisfies Record<string, EwsError>;

/** `<t:MessageXml>` with the back-off hint Exchange adds to ErrorServerBusy. */
export function backOffXml(backOffMilliseconds: number | undefined): string {
  return backOffMilliseconds === undefined
    ? ''
    : `<t:MessageXml xmlns:t="${NS.types}"><t:Value Name="BackOffMilliseconds">${backOffMilliseconds}</t:Value></t:MessageXml>`;
}

/** A request-wide failure: HTTP 500 with a SOAP fault carrying the EWS response code. */
export function soapFault(error: EwsError, detailExtra = ''): string {
  return (
    `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${NS.soap}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${NS.types}">a:${error.code}</faultcode>` +
    `<faultstring xml:lang="en-US">${escapeXml(error.message)}</faultstring><detail>` +
    `<e:ResponseCode xmlns:e="${NS.errors}">${error.code}</e:ResponseCode>` +
    `<e:Message xmlns:e="${NS.errors}">${escapeXml(error.message)}</e:Message>${detailExtra}` +
    `</detail></s:Fault></s:Body></s:Envelope>`
  );
}
