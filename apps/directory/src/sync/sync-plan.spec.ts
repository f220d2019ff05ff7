import { describe, expect, it } from 'vitest';

import type { SourceEntry } from './directory-source.js';
import { type AddressOwner, changeOf, type Member, planSync } from './sync-plan.js';

const ADELE_ID = '87d349ed-44d7-43e1-9a83-5f2406dee5bd';
const ALEX_ID = '6e7b768e-07e2-4810-8459-485f84f8f204';
const MEGAN_ID = '48d31887-5fad-4d73-a9f5-3c356e68a038';

const adele: SourceEntry = {
  externalId: ADELE_ID,
  primaryAddress: 'AdeleV@contoso.onmicrosoft.com',
  displayName: 'Adele Vance',
  secondaryAddresses: ['adele.vance@contoso.com'],
};
const alex: SourceEntry = {
  externalId: ALEX_ID,
  primaryAddress: 'AlexW@contoso.onmicrosoft.com',
  displayName: 'Alex Wilber',
  secondaryAddresses: [],
};

function member(entry: SourceEntry, id: string, overrides: Partial<Member> = {}): Member {
  return {
    id,
    externalId: entry.externalId,
    primaryAddress: entry.primaryAddress,
    addressKey: entry.primaryAddress.toLowerCase(),
    secondaryAddresses: [...entry.secondaryAddresses],
    displayName: entry.displayName,
    enabled: true,
    ...overrides,
  };
}

function ownersOf(members: readonly Member[]): Map<string, AddressOwner> {
  return new Map(
    members.flatMap((m) =>
      [m.primaryAddress, ...m.secondaryAddresses].map((a) => [
        a.toLowerCase(),
        { mailboxId: m.id, primaryAddress: m.primaryAddress },
      ]),
    ),
  );
}

const MAILBOX_A = '0f5c2a5e-3a8e-4c55-9b8e-1d0f3c7a9e11';
const MAILBOX_B = '5b2d9c1a-7e4f-4d1b-8a9c-2e3f4a5b6c7d';

describe('planSync', () => {
  it('creates the entries that have no mailbox yet', () => {
    const plan = planSync({ entries: [adele, alex], members: [], owners: new Map(), disableMissing: false });
    expect(plan.writes.map(changeOf)).toEqual([
      {
        action: 'create',
        primaryAddress: 'AdeleV@contoso.onmicrosoft.com',
        displayName: 'Adele Vance',
        secondaryAddresses: ['adele.vance@contoso.com'],
        enabled: true,
      },
      {
        action: 'create',
        primaryAddress: 'AlexW@contoso.onmicrosoft.com',
        displayName: 'Alex Wilber',
        secondaryAddresses: [],
        enabled: true,
      },
    ]);
    expect(plan.writes.map((w) => w.externalId)).toEqual([ADELE_ID, ALEX_ID]);
    expect(plan.unchanged).toBe(0);
    expect(plan.errors).toEqual([]);
  });

  it('leaves members as the source describes them unchanged, whatever the case or order of addresses', () => {
    const members = [
      member(adele, MAILBOX_A, {
        primaryAddress: 'adelev@contoso.onmicrosoft.com',
        secondaryAddresses: ['Adele.Vance@contoso.com'],
      }),
    ];
    const plan = planSync({ entries: [adele], members, owners: ownersOf(members), disableMissing: true });
    expect(plan.writes).toEqual([]);
    expect(plan.unchanged).toBe(1);
  });

  it('updates a member whose name, addresses or state changed, matched by its source id', () => {
    const members = [
      member(adele, MAILBOX_A, { primaryAddress: 'old@contoso.com', addressKey: 'old@contoso.com' }),
      member(alex, MAILBOX_B, { enabled: false }),
    ];
    const renamed = { ...adele, displayName: 'Adele Vance (Sales)' };
    const plan = planSync({
      entries: [renamed, alex],
      members,
      owners: ownersOf(members),
      disableMissing: false,
    });
    expect(
      plan.writes.map((w) => [w.action, w.mailboxId, w.primary.address, w.displayName, w.enabled]),
    ).toEqual([
      ['update', MAILBOX_A, 'AdeleV@contoso.onmicrosoft.com', 'Adele Vance (Sales)', true],
      ['update', MAILBOX_B, 'AlexW@contoso.onmicrosoft.com', 'Alex Wilber', true],
    ]);
  });

  it('disables members gone from the source only with disableMissing, and never deletes', () => {
    const members = [member(adele, MAILBOX_A), member(alex, MAILBOX_B)];
    const kept = planSync({ entries: [adele], members, owners: ownersOf(members), disableMissing: false });
    expect(kept.writes).toEqual([]);
    expect(kept.unchanged).toBe(2);

    const disabled = planSync({ entries: [adele], members, owners: ownersOf(members), disableMissing: true });
    expect(disabled.writes.map(changeOf)).toEqual([
      {
        action: 'disable',
        primaryAddress: 'AlexW@contoso.onmicrosoft.com',
        displayName: 'Alex Wilber',
        secondaryAddresses: [],
        enabled: false,
      },
    ]);
    expect(disabled.unchanged).toBe(1);

    const already = [member(adele, MAILBOX_A), member(alex, MAILBOX_B, { enabled: false })];
    const again = planSync({
      entries: [adele],
      members: already,
      owners: ownersOf(already),
      disableMissing: true,
    });
    expect(again.writes).toEqual([]);
    expect(again.unchanged).toBe(2);
  });

  it('keeps an entry the source turned off disabled, whatever disableMissing says, and enables it again', () => {
    const suspendedAlex = { ...alex, enabled: false };
    const created = planSync({
      entries: [suspendedAlex],
      members: [],
      owners: new Map(),
      disableMissing: false,
    });
    expect(created.writes.map((w) => [w.action, w.primary.address, w.enabled])).toEqual([
      ['create', 'AlexW@contoso.onmicrosoft.com', false],
    ]);

    const members = [member(adele, MAILBOX_A), member(alex, MAILBOX_B)];
    const suspended = planSync({
      entries: [adele, { ...suspendedAlex, displayName: 'Alex Wilber (left)' }],
      members,
      owners: ownersOf(members),
      disableMissing: false,
    });
    expect(suspended.writes.map(changeOf)).toEqual([
      {
        action: 'disable',
        primaryAddress: 'AlexW@contoso.onmicrosoft.com',
        displayName: 'Alex Wilber (left)',
        secondaryAddresses: [],
        enabled: false,
      },
    ]);
    expect(suspended.unchanged).toBe(1);

    const disabled = [member(alex, MAILBOX_B, { enabled: false })];
    const still = planSync({
      entries: [suspendedAlex],
      members: disabled,
      owners: ownersOf(disabled),
      disableMissing: true,
    });
    expect(still.writes).toEqual([]);
    expect(still.unchanged).toBe(1);
    const back = planSync({
      entries: [alex],
      members: disabled,
      owners: ownersOf(disabled),
      disableMissing: true,
    });
    expect(back.writes.map((w) => [w.action, w.mailboxId, w.enabled])).toEqual([['update', MAILBOX_B, true]]);
  });

  it('reports an entry whose address another mailbox of the tenant uses, and applies the rest', () => {
    const owners = new Map<string, AddressOwner>([
      ['adele.vance@contoso.com', { mailboxId: MAILBOX_B, primaryAddress: 'sales@contoso.com' }],
    ]);
    const plan = planSync({ entries: [adele, alex], members: [], owners, disableMissing: false });
    expect(plan.errors).toEqual([
      {
        entry: 'AdeleV@contoso.onmicrosoft.com',
        message: 'the address adele.vance@contoso.com is already used by mailbox sales@contoso.com',
      },
    ]);
    expect(plan.writes.map((w) => w.primary.address)).toEqual(['AlexW@contoso.onmicrosoft.com']);
  });

  it('reports two entries claiming one address (in any case) and an invalid address', () => {
    const twin = { ...alex, secondaryAddresses: ['ADELE.VANCE@contoso.com'] };
    const broken = {
      externalId: MEGAN_ID,
      primaryAddress: 'megan@',
      displayName: 'Megan Bowen',
      secondaryAddresses: [],
    };
    const plan = planSync({
      entries: [adele, twin, broken],
      members: [],
      owners: new Map(),
      disableMissing: false,
    });
    expect(plan.errors).toEqual([
      {
        entry: 'AlexW@contoso.onmicrosoft.com',
        message:
          'the address adele.vance@contoso.com is also an address of AdeleV@contoso.onmicrosoft.com in the source',
      },
      { entry: 'megan@', message: 'primaryAddress must look like local@domain' },
    ]);
    expect(plan.writes.map((w) => w.primary.address)).toEqual(['AdeleV@contoso.onmicrosoft.com']);
  });

  it('takes over a member by primary address when its source id is gone (user created again)', () => {
    const members = [member(adele, MAILBOX_A, { externalId: '11111111-2222-3333-4444-555555555555' })];
    const plan = planSync({ entries: [adele], members, owners: ownersOf(members), disableMissing: true });
    expect(plan.writes.map((w) => [w.action, w.mailboxId, w.externalId])).toEqual([
      ['update', MAILBOX_A, ADELE_ID],
    ]);
    expect(plan.errors).toEqual([]);
  });
});
