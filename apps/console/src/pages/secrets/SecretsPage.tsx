import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';

import { api, type Schemas } from '../../api/client';
import { secretTypeLabel } from '../../api/options';
import { ApiError, done, json } from '../../api/problem';
import { SEARCH_DEBOUNCE_MS } from '../../app/Layout';
import { useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import {
  IconAlert,
  IconDownload,
  IconEdit,
  IconRefresh,
  IconSearch,
  IconTrash,
} from '../../components/icons';
import { EmptyState, ErrorAlert, Loading, PageHeader, ShowMore } from '../../components/page';
import { downloadFile } from '../../lib/download';
import { daysUntil, formatDateTime } from '../../lib/format';

type Secret = Schemas['SecretDto'];
type SecretType = Secret['type'];

const SECRET_TYPES: readonly SecretType[] = [
  'basic',
  'certificate',
  'client-secret',
  'google-service-account',
];
const PAGE_SIZE = 50;
/** A generated certificate is valid for two years unless the person says otherwise. */
const DEFAULT_VALIDITY_DAYS = '730';

function ExpiryBadge({ secret }: { secret: Secret }) {
  if (!secret.expiresAt) return <Text size="sm">—</Text>;
  const days = daysUntil(secret.expiresAt);
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{formatDateTime(secret.expiresAt)}</Text>
      {days < 0 ? (
        <Badge color="red">Expired</Badge>
      ) : secret.expiresSoon ? (
        <Badge color="orange">Expires in {days} days</Badge>
      ) : null}
    </Group>
  );
}

function describe(secret: Secret): string {
  return secret.username ?? secret.clientEmail ?? secret.certificate?.subject ?? '';
}

/** Reads a file the person picked as text or base64 (PKCS#12). */
async function readFile(file: File, as: 'text' | 'base64'): Promise<string> {
  if (as === 'text') return file.text();
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

interface Form {
  name: string;
  description: string;
  type: SecretType;
  username: string;
  password: string;
  certificateSource: 'generate' | 'pem' | 'pkcs12';
  subject: string;
  validityDays: string;
  certificatePem: string;
  privateKeyPem: string;
  pkcs12: File | null;
  clientSecret: string;
  expiresAt: string;
  serviceAccountKey: string;
}

const EMPTY: Form = {
  name: '',
  description: '',
  type: 'basic',
  username: '',
  password: '',
  certificateSource: 'generate',
  subject: '',
  validityDays: DEFAULT_VALIDITY_DAYS,
  certificatePem: '',
  privateKeyPem: '',
  pkcs12: null,
  clientSecret: '',
  expiresAt: '',
  serviceAccountKey: '',
};

/**
 * The body for create (all values) or update (only what was filled: sensitive values are
 * write-only, an empty field means "keep the stored one").
 */
async function bodyOf(form: Form, purpose: 'create' | 'update'): Promise<Record<string, unknown>> {
  const body: Record<string, unknown> = {
    name: form.name,
    description: form.description || (purpose === 'update' ? null : undefined),
    type: form.type,
  };
  const put = (key: string, value: unknown) => {
    if (value !== '' && value !== null && value !== undefined) body[key] = value;
  };
  switch (form.type) {
    case 'basic':
      put('username', form.username);
      put('password', form.password);
      break;
    case 'certificate':
      if (form.certificateSource === 'generate') {
        if (purpose === 'create' || form.subject) {
          const days = form.validityDays.trim();
          body.generate = { subject: form.subject, validityDays: /^\d+$/.test(days) ? Number(days) : days };
        }
      } else if (form.certificateSource === 'pem') {
        put('certificatePem', form.certificatePem);
        put('privateKeyPem', form.privateKeyPem);
        put('password', form.password);
      } else {
        put('pkcs12', form.pkcs12 ? await readFile(form.pkcs12, 'base64') : undefined);
        put('password', form.password);
      }
      break;
    case 'client-secret':
      put('clientSecret', form.clientSecret);
      put('expiresAt', form.expiresAt ? new Date(form.expiresAt).toISOString() : undefined);
      break;
    case 'google-service-account':
      if (form.serviceAccountKey.trim()) {
        try {
          body.serviceAccountKey = JSON.parse(form.serviceAccountKey) as unknown;
        } catch {
          // Not JSON: sent as typed, so the API's field error says what is wrong.
          body.serviceAccountKey = form.serviceAccountKey;
        }
      }
      break;
  }
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
}

function SecretDialog({
  tenantId,
  secret,
  opened,
  onClose,
}: {
  tenantId: string;
  secret: Secret | null;
  opened: boolean;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [form, setForm] = useState<Form>(() =>
    secret
      ? {
          ...EMPTY,
          name: secret.name,
          description: secret.description ?? '',
          type: secret.type,
          username: secret.username ?? '',
          subject: '',
        }
      : EMPTY,
  );
  const save = useMutation({
    mutationFn: async () => {
      const body = await bodyOf(form, secret ? 'update' : 'create');
      return secret
        ? json(
            api.PATCH('/api/v1/tenants/{tenantId}/secrets/{id}', {
              params: { path: { tenantId, id: secret.id } },
              body: body,
            }),
          )
        : json(
            api.POST('/api/v1/tenants/{tenantId}/secrets', {
              params: { path: { tenantId } },
              body: body as unknown as Schemas['BasicSecretCreateDto'],
            }),
          );
    },
    onSuccess: async (saved) => {
      notifications.show({ message: `Secret “${saved.name}” saved.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'secrets'] });
      onClose();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const keep = secret ? 'Leave empty to keep the stored value.' : undefined;
  const fieldError = (...names: string[]) =>
    names
      .map((n) => Object.entries(errors).find(([f]) => f === n || f.startsWith(`${n}.`))?.[1])
      .find(Boolean);
  const knownFields = [
    'name',
    'description',
    'type',
    'username',
    'password',
    'generate',
    'certificatePem',
    'privateKeyPem',
    'pkcs12',
    'clientSecret',
    'expiresAt',
    'serviceAccountKey',
  ];
  const other = Object.entries(errors).filter(
    ([f]) => !knownFields.some((k) => f === k || f.startsWith(`${k}.`)),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <Modal
      opened={opened}
      onClose={onClose}
      title={secret ? `Edit secret ${secret.name}` : 'Create secret'}
      size="lg"
    >
      <form onSubmit={submit} noValidate>
        <Stack>
          <TextInput
            label="Name"
            required
            value={form.name}
            onChange={(e) => set({ name: e.currentTarget.value })}
            error={errors.name}
            data-autofocus
          />
          <TextInput
            label="Description"
            value={form.description}
            onChange={(e) => set({ description: e.currentTarget.value })}
            error={errors.description}
          />
          <Select
            label="Type"
            description={
              secret
                ? 'The type cannot be changed.'
                : 'Archiving profiles use: IMAP, POP3, Exchange → user name and password; Microsoft 365 → certificate or client secret; Google Workspace → service account.'
            }
            data={SECRET_TYPES.map((t) => ({ value: t, label: secretTypeLabel(t) }))}
            value={form.type}
            onChange={(v) => v && set({ type: v })}
            disabled={secret !== null}
            allowDeselect={false}
            error={errors.type}
          />
          {form.type === 'basic' ? (
            <>
              <TextInput
                label="User name"
                required
                value={form.username}
                onChange={(e) => set({ username: e.currentTarget.value })}
                error={errors.username}
                autoComplete="off"
              />
              <PasswordInput
                label="Password"
                required={!secret}
                description={keep ?? 'Write-only: it is stored encrypted and never shown again.'}
                value={form.password}
                onChange={(e) => set({ password: e.currentTarget.value })}
                error={errors.password}
                autoComplete="new-password"
              />
            </>
          ) : null}
          {form.type === 'certificate' ? (
            <>
              <SegmentedControl
                aria-label="Certificate source"
                value={form.certificateSource}
                onChange={(v) => set({ certificateSource: v })}
                data={[
                  { value: 'generate', label: secret ? 'Generate a new one' : 'Generate' },
                  { value: 'pem', label: 'Import PEM' },
                  { value: 'pkcs12', label: 'Import PKCS#12' },
                ]}
              />
              {form.certificateSource === 'generate' ? (
                <>
                  <TextInput
                    label="Subject"
                    description={
                      secret
                        ? 'Fill in to replace the certificate by a new self-signed one.'
                        : 'For example CN=archive.example.com,O=Example'
                    }
                    required={!secret}
                    value={form.subject}
                    onChange={(e) => set({ subject: e.currentTarget.value })}
                    error={fieldError('generate.subject', 'generate')}
                  />
                  <TextInput
                    label="Valid for (days)"
                    inputMode="numeric"
                    value={form.validityDays}
                    onChange={(e) => set({ validityDays: e.currentTarget.value })}
                    error={fieldError('generate.validityDays')}
                  />
                  <Text size="xs" c="dimmed">
                    A self-signed RSA certificate is generated; its private key never leaves Mailkeep.
                    Download the public certificate afterwards and upload it to the app registration.
                  </Text>
                </>
              ) : form.certificateSource === 'pem' ? (
                <>
                  <Textarea
                    label="Certificate (PEM)"
                    autosize
                    minRows={3}
                    maxRows={8}
                    value={form.certificatePem}
                    onChange={(e) => set({ certificatePem: e.currentTarget.value })}
                    error={errors.certificatePem}
                    ff="monospace"
                  />
                  <Textarea
                    label="Private key (PEM)"
                    description={keep ?? 'Write-only.'}
                    autosize
                    minRows={3}
                    maxRows={8}
                    value={form.privateKeyPem}
                    onChange={(e) => set({ privateKeyPem: e.currentTarget.value })}
                    error={errors.privateKeyPem}
                    ff="monospace"
                  />
                  <PasswordInput
                    label="Private key password"
                    description="Only for an encrypted private key."
                    value={form.password}
                    onChange={(e) => set({ password: e.currentTarget.value })}
                    error={errors.password}
                    autoComplete="new-password"
                  />
                </>
              ) : (
                <>
                  <FileInput
                    label="PKCS#12 file (.pfx, .p12)"
                    value={form.pkcs12}
                    onChange={(file) => set({ pkcs12: file })}
                    error={errors.pkcs12}
                    clearable
                  />
                  <PasswordInput
                    label="Password"
                    value={form.password}
                    onChange={(e) => set({ password: e.currentTarget.value })}
                    error={errors.password}
                    autoComplete="new-password"
                  />
                </>
              )}
            </>
          ) : null}
          {form.type === 'client-secret' ? (
            <>
              <PasswordInput
                label="Client secret"
                required={!secret}
                description={keep ?? 'Write-only.'}
                value={form.clientSecret}
                onChange={(e) => set({ clientSecret: e.currentTarget.value })}
                error={errors.clientSecret}
                autoComplete="off"
              />
              <TextInput
                label="Expires at"
                type="datetime-local"
                description="Mailkeep warns 30 days before."
                value={form.expiresAt}
                onChange={(e) => set({ expiresAt: e.currentTarget.value })}
                error={errors.expiresAt}
              />
            </>
          ) : null}
          {form.type === 'google-service-account' ? (
            <>
              <FileInput
                label="Service account key file (JSON)"
                accept="application/json,.json"
                onChange={(file) => {
                  if (file) void readFile(file, 'text').then((text) => set({ serviceAccountKey: text }));
                }}
                clearable
              />
              <Textarea
                label="Service account key (JSON)"
                description={keep ?? 'Paste the key or pick the file above. Write-only.'}
                autosize
                minRows={3}
                maxRows={8}
                value={form.serviceAccountKey}
                onChange={(e) => set({ serviceAccountKey: e.currentTarget.value })}
                error={fieldError('serviceAccountKey')}
                ff="monospace"
              />
            </>
          ) : null}
          {other.length ? (
            <Alert color="red" icon={<IconAlert />}>
              {other.map(([f, m]) => (
                <div key={f}>
                  {f}: {m}
                </div>
              ))}
            </Alert>
          ) : null}
          {save.isError && Object.keys(errors).length === 0 ? (
            <ErrorAlert error={save.error} title="Not saved" />
          ) : null}
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {secret ? 'Save' : 'Create'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SecretsPage() {
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(params.get('search') ?? '');
  const [debounced] = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const [editing, setEditing] = useState<Secret | 'new' | null>(null);
  const [toDelete, setToDelete] = useState<Secret | null>(null);
  const secrets = useInfiniteQuery({
    queryKey: ['tenant', tenantId, 'secrets', 'list', debounced],
    queryFn: ({ pageParam, signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/secrets', {
          params: {
            path: { tenantId },
            query: {
              limit: PAGE_SIZE,
              ...(debounced && { search: debounced }),
              ...(pageParam && { cursor: pageParam }),
            },
          },
          signal,
        }),
      ),
    initialPageParam: '',
    getNextPageParam: (page) => page.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const remove = useMutation({
    mutationFn: (secret: Secret) =>
      done(
        api.DELETE('/api/v1/tenants/{tenantId}/secrets/{id}', {
          params: { path: { tenantId, id: secret.id } },
        }),
      ),
    onSuccess: async () => {
      setToDelete(null);
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'secrets'] });
    },
  });
  const download = useMutation({
    mutationFn: (secret: Secret) =>
      downloadFile(
        `/api/v1/tenants/${tenantId}/secrets/${secret.id}/certificate`,
        `${secret.name.replace(/[^\w.-]+/g, '_')}.pem`,
      ),
    onError: (error) =>
      notifications.show({ color: 'red', title: 'Download failed', message: error.message }),
  });
  const items = secrets.data?.pages.flatMap((p) => p.items) ?? [];
  const expiring = items.filter((s) => s.expiresSoon);

  return (
    <>
      <PageHeader
        title="Secrets"
        description="Credentials that archiving profiles use. Passwords, keys and client secrets are stored encrypted and can be replaced, but never read back."
        actions={
          <>
            <Button onClick={() => setEditing('new')}>Create secret</Button>
            <Tooltip label="Refresh">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Refresh"
                loading={secrets.isRefetching}
                onClick={() => void secrets.refetch()}
              >
                <IconRefresh />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      {expiring.length ? (
        <Alert color="orange" icon={<IconAlert />} mb="md" title="Expiring credentials">
          {expiring.map((s) => s.name).join(', ')} {expiring.length > 1 ? 'expire' : 'expires'} within 30 days
          (or already expired). Replace {expiring.length > 1 ? 'them' : 'it'} before archiving stops.
        </Alert>
      ) : null}
      <TextInput
        role="searchbox"
        aria-label="Search"
        placeholder="Search by name or ID"
        leftSection={<IconSearch />}
        value={search}
        onChange={(e) => {
          const value = e.currentTarget.value;
          setSearch(value);
          setParams(value.trim() ? { search: value } : {}, { replace: true });
        }}
        maw={460}
        mb="md"
      />
      {secrets.isPending ? (
        <Loading label="Loading secrets…" />
      ) : secrets.isError ? (
        <ErrorAlert error={secrets.error} onRetry={() => void secrets.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState>
          {debounced
            ? 'No secret matches the search.'
            : 'There are no secrets yet. Create one for the archiving profiles to sign in with.'}
        </EmptyState>
      ) : (
        <Table.ScrollContainer minWidth={880}>
          <Table striped highlightOnHover aria-label="Secrets">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Type</Table.Th>
                <Table.Th>User / subject</Table.Th>
                <Table.Th>Expires</Table.Th>
                <Table.Th>Used by</Table.Th>
                <Table.Th w={130}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((secret) => (
                <Table.Tr key={secret.id}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {secret.name}
                    </Text>
                    {secret.description ? (
                      <Text size="xs" c="dimmed">
                        {secret.description}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{secretTypeLabel(secret.type)}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{describe(secret)}</Text>
                    {secret.certificate ? (
                      <Text size="xs" c="dimmed" ff="monospace">
                        SHA-1 {secret.certificate.thumbprint}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <ExpiryBadge secret={secret} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {secret.usedBy.length ? secret.usedBy.map((r) => r.name ?? r.id).join(', ') : '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label="Edit" onClick={() => setEditing(secret)}>
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      {secret.type === 'certificate' ? (
                        <Tooltip label="Download certificate (PEM)">
                          <ActionIcon
                            variant="subtle"
                            aria-label="Download certificate"
                            loading={download.isPending && download.variables.id === secret.id}
                            onClick={() => download.mutate(secret)}
                          >
                            <IconDownload />
                          </ActionIcon>
                        </Tooltip>
                      ) : null}
                      <Tooltip
                        label={
                          secret.usedBy.length
                            ? `Cannot be deleted: used by ${secret.usedBy.map((r) => r.name ?? r.id).join(', ')}`
                            : 'Delete'
                        }
                        multiline
                        maw={300}
                      >
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label="Delete"
                          aria-disabled={secret.usedBy.length > 0 || undefined}
                          data-disabled={secret.usedBy.length > 0 || undefined}
                          onClick={() => {
                            if (!secret.usedBy.length) {
                              remove.reset();
                              setToDelete(secret);
                            }
                          }}
                        >
                          <IconTrash />
                        </ActionIcon>
                      </Tooltip>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <ShowMore list={secrets} />
      {editing !== null ? (
        <SecretDialog
          tenantId={tenantId}
          secret={editing === 'new' ? null : editing}
          opened
          onClose={() => setEditing(null)}
        />
      ) : null}
      <ConfirmDialog
        opened={toDelete !== null}
        title="Delete secret"
        confirmLabel="Delete"
        onClose={() => setToDelete(null)}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        pending={remove.isPending}
        error={remove.error}
      >
        Delete the secret <b>{toDelete?.name}</b>? It cannot be recovered.
      </ConfirmDialog>
    </>
  );
}
