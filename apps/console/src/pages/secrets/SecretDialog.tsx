import {
  Alert,
  FileInput,
  Modal,
  PasswordInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';

import { api, type Schemas } from '../../api/client';
import { secretTypeLabel } from '../../api/options';
import { ApiError, json } from '../../api/problem';
import { IconAlert } from '../../components/icons';
import { SaveFooter } from '../../components/save-footer';

export type Secret = Schemas['SecretDto'];
type SecretType = Secret['type'];

const SECRET_TYPES: readonly SecretType[] = [
  'basic',
  'certificate',
  'client-secret',
  'google-service-account',
];
/** A generated certificate is valid for two years unless the person says otherwise. */
const DEFAULT_VALIDITY_DAYS = '730';

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

export function SecretDialog({
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
          <SaveFooter
            save={save}
            fieldErrorsShown={Object.keys(errors).length > 0}
            editing={secret !== null}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}
