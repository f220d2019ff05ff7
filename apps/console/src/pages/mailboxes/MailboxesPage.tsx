import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  FileInput,
  Group,
  Modal,
  Stack,
  Switch,
  Table,
  TagsInput,
  Text,
  Textarea,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useSearchParams } from 'react-router';

import { api, authHeaders, type Schemas } from '../../api/client';
import { directoryServiceOptions } from '../../api/options';
import { ApiError, done, fetchOk, json } from '../../api/problem';
import { useTenantId } from '../../app/tenant';
import { ConfirmDialog } from '../../components/confirm';
import { DeleteAction } from '../../components/delete-action';
import { IconEdit, IconRefresh, IconSearch, IconUpload } from '../../components/icons';
import { LIST_PAGE_SIZE, ListView, usePagedList, useSearchParam } from '../../components/list';
import { ErrorAlert, PageHeader } from '../../components/page';
import { RemoteSelect } from '../../components/RemoteSelect';
import { SaveFooter } from '../../components/save-footer';

type Mailbox = Schemas['MailboxDto'];
type ImportResult = Schemas['MailboxImportResultDto'];

function MailboxDialog({
  tenantId,
  mailbox,
  onClose,
}: {
  tenantId: string;
  mailbox: Mailbox | null;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const synced = mailbox?.origin === 'directory';
  const [primaryAddress, setPrimaryAddress] = useState(mailbox?.primaryAddress ?? '');
  const [displayName, setDisplayName] = useState(mailbox?.displayName ?? '');
  const [secondaryAddresses, setSecondaryAddresses] = useState<string[]>(mailbox?.secondaryAddresses ?? []);
  const [directoryServiceId, setDirectoryServiceId] = useState(mailbox?.directoryServiceId ?? '');
  const [enabled, setEnabled] = useState(mailbox?.enabled ?? true);
  const save = useMutation({
    mutationFn: () => {
      if (mailbox) {
        const body: Schemas['UpdateMailboxDto'] = synced
          ? { secondaryAddresses }
          : {
              primaryAddress,
              displayName,
              secondaryAddresses,
              enabled,
              directoryServiceId: (directoryServiceId || null) as never,
            };
        return json(
          api.PATCH('/api/v1/tenants/{tenantId}/mailboxes/{id}', {
            params: { path: { tenantId, id: mailbox.id } },
            body,
          }),
        );
      }
      return json(
        api.POST('/api/v1/tenants/{tenantId}/mailboxes', {
          params: { path: { tenantId } },
          body: {
            primaryAddress,
            displayName,
            secondaryAddresses,
            enabled,
            ...(directoryServiceId && { directoryServiceId: directoryServiceId as never }),
          },
        }),
      );
    },
    onSuccess: async (saved) => {
      notifications.show({ message: `Mailbox ${saved.primaryAddress} saved.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'mailboxes'] });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'directory-services'] });
      onClose();
    },
  });
  const errors = save.error instanceof ApiError ? save.error.fieldErrors : {};
  const secondaryError = Object.entries(errors).find(([f]) => f.startsWith('secondaryAddresses'))?.[1];
  return (
    <Modal
      opened
      onClose={onClose}
      title={mailbox ? `Edit ${mailbox.primaryAddress}` : 'Create mailbox'}
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
          {synced ? (
            <Alert color="blue">
              This mailbox comes from a directory sync: only its secondary addresses can be edited here.
            </Alert>
          ) : null}
          <TextInput
            label="Primary address"
            required
            value={primaryAddress}
            onChange={(e) => setPrimaryAddress(e.currentTarget.value)}
            error={errors.primaryAddress}
            disabled={synced}
            data-autofocus
          />
          <TextInput
            label="Display name"
            value={displayName}
            onChange={(e) => setDisplayName(e.currentTarget.value)}
            error={errors.displayName}
            disabled={synced}
          />
          <TagsInput
            label="Secondary addresses"
            description="Press Enter after each address."
            value={secondaryAddresses}
            onChange={setSecondaryAddresses}
            error={secondaryError}
          />
          {!synced ? (
            <RemoteSelect
              {...directoryServiceOptions(tenantId)}
              label="Directory service"
              description="A static directory service this mailbox belongs to (optional)."
              placeholder="None"
              clearable
              value={directoryServiceId}
              onChange={setDirectoryServiceId}
              error={errors.directoryServiceId}
            />
          ) : null}
          {!synced ? (
            <Switch label="Enabled" checked={enabled} onChange={(e) => setEnabled(e.currentTarget.checked)} />
          ) : null}
          <SaveFooter
            save={save}
            fieldErrorsShown={Object.keys(errors).length > 0}
            editing={mailbox !== null}
            onCancel={onClose}
          />
        </Stack>
      </form>
    </Modal>
  );
}

/** D1's CSV import: a file or pasted text, then the API's report, row by row. */
function ImportDialog({ tenantId, onClose }: { tenantId: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('primaryAddress,displayName,secondaryAddresses\n');
  const [directoryServiceId, setDirectoryServiceId] = useState('');
  const importCsv = useMutation({
    mutationFn: async (): Promise<ImportResult> => {
      const query = directoryServiceId ? `?directoryServiceId=${encodeURIComponent(directoryServiceId)}` : '';
      const response = await fetchOk(`/api/v1/tenants/${tenantId}/mailboxes:import${query}`, {
        method: 'POST',
        headers: { ...authHeaders(), 'Content-Type': 'text/csv' },
        body: csv,
      });
      return (await response.json()) as ImportResult;
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'mailboxes'] });
      void queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'directory-services'] });
    },
  });
  const report = importCsv.data;
  return (
    <Modal opened onClose={onClose} title="Import mailboxes from CSV" size="xl">
      <Stack>
        <Text size="sm">
          Columns <code>primaryAddress,displayName,secondaryAddresses</code> with a header row; separate
          several secondary addresses with <code>;</code>. Mailboxes are matched by primary address: importing
          the same file again changes nothing.
        </Text>
        <FileInput
          label="CSV file"
          accept=".csv,text/csv"
          leftSection={<IconUpload />}
          clearable
          onChange={(file) => {
            if (file) void file.text().then(setCsv);
          }}
        />
        <Textarea
          label="CSV"
          autosize
          minRows={5}
          maxRows={14}
          ff="monospace"
          value={csv}
          onChange={(e) => setCsv(e.currentTarget.value)}
        />
        <RemoteSelect
          {...directoryServiceOptions(tenantId)}
          label="Assign to directory service"
          placeholder="None"
          clearable
          value={directoryServiceId}
          onChange={setDirectoryServiceId}
        />
        {importCsv.isError ? <ErrorAlert error={importCsv.error} title="Not imported" /> : null}
        {report ? (
          <Stack gap="xs" role="status">
            <Group gap="xs">
              <Badge color="green">{report.created} created</Badge>
              <Badge color="blue">{report.updated} updated</Badge>
              <Badge color="gray">{report.unchanged} unchanged</Badge>
              <Badge color={report.errors.length ? 'red' : 'gray'}>{report.errors.length} rejected</Badge>
            </Group>
            {report.errors.length ? (
              <Table aria-label="Rejected rows" fz="sm">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th w={80}>Row</Table.Th>
                    <Table.Th>Problem</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {report.errors.map((error) => (
                    <Table.Tr key={`${error.row}-${error.message}`}>
                      <Table.Td>{error.row}</Table.Td>
                      <Table.Td>{error.message}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : null}
          </Stack>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button onClick={() => importCsv.mutate()} loading={importCsv.isPending}>
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function MailboxesPage() {
  const tenantId = useTenantId();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const search = useSearchParam();
  const directoryServiceId = params.get('directoryServiceId') ?? '';
  const [editing, setEditing] = useState<Mailbox | 'new' | null>(null);
  const [importing, setImporting] = useState(false);
  const [toDelete, setToDelete] = useState<Mailbox | null>(null);
  const { list: mailboxes, items } = usePagedList(
    ['tenant', tenantId, 'mailboxes', 'list', search.query, directoryServiceId],
    (cursor, signal) =>
      json(
        api.GET('/api/v1/tenants/{tenantId}/mailboxes', {
          params: {
            path: { tenantId },
            query: {
              limit: LIST_PAGE_SIZE,
              ...(search.query && { search: search.query }),
              ...(directoryServiceId && { directoryServiceId }),
              ...(cursor && { cursor }),
            },
          },
          signal,
        }),
      ),
  );
  const remove = useMutation({
    mutationFn: (mailbox: Mailbox) =>
      done(
        api.DELETE('/api/v1/tenants/{tenantId}/mailboxes/{id}', {
          params: { path: { tenantId, id: mailbox.id } },
        }),
      ),
    onSuccess: async () => {
      setToDelete(null);
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId, 'mailboxes'] });
    },
  });
  function filterByDirectoryService(id: string) {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (id) next.set('directoryServiceId', id);
        else next.delete('directoryServiceId');
        return next;
      },
      { replace: true },
    );
  }
  return (
    <>
      <PageHeader
        title="Mailboxes"
        description="Archive mailboxes: the mailboxes archived mail belongs to. A single-mailbox archiving profile archives one of them; a directory service groups them for multiple-mailbox profiles."
        actions={
          <>
            <Button onClick={() => setEditing('new')}>Create mailbox</Button>
            <Button variant="default" leftSection={<IconUpload />} onClick={() => setImporting(true)}>
              Import CSV
            </Button>
            <Tooltip label="Refresh">
              <ActionIcon
                variant="default"
                size="lg"
                aria-label="Refresh"
                loading={mailboxes.isRefetching}
                onClick={() => void mailboxes.refetch()}
              >
                <IconRefresh />
              </ActionIcon>
            </Tooltip>
          </>
        }
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          role="searchbox"
          aria-label="Search"
          placeholder="Search by address, name or ID"
          leftSection={<IconSearch />}
          value={search.text}
          onChange={(e) => search.setText(e.currentTarget.value)}
          w={360}
          maw="100%"
        />
        <RemoteSelect
          {...directoryServiceOptions(tenantId)}
          aria-label="Directory service"
          placeholder="All directory services"
          clearable
          value={directoryServiceId}
          onChange={filterByDirectoryService}
          w={300}
          maw="100%"
        />
      </Group>
      <ListView
        list={mailboxes}
        items={items}
        loadingLabel="Loading mailboxes…"
        empty={
          search.query || directoryServiceId
            ? 'No mailbox matches.'
            : 'There are no mailboxes yet. Create one, or import a CSV file.'
        }
      >
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover aria-label="Mailboxes">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Primary address</Table.Th>
                <Table.Th>Display name</Table.Th>
                <Table.Th>Secondary addresses</Table.Th>
                <Table.Th>Origin</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th w={100}>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((mailbox) => (
                <Table.Tr key={mailbox.id}>
                  <Table.Td>{mailbox.primaryAddress}</Table.Td>
                  <Table.Td>{mailbox.displayName || '—'}</Table.Td>
                  <Table.Td>
                    <Text size="sm">{mailbox.secondaryAddresses.join(', ') || '—'}</Text>
                  </Table.Td>
                  <Table.Td>{mailbox.origin === 'directory' ? 'Directory sync' : 'Manual'}</Table.Td>
                  <Table.Td>
                    {mailbox.enabled ? (
                      <Badge color="green" variant="light">
                        Enabled
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light">
                        Disabled
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Tooltip label="Edit">
                        <ActionIcon variant="subtle" aria-label="Edit" onClick={() => setEditing(mailbox)}>
                          <IconEdit />
                        </ActionIcon>
                      </Tooltip>
                      <DeleteAction
                        name={mailbox.primaryAddress}
                        onDelete={() => {
                          remove.reset();
                          setToDelete(mailbox);
                        }}
                      />
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </ListView>
      {editing !== null ? (
        <MailboxDialog
          tenantId={tenantId}
          mailbox={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {importing ? <ImportDialog tenantId={tenantId} onClose={() => setImporting(false)} /> : null}
      <ConfirmDialog
        opened={toDelete !== null}
        title="Delete mailbox"
        confirmLabel="Delete"
        onClose={() => setToDelete(null)}
        onConfirm={() => toDelete && remove.mutate(toDelete)}
        pending={remove.isPending}
        error={remove.error}
      >
        Delete the mailbox <b>{toDelete?.primaryAddress}</b>? Mail archived for it stays in the archive.
      </ConfirmDialog>
    </>
  );
}
