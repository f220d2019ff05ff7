import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Fieldset,
  Group,
  Radio,
  Select,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';

import { api } from '../../api/client';
import { directoryServiceOptions, mailboxOptions, secretOptions } from '../../api/options';
import { ApiError, json } from '../../api/problem';
import { tenantPath, useTenantId } from '../../app/tenant';
import { IconAlert, IconInfo, IconPlug } from '../../components/icons';
import { ErrorAlert, Loading, PageHeader } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import {
  type ArchivingProfile,
  bodyOf,
  draftOf,
  emptyDraft,
  missingForTest,
  MODE_LABELS,
  modesOf,
  PROFILE_TYPES,
  type ProfileDraft,
  type ProfileType,
  propertiesOf,
  PROTOCOLS,
  SECRET_TYPES_BY_PROFILE_TYPE,
  TYPE_LABELS,
} from './profile-model';
import { TestConnectionDialog } from './TestConnectionDialog';

const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  type: 'Type',
  mode: 'Mode',
  credentialsSecretId: 'Credentials',
  mailboxId: 'Mailbox',
  directoryServiceId: 'Directory service',
  serverName: 'Server name',
  port: 'Port',
  protocol: 'Protocol',
  timeoutSeconds: 'Timeout',
  sourceMailbox: 'Source mailbox',
  applicationId: 'Application ID',
  directoryId: 'Directory ID',
};

/** Fields whose API errors the form shows next to an input; the rest go to the summary. */
function fieldOf(apiField: string): string {
  return apiField.startsWith('folders') ? 'folders' : apiField;
}

export function ProfileFormPage() {
  const tenantId = useTenantId();
  const { profileId } = useParams();
  const editing = profileId !== undefined && profileId !== 'new';
  const profile = useQuery({
    queryKey: ['tenant', tenantId, 'archiving-profiles', 'one', profileId],
    queryFn: ({ signal }) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/archiving-profiles/{id}', {
          params: { path: { tenantId, id: profileId ?? '' } },
          signal,
        }),
      ),
    enabled: editing,
    // The form holds its own copy; a background refetch must not replace what is being typed.
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });

  if (editing && profile.isPending) return <Loading label="Loading the archiving profile…" />;
  if (editing && profile.isError)
    return <ErrorAlert error={profile.error} onRetry={() => void profile.refetch()} />;
  return (
    <ProfileForm
      key={profile.data?.id ?? 'new'}
      tenantId={tenantId}
      saved={editing ? profile.data : undefined}
    />
  );
}

function ProfileForm({ tenantId, saved }: { tenantId: string; saved: ArchivingProfile | undefined }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<ProfileDraft>(() => (saved ? draftOf(saved) : emptyDraft()));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [testing, setTesting] = useState(false);
  const used = propertiesOf(draft.type, draft.mode);

  function change(patch: Partial<ProfileDraft>) {
    setDraft((current) => ({ ...current, ...patch }));
    // An edited field's error is about the old value.
    setErrors((current) => {
      const next = { ...current };
      for (const key of Object.keys(patch)) delete next[fieldOf(key.startsWith('folders') ? 'folders' : key)];
      return next;
    });
  }

  function changeType(type: ProfileType) {
    const protocols = PROTOCOLS[type];
    change({
      type,
      mode: modesOf(type).includes(draft.mode) ? draft.mode : 'single',
      protocol: protocols?.some((p) => p.value === draft.protocol)
        ? draft.protocol
        : (protocols?.[0]?.value ?? ''),
    });
  }

  const save = useMutation({
    mutationFn: () =>
      saved
        ? json(
            api.PATCH('/api/v1/tenants/{tenantId}/archiving-profiles/{id}', {
              params: { path: { tenantId, id: saved.id }, header: { 'If-Match': `"${saved.version}"` } },
              body: bodyOf(draft, 'update'),
            }),
          )
        : json(
            api.POST('/api/v1/tenants/{tenantId}/archiving-profiles', {
              params: { path: { tenantId } },
              // As typed: a port of "abc" is the API's to refuse, with its words (no second validation here).
              body: bodyOf(draft, 'create'),
            }),
          ),
    onSuccess: async (result) => {
      notifications.show({ message: `Archiving profile “${result.name}” saved.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'archiving-profiles'] });
      void navigate(tenantPath(tenantId, 'archiving-profiles'));
    },
    onError: (error) => {
      setErrors(
        error instanceof ApiError
          ? Object.fromEntries(Object.entries(error.fieldErrors).map(([f, m]) => [fieldOf(f), m]))
          : {},
      );
    },
  });

  const missing = missingForTest(draft);
  const shownFields = new Set([
    'name',
    'type',
    'mode',
    'credentialsSecretId',
    'deleteInSource',
    ...used.keys(),
  ]);
  const otherErrors = Object.entries(errors).filter(([field]) => !shownFields.has(field));
  const protocols = PROTOCOLS[draft.type] ?? [];
  const defaultPort = protocols.find((p) => p.value === draft.protocol)?.port;
  const stale = save.error instanceof ApiError && save.error.status === 412;

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <>
      <PageHeader
        title={saved ? `Edit archiving profile` : 'Create archiving profile'}
        description={saved ? saved.name : 'The properties offered depend on the type and the mode.'}
      />
      <form onSubmit={submit} noValidate aria-label="Archiving profile">
        <Stack maw={760}>
          {save.isError && !Object.keys(errors).length ? (
            <ErrorAlert error={save.error} title="Not saved" />
          ) : null}
          {save.isError && Object.keys(errors).length ? (
            <Alert color="red" icon={<IconAlert />} title="Not saved: check the marked fields" role="alert">
              {otherErrors.length ? (
                <ul style={{ margin: 0, paddingLeft: 18 }}>
                  {otherErrors.map(([field, message]) => (
                    <li key={field}>
                      {FIELD_LABELS[field] ?? field}: {message}
                    </li>
                  ))}
                </ul>
              ) : (
                save.error.message
              )}
            </Alert>
          ) : null}
          {stale ? (
            <Alert color="yellow" icon={<IconInfo />}>
              Someone changed this profile meanwhile.{' '}
              <Anchor component="button" type="button" onClick={() => void navigate(0)}>
                Reload it
              </Anchor>{' '}
              and make your changes again.
            </Alert>
          ) : null}

          <Fieldset legend="Profile">
            <Stack>
              <TextInput
                label="Name"
                description="A unique name that says what the profile archives. It can be changed later."
                required
                value={draft.name}
                onChange={(event) => change({ name: event.currentTarget.value })}
                error={errors.name}
                data-autofocus
              />
              <Select
                label="Type"
                description={
                  saved
                    ? 'The type cannot be changed after creation.'
                    : 'The kind of mail server to archive from. It cannot be changed after creation.'
                }
                required
                data={PROFILE_TYPES.map((type) => ({ value: type, label: TYPE_LABELS[type] }))}
                value={draft.type}
                onChange={(value) => value && changeType(value)}
                readOnly={saved !== undefined}
                disabled={saved !== undefined}
                allowDeselect={false}
                error={errors.type}
              />
              <Radio.Group
                label="Mode"
                required
                value={draft.mode}
                onChange={(value) => change({ mode: value })}
                error={errors.mode}
                description={
                  draft.type === 'pop3' ? 'POP3 is only usable for single mailbox archiving.' : undefined
                }
              >
                <Group mt={6}>
                  {(['single', 'multiple'] as const).map((mode) => (
                    <Radio
                      key={mode}
                      value={mode}
                      label={MODE_LABELS[mode]}
                      disabled={!modesOf(draft.type).includes(mode)}
                    />
                  ))}
                </Group>
              </Radio.Group>
              <RemoteSelect
                {...secretOptions(tenantId, SECRET_TYPES_BY_PROFILE_TYPE[draft.type])}
                label="Credentials"
                description={
                  <>
                    A secret of type {SECRET_TYPES_BY_PROFILE_TYPE[draft.type].join(' or ')}.{' '}
                    <Anchor component={Link} to={tenantPath(tenantId, 'secrets')} size="xs">
                      Manage secrets
                    </Anchor>
                  </>
                }
                placeholder="Choose a secret"
                required
                value={draft.credentialsSecretId}
                onChange={(value) => change({ credentialsSecretId: value })}
                error={errors.credentialsSecretId}
              />
              {used.has('mailboxId') ? (
                <RemoteSelect
                  {...mailboxOptions(tenantId)}
                  label="Mailbox"
                  description="The archive mailbox, typically by its primary address."
                  placeholder="Choose a mailbox"
                  required
                  value={draft.mailboxId}
                  onChange={(value) => change({ mailboxId: value })}
                  error={errors.mailboxId}
                />
              ) : null}
              {used.has('directoryServiceId') ? (
                <RemoteSelect
                  {...directoryServiceOptions(tenantId)}
                  label="Directory service"
                  description="Archiving is done for every mailbox of this directory service."
                  placeholder="Choose a directory service"
                  required
                  value={draft.directoryServiceId}
                  onChange={(value) => change({ directoryServiceId: value })}
                  error={errors.directoryServiceId}
                />
              ) : null}
              <Switch
                label="Delete in source mailbox"
                description="Deletes each message from the source mailbox right after it was archived. Use this only when archiving from a journaling mailbox; flagged messages are never deleted."
                checked={draft.deleteInSource}
                onChange={(event) => change({ deleteInSource: event.currentTarget.checked })}
                error={errors.deleteInSource}
              />
              {draft.deleteInSource ? (
                <Alert color="yellow" icon={<IconAlert />} py="xs">
                  Messages will be deleted from the source once archived. For other mailboxes than journaling
                  mailboxes, leave this off.
                </Alert>
              ) : null}
            </Stack>
          </Fieldset>

          {used.has('serverName') ||
          used.has('applicationId') ||
          used.has('sourceMailbox') ||
          used.has('timeoutSeconds') ? (
            <Fieldset legend={`${TYPE_LABELS[draft.type]} connection`}>
              <Stack>
                {draft.type === 'exchange' ? (
                  <Alert color="blue" icon={<IconInfo />} py="xs" title="Exchange Server on premises">
                    For Exchange Server 2016, 2019 and Subscription Edition, over Exchange Web Services with a
                    service account that holds the ApplicationImpersonation role. Exchange Online retired EWS
                    in October 2026: archive Exchange Online mailboxes with a Microsoft 365 profile.
                  </Alert>
                ) : null}
                {used.has('serverName') ? (
                  <TextInput
                    label="Server name"
                    description={
                      draft.type === 'exchange'
                        ? 'Host name of the Exchange server (or its load balancer); EWS is reached at https://<server name>/EWS/Exchange.asmx.'
                        : 'Host name or IP address, without protocol and port.'
                    }
                    required
                    value={draft.serverName}
                    onChange={(event) => change({ serverName: event.currentTarget.value })}
                    error={errors.serverName}
                  />
                ) : null}
                {used.has('protocol') ? (
                  <Select
                    label="Protocol"
                    required
                    data={protocols.map(({ value, label }) => ({ value, label }))}
                    value={draft.protocol || null}
                    onChange={(value) => change({ protocol: value ?? '' })}
                    allowDeselect={false}
                    error={errors.protocol}
                  />
                ) : null}
                {used.has('port') ? (
                  <TextInput
                    label="Port"
                    description="A number between 0 and 65535. Empty: the protocol's default port."
                    inputMode="numeric"
                    placeholder={defaultPort !== undefined ? `${defaultPort} (default)` : undefined}
                    value={draft.port}
                    onChange={(event) => change({ port: event.currentTarget.value })}
                    error={errors.port}
                  />
                ) : null}
                {used.has('timeoutSeconds') ? (
                  <TextInput
                    label="Timeout (seconds)"
                    description="10 to 600 seconds. Empty: the default of 60 seconds."
                    inputMode="numeric"
                    placeholder="60 (default)"
                    value={draft.timeoutSeconds}
                    onChange={(event) => change({ timeoutSeconds: event.currentTarget.value })}
                    error={errors.timeoutSeconds}
                  />
                ) : null}
                {used.has('ignoreTlsCertificateErrors') ? (
                  <>
                    <Checkbox
                      label="Ignore TLS certificate errors"
                      description="Accepts any certificate the server presents. Unsafe: use only for a server with a self-signed certificate on a trusted network."
                      checked={draft.ignoreTlsCertificateErrors}
                      onChange={(event) =>
                        change({ ignoreTlsCertificateErrors: event.currentTarget.checked })
                      }
                      error={errors.ignoreTlsCertificateErrors}
                    />
                    {draft.ignoreTlsCertificateErrors ? (
                      <Alert color="yellow" icon={<IconAlert />} py="xs">
                        Certificate errors are ignored: Mailkeep cannot tell the real server from an impostor.
                      </Alert>
                    ) : null}
                  </>
                ) : null}
                {used.has('sourceMailbox') ? (
                  <TextInput
                    label="Source mailbox"
                    description="Only when the mailbox's address differs from the credentials' user name, or when archiving by impersonation."
                    value={draft.sourceMailbox}
                    onChange={(event) => change({ sourceMailbox: event.currentTarget.value })}
                    error={errors.sourceMailbox}
                  />
                ) : null}
                {used.has('applicationId') ? (
                  <TextInput
                    label="Application ID"
                    description="From the tenant's Microsoft Entra ID page (app registration)."
                    required
                    value={draft.applicationId}
                    onChange={(event) => change({ applicationId: event.currentTarget.value })}
                    error={errors.applicationId}
                  />
                ) : null}
                {used.has('directoryId') ? (
                  <TextInput
                    label="Directory ID"
                    description="From the tenant's Microsoft Entra ID page."
                    required
                    value={draft.directoryId}
                    onChange={(event) => change({ directoryId: event.currentTarget.value })}
                    error={errors.directoryId}
                  />
                ) : null}
              </Stack>
            </Fieldset>
          ) : null}

          {used.has('folders') ? (
            <Fieldset legend="Folders">
              <Stack>
                <TagsInput
                  label="Include folders"
                  description="Full paths with / between levels. Empty: all folders. Press Enter after each."
                  value={draft.foldersInclude}
                  onChange={(value) => change({ foldersInclude: value })}
                  error={errors.folders}
                />
                <TagsInput
                  label="Exclude folders"
                  value={draft.foldersExclude}
                  onChange={(value) => change({ foldersExclude: value })}
                />
                <Checkbox
                  label="Skip Trash, Junk, Drafts and Outbox"
                  checked={draft.foldersExcludeDefaults}
                  onChange={(event) => change({ foldersExcludeDefaults: event.currentTarget.checked })}
                />
              </Stack>
            </Fieldset>
          ) : null}

          <Group justify="space-between" wrap="wrap">
            <Tooltip
              label={`Fill in first: ${missing.map((f) => FIELD_LABELS[f] ?? f).join(', ')}`}
              disabled={missing.length === 0}
              multiline
              maw={320}
            >
              <Button
                variant="default"
                leftSection={<IconPlug />}
                aria-disabled={missing.length > 0 || undefined}
                data-disabled={missing.length > 0 || undefined}
                onClick={() => {
                  if (missing.length === 0) setTesting(true);
                }}
              >
                Test connection
              </Button>
            </Tooltip>
            <Group gap="xs">
              <Button variant="default" component={Link} to={tenantPath(tenantId, 'archiving-profiles')}>
                Cancel
              </Button>
              <Button type="submit" loading={save.isPending}>
                {saved ? 'Save' : 'Create'}
              </Button>
            </Group>
          </Group>
          {missing.length > 0 ? (
            <Text size="xs" c="dimmed">
              The connection can be tested once every mandatory property is filled.
            </Text>
          ) : null}
        </Stack>
      </form>
      {testing ? (
        <TestConnectionDialog
          onClose={() => setTesting(false)}
          tenantId={tenantId}
          draft={bodyOf(draft, 'test')}
          onFieldErrors={(fieldErrors) =>
            setErrors(Object.fromEntries(Object.entries(fieldErrors).map(([f, m]) => [fieldOf(f), m])))
          }
        />
      ) : null}
    </>
  );
}
