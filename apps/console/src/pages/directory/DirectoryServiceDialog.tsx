import { Anchor, Button, Group, Modal, Select, Stack, Switch, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link } from 'react-router';

import { api } from '../../api/client';
import { secretOptions } from '../../api/options';
import { ApiError, json } from '../../api/problem';
import { tenantPath } from '../../app/tenant';
import { ErrorAlert } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import {
  bodyOf,
  type Draft,
  draftOf,
  M365_SECRET_TYPES,
  type Service,
  type ServiceType,
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
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const m365 = draft.type === 'm365';
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
          save.mutate();
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
          {m365 ? (
            <>
              <RemoteSelect
                {...secretOptions(tenantId, M365_SECRET_TYPES)}
                label="Credentials"
                required
                description={
                  <>
                    A certificate or client-secret secret of the app registration.{' '}
                    <Anchor component={Link} to={tenantPath(tenantId, 'secrets')} size="xs">
                      Manage secrets
                    </Anchor>
                  </>
                }
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
          ) : draft.type === 'ldap' ? (
            <LdapServiceFields
              tenantId={tenantId}
              draft={draft.ldap}
              credentialsSecretId={draft.credentialsSecretId}
              errors={errors}
              change={(patch) => change({ ldap: { ...draft.ldap, ...patch } })}
              changeSecret={(id) => change({ credentialsSecretId: id })}
            />
          ) : (
            <Text size="xs" c="dimmed">
              A static directory service: its mailboxes are the ones you assign to it (on the Mailboxes page,
              or by CSV import).
            </Text>
          )}
          {draft.type !== 'static' ? (
            <Switch
              label={`Disable mailboxes that are gone from ${draft.type === 'm365' ? 'Entra ID' : 'the directory'}`}
              description="On a sync; they are never deleted, and their archived mail stays."
              checked={draft.disableMissing}
              onChange={(e) => change({ disableMissing: e.currentTarget.checked })}
            />
          ) : null}
          {save.isError && !Object.keys(errors).length ? (
            <ErrorAlert error={save.error} title="Not saved" />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {service ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
