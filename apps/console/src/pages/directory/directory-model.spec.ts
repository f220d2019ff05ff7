import { describe, expect, it } from 'vitest';

import { bodyOf, type Draft, draftErrors, draftOf, type GoogleWorkspaceService } from './directory-model';

const SECRET_ID = '6f1b3c2e-8a4d-4e5f-9b7a-1c2d3e4f5a6b';

const googleDraft = (patch: Partial<Draft> = {}): Draft => ({
  ...draftOf(null),
  name: 'Example Workspace',
  type: 'google-workspace',
  credentialsSecretId: SECRET_ID,
  adminSubject: ' admin@example.com ',
  ...patch,
});

describe('the google-workspace directory form', () => {
  it('sends the whole account by default, without the fields left empty', () => {
    expect(bodyOf(googleDraft(), 'create')).toEqual({
      name: 'Example Workspace',
      description: '',
      type: 'google-workspace',
      disableMissing: false,
      credentialsSecretId: SECRET_ID,
      adminSubject: 'admin@example.com',
      customer: undefined,
      domain: undefined,
      groupKey: undefined,
    });
  });

  it('sends one domain and removes the customer on edit, or the other way round', () => {
    const byDomain = googleDraft({ googleScope: 'domain', domain: 'example.com', customer: 'C03az79cb' });
    expect(bodyOf(byDomain, 'edit')).toMatchObject({ domain: 'example.com', customer: null, groupKey: null });
    const byCustomer = googleDraft({
      customer: 'C03az79cb',
      domain: 'example.com',
      groupKey: 'archive@example.com',
    });
    expect(bodyOf(byCustomer, 'edit')).toMatchObject({
      customer: 'C03az79cb',
      domain: null,
      groupKey: 'archive@example.com',
    });
  });

  it('refuses one domain with no domain before sending, and shows a saved domain as one domain', () => {
    expect(draftErrors(googleDraft({ googleScope: 'domain', domain: '  ' }))).toEqual({
      domain: 'Enter the domain, or choose the whole account.',
    });
    expect(draftErrors(googleDraft())).toEqual({});
    const saved = {
      id: '0b8f6a52-3c1d-4e2f-8a9b-7c6d5e4f3a2b',
      name: 'Example Workspace',
      description: '',
      type: 'google-workspace',
      disableMissing: true,
      memberCount: 0,
      credentialsSecretId: SECRET_ID,
      adminSubject: 'admin@example.com',
      domain: 'example.com',
      createdAt: '2026-12-07T10:00:00.000Z',
      updatedAt: '2026-12-07T10:00:00.000Z',
    } satisfies GoogleWorkspaceService;
    expect(draftOf(saved)).toMatchObject({
      googleScope: 'domain',
      domain: 'example.com',
      disableMissing: true,
    });
  });
});
