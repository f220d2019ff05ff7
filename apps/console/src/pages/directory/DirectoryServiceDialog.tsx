import { Anchor, Modal, SegmentedControl, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { api } from '../../api/client';
import { secretOptions } from '../../api/options';
import { ApiError, json } from '../../api/problem';
import { tenantPath } from '../../app/tenant';
import { SaveFooter } from '../../components/save-footer';
import { RemoteSelect } from '../../components/RemoteSelect';
import {
  bodyOf,
  type Draft,
  draftErrors,
  draftOf,
  GOOGLE_SECRET_TYPES,
  M365_SECRET_TYPES,
  type Service,
  type ServiceType,
  SOURCE_NAMES,
  TYPE_LABELS,
} from './directory-model';
import { LdapServiceFields } from './LdapServiceFields';

const GUID_EXAMPLE = '00000000-0000-0000-0000-000000000000';

/** Create or edit a directory service; the fields follow the type (fixed once created). */
export function DirectoryServiceDialog({
  tenantId,
  service,
  onClose,
}: {
  tenantId: string;
  service: Service | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(service));
  const change = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));
  const save = useMutation({
    mutationFn: () =>
      service
        ? json(
            api.PATCH('/api/v1/tenants/{tenantId}/directory-services/{id}', {
              params: { path: { tenantId, id: service.id } },
              body: bodyOf(draft, 'edit') as never,
            }),
          )
        : json(
            api.POST('/api/v1/tenants/{tenantId}/directory-services', {
              params: { path: { tenantId } },
              body: bodyOf(draft, 'create') as never,
            }),
          ),
    onSuccess: async (saved) => {
      notifications.show({ message: `Directory service “${saved.name}” saved.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'directory-services'] });
      onClose();
    },
  });
  const [checked, setChecked] = useState<Partial<Record<keyof Draft, string>>>({});
  const errors = { ...(save.error instanceof ApiError ? save.error.fieldErrors : {}), ...checked };
  const secretLink = (
    <Anchor component={Link} to={tenantPath(tenantId, 'secrets')} size="xs">
      Manage secrets
    </Anchor>
  );
  return (
    <Modal
      opened
      onClose={onClose}
      title={service ? `Edit ${service.name}` : 'Create directory service'}
      size="lg"
    >
      <form
        onSubmit={(event: FormEvent) => {
          event.preventDefault();
          const refused = draftErrors(draft);
          setChecked(refused);
          if (Object.keys(refused).length === 0) save.mutate();
        }}
        noValidate
      >
        <Stack>
          <TextInput
            label="Name"
            required
            value={draft.name}
            onChange={(e) => change({ name: e.currentTarget.value })}
            error={errors.name}
            data-autofocus
          />
          <TextInput
            label="Description"
            value={draft.description}
            onChange={(e) => change({ description: e.currentTarget.value })}
            error={errors.description}
          />
          <Select
            label="Type"
            data={Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label }))}
            value={draft.type}
            onChange={(value) => value && change({ type: value as ServiceType })}
            disabled={service !== null}
            description={service ? 'The type cannot change.' : undefined}
            error={errors.type}
            allowDeselect={false}
          />
          {draft.type === 'm365' ? (
            <>
              <RemoteSelect
                {...secretOptions(tenantId, M365_SECRET_TYPES)}
                label="Credentials"
                required
                description={<>A certificate or client-secret secret of the app registration. {secretLink}</>}
                placeholder="Choose a secret"
                value={draft.credentialsSecretId}
                onChange={(value) => change({ credentialsSecretId: value })}
                error={errors.credentialsSecretId}
              />
              <TextInput
                label="Application ID"
                required
                description="The app registration’s application (client) ID."
                placeholder={GUID_EXAMPLE}
                value={draft.applicationId}
                onChange={(e) => change({ applicationId: e.currentTarget.value })}
                error={errors.applicationId}
              />
              <TextInput
                label="Directory ID"
                required
                description="The Entra ID tenant (directory) ID."
                placeholder={GUID_EXAMPLE}
                value={draft.directoryId}
                onChange={(e) => change({ directoryId: e.currentTarget.value })}
                error={errors.directoryId}
              />
              <TextInput
                label="Group ID"
                description="Optional: only the users in this Entra group, nested groups included."
                placeholder={GUID_EXAMPLE}
                value={draft.groupId}
                onChange={(e) => change({ groupId: e.currentTarget.value })}
                error={errors.groupId}
              />
            </>
          ) : null}
          {draft.type === 'google-workspace' ? (
            <>
              <RemoteSelect
                {...secretOptions(tenantId, GOOGLE_SECRET_TYPES)}
                label="Service account key"
                required
                description={
                  <>
                    A google-service-account secret whose client ID has domain-wide delegation for
                    admin.directory.user.readonly (and admin.directory.group.member.readonly for a group).{' '}
                    {secretLink}
                  </>
                }
                placeholder="Choose a secret"
                value={draft.credentialsSecretId}
                onChange={(value) => change({ credentialsSecretId: value })}
                error={errors.credentialsSecretId}
              />
              <TextInput
                label="Admin subject"
                required
                description="The address of a Workspace admin the service account acts as."
                placeholder="admin@example.com"
                value={draft.adminSubject}
                onChange={(e) => change({ adminSubject: e.currentTarget.value })}
                error={errors.adminSubject}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="google-scope-label">
                  Users of
                </Text>
                <SegmentedControl
                  aria-labelledby="google-scope-label"
                  data={[
                    { value: 'customer', label: 'The whole account' },
                    { value: 'domain', label: 'One domain' },
                  ]}
                  value={draft.googleScope}
                  onChange={(value) => change({ googleScope: value })}
                />
              </Stack>
              {draft.googleScope === 'customer' ? (
                <TextInput
                  label="Customer ID"
                  description="Optional: my_customer (the admin’s own account) when empty, or an ID like C03az79cb."
                  placeholder="my_customer"
                  value={draft.customer}
                  onChange={(e) => change({ customer: e.currentTarget.value })}
                  error={errors.customer}
                />
              ) : (
                <TextInput
                  label="Domain"
                  required
                  description="Only the users of this domain of the account."
                  placeholder="example.com"
                  value={draft.domain}
                  onChange={(e) => change({ domain: e.currentTarget.value })}
                  error={errors.domain}
                />
              )}
              <TextInput
                label="Group"
                description="Optional: only the members of this group (its address or ID), nested groups included."
                placeholder="archive@example.com"
                value={draft.groupKey}
                onChange={(e) => change({ groupKey: e.currentTarget.value })}
                error={errors.groupKey}
              />
            </>
          ) : null}
          {draft.type === 'ldap' ? (
            <LdapServiceFields
              tenantId={tenantId}
              draft={draft.ldap}
              credentialsSecretId={draft.credentialsSecretId}
              errors={errors}
              change={(patch) => change({ ldap: { ...draft.ldap, ...patch } })}
              changeSecret={(id) => change({ credentialsSecretId: id })}
            />
          ) : null}
          {draft.type === 'static' ? (
            <Text size="xs" c="dimmed">
              A static directory service: its mailboxes are the ones you assign to it (on the Mailboxes page,
              or by CSV import).
            </Text>
          ) : (
            <Switch
              label={`Disable mailboxes that are gone from ${SOURCE_NAMES[draft.type]}`}
              description="On a sync; they are never deleted, and their archived mail stays."
              checked={draft.disableMissing}
              onChange={(e) => change({ disableMissing: e.currentTarget.checked })}
            />
          )}
          {draft.type !== 'static' ? (
            <Switch
              label={`Disable mailboxes that are gone from ${draft.type === 'm365' ? 'Entra ID' : 'the directory'}`}
              description="On a sync; they are never deleted, and their archived mail stays."
              checked={draft.disableMissing}
              onChange={(e) => change({ disableMissing: e.currentTarget.checked })}
            />
          ) : null}
          <SaveFooter
            save={save}
            fieldErrorsShown={Object.keys(errors).length > 0}
            editing={service !== null}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
