/**
 * The three kinds of message on the bus (SPEC §4):
 * - a request expects one reply (NATS request–reply, served by a queue group);
 * - a command is work exactly one worker must do (JetStream work-queue stream);
 * - an event is a fact, kept on a JetStream stream for every interested consumer.
 *
 * Subjects are frozen strings: `<domain>.<req|cmd|evt>.<entity>.<action>.v<N>`. They are never
 * derived from class names, so renaming a class cannot change the wire.
 */
import type { StreamDefinition } from './streams.js';

/** A class whose instances are payloads; it carries class-validator decorators. */
export type PayloadClass<T> = new () => T;

export interface RequestContract<Req extends object, Rep extends object> {
  readonly kind: 'request';
  readonly subject: string;
  readonly request: PayloadClass<Req>;
  readonly reply: PayloadClass<Rep>;
}

export interface CommandContract<P extends object> {
  readonly kind: 'command';
  readonly subject: string;
  readonly payload: PayloadClass<P>;
  readonly stream: StreamDefinition;
}

export interface EventContract<P extends object> {
  readonly kind: 'event';
  readonly subject: string;
  readonly payload: PayloadClass<P>;
  readonly stream: StreamDefinition;
}

export type AnyRequestContract = RequestContract<object, object>;
export type AnyStreamContract = CommandContract<object> | EventContract<object>;
export type AnyContract = AnyRequestContract | AnyStreamContract;

export type RequestOf<C> = C extends RequestContract<infer Req, object> ? Req : never;
export type ReplyOf<C> = C extends RequestContract<object, infer Rep> ? Rep : never;
export type PayloadOf<C> =
  C extends CommandContract<infer P> ? P : C extends EventContract<infer P> ? P : never;

const SUBJECT_GRAMMAR = /^[a-z][a-z0-9-]*\.(req|cmd|evt)\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.v[1-9][0-9]*$/;

/** Throws at module load when a subject breaks the grammar, so a typo never reaches the wire. */
export function assertSubject(subject: string, kind: 'req' | 'cmd' | 'evt'): string {
  const match = SUBJECT_GRAMMAR.exec(subject);
  if (!match || match[1] !== kind) {
    throw new Error(`Subject "${subject}" does not follow <domain>.${kind}.<entity>.<action>.v<N>`);
  }
  return subject;
}

export function defineRequest<Req extends object, Rep extends object>(spec: {
  subject: string;
  request: PayloadClass<Req>;
  reply: PayloadClass<Rep>;
}): RequestContract<Req, Rep> {
  return Object.freeze({ kind: 'request', ...spec, subject: assertSubject(spec.subject, 'req') });
}

export function defineCommand<P extends object>(spec: {
  subject: string;
  payload: PayloadClass<P>;
  stream: StreamDefinition;
}): CommandContract<P> {
  assertSubjectInStream(spec.subject, spec.stream);
  return Object.freeze({ kind: 'command', ...spec, subject: assertSubject(spec.subject, 'cmd') });
}

export function defineEvent<P extends object>(spec: {
  subject: string;
  payload: PayloadClass<P>;
  stream: StreamDefinition;
}): EventContract<P> {
  assertSubjectInStream(spec.subject, spec.stream);
  return Object.freeze({ kind: 'event', ...spec, subject: assertSubject(spec.subject, 'evt') });
}

function assertSubjectInStream(subject: string, stream: StreamDefinition): void {
  const covered = stream.subjects.some((pattern) => subjectMatches(pattern, subject));
  if (!covered) throw new Error(`Subject "${subject}" is not captured by stream ${stream.name}`);
}

/** NATS wildcard matching: `*` matches one token, `>` the rest (one or more tokens). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const patternTokens = pattern.split('.');
  const subjectTokens = subject.split('.');
  for (let i = 0; i < patternTokens.length; i++) {
    const token = patternTokens[i];
    if (token === '>') return subjectTokens.length > i;
    if (i >= subjectTokens.length) return false;
    if (token !== '*' && token !== subjectTokens[i]) return false;
  }
  return patternTokens.length === subjectTokens.length;
}
