import { describe, expect, it } from 'vitest';

import {
  ALL_CONTRACTS,
  ALL_STREAMS,
  ContractError,
  assertSubject,
  describeContract,
  subjectMatches,
} from './index.js';

describe('contracts', () => {
  it('freezes every subject and payload field (a rename must be a new version)', () => {
    const wire = Object.fromEntries(
      [...ALL_CONTRACTS]
        .sort((a, b) => a.subject.localeCompare(b.subject))
        .map((c) => [c.subject, describeContract(c)]),
    );
    expect(wire).toMatchSnapshot();
  });

  it('freezes stream names and subjects', () => {
    expect(
      ALL_STREAMS.map((s) => ({ name: s.name, subjects: s.subjects, retention: s.retention })),
    ).toMatchSnapshot();
  });

  it('has no duplicate subject', () => {
    const subjects = ALL_CONTRACTS.map((c) => c.subject);
    expect(new Set(subjects).size).toBe(subjects.length);
  });

  it('gives every payload field a validation rule, so nothing unvalidated crosses the bus', () => {
    for (const contract of ALL_CONTRACTS) {
      const description = describeContract(contract);
      const payloads = contract.kind === 'request' ? ['request', 'reply'] : ['payload'];
      for (const key of payloads) {
        const fields = description[key] as { rules: string[] }[];
        for (const field of fields) expect(field.rules.length).toBeGreaterThan(0);
      }
    }
  });

  it('rejects subjects that break the grammar', () => {
    expect(() => assertSubject('Tenant.evt.tenant.created.v1', 'evt')).toThrow(/does not follow/);
    expect(() => assertSubject('tenant.evt.tenant.created', 'evt')).toThrow(/does not follow/);
    expect(() => assertSubject('tenant.cmd.tenant.created.v1', 'evt')).toThrow(/does not follow/);
    expect(() => assertSubject('tenant.evt.tenant.created.v0', 'evt')).toThrow(/does not follow/);
    expect(assertSubject('connector.cmd.imap.archive-mailbox.v1', 'cmd')).toBe(
      'connector.cmd.imap.archive-mailbox.v1',
    );
  });

  it('matches NATS wildcards like the server does', () => {
    expect(subjectMatches('archive.evt.>', 'archive.evt.message.archived.v1')).toBe(true);
    expect(subjectMatches('archive.evt.>', 'archive.evt')).toBe(false);
    expect(subjectMatches('connector.cmd.*.x', 'connector.cmd.imap.x')).toBe(true);
    expect(subjectMatches('connector.cmd.*.x', 'connector.cmd.imap.y')).toBe(false);
    expect(subjectMatches('a.b', 'a.b.c')).toBe(false);
  });

  it('round-trips a coded error through its wire body', () => {
    const original = new ContractError('CONFLICT', 'Profile is in use', {
      reason: 'in_use',
      references: [{ kind: 'schedule', id: 's1', name: 'Nightly' }],
    });
    const copy = ContractError.fromBody(JSON.parse(JSON.stringify(original.toBody())));
    expect(copy).toBeInstanceOf(ContractError);
    expect(copy.toBody()).toEqual(original.toBody());
    expect(copy.retryable).toBe(false);
    expect(new ContractError('THROTTLED', 'slow down').retryable).toBe(true);
    expect(ContractError.fromBody({ code: 'BOGUS', message: 'x' }).code).toBe('INTERNAL');
  });
});
