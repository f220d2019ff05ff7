import { Alert, Badge, Button, Group, Loader, Modal, Stack, Switch, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';

import { api, type Schemas } from '../../api/client';
import { json } from '../../api/problem';
import { IconCheck } from '../../components/icons';
import { ErrorAlert } from '../../components/page';
import type { Service } from './directory-model';

type SyncResult = Schemas['SyncResultDto'];

const ACTION_COLORS: Record<string, string> = { create: 'green', update: 'blue', disable: 'orange' };

/**
 * SPEC D4 in two steps: a dry run shows what would be created, updated and disabled (nothing
 * changes), then "Sync now" commits with the same choice of disabling missing mailboxes.
 */
export function SyncDialog({
  tenantId,
  service,
  onClose,
}: {
  tenantId: string;
  service: Service;
  onClose: () => void;
}) {
  const queryClient = useQueryClient();
  const [disableMissing, setDisableMissing] = useState(service.disableMissing);
  const [committed, setCommitted] = useState<SyncResult | null>(null);
  const run = useMutation({
    mutationFn: (body: { dryRun: boolean; disableMissing: boolean }) =>
      json(
        api.POST('/api/v1/tenants/{tenantId}/directory-services/{id}/sync', {
          params: { path: { tenantId, id: service.id } },
          body,
        }),
      ),
    onSuccess: async (result) => {
      if (result.dryRun) return;
      setCommitted(result);
      notifications.show({ message: `“${service.name}” synced.`, color: 'green' });
      await queryClient.invalidateQueries({ queryKey: ['tenant', tenantId] });
    },
  });
  const { mutate } = run;
  // Mounted when the dialog opens: the preview with the service's own setting.
  useEffect(() => mutate({ dryRun: true, disableMissing: service.disableMissing }), [mutate, service]);

  const result = committed ?? run.data;
  return (
    <Modal opened onClose={onClose} title={`Sync ${service.name}`} size="xl">
      <Stack>
        <Switch
          label="Disable mailboxes that are gone from the source"
          checked={disableMissing}
          onChange={(e) => {
            // The preview follows the choice.
            setDisableMissing(e.currentTarget.checked);
            mutate({ dryRun: true, disableMissing: e.currentTarget.checked });
          }}
          disabled={run.isPending || committed !== null}
        />
        {run.isPending ? (
          <Group role="status" aria-live="polite">
            <Loader size="sm" />
            <Text size="sm">Reading the source…</Text>
          </Group>
        ) : null}
        {run.isError ? <ErrorAlert error={run.error} title="The sync could not be run" /> : null}
        {result && !run.isPending ? (
          <>
            {committed ? (
              <Alert color="green" icon={<IconCheck />} title="Synced" role="status">
                The changes below are done.
              </Alert>
            ) : (
              <Text size="sm">Preview: nothing has changed yet.</Text>
            )}
            <Group gap="lg" aria-label="Counts">
              <Text size="sm">Create: {result.created}</Text>
              <Text size="sm">Update: {result.updated}</Text>
              <Text size="sm">Disable: {result.disabled}</Text>
              <Text size="sm">Unchanged: {result.unchanged}</Text>
              <Text size="sm" c={result.errors.length ? 'red' : undefined}>
                Errors: {result.errors.length}
              </Text>
            </Group>
            {result.changes.length > 0 ? (
              <Table.ScrollContainer minWidth={600} mah={320}>
                <Table aria-label="Changes" verticalSpacing={4} fz="sm">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Action</Table.Th>
                      <Table.Th>Primary address</Table.Th>
                      <Table.Th>Display name</Table.Th>
                      <Table.Th>Secondary addresses</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {result.changes.map((change) => (
                      <Table.Tr key={`${change.action}:${change.primaryAddress}`}>
                        <Table.Td>
                          <Group gap={4} wrap="nowrap">
                            <Badge color={ACTION_COLORS[change.action] ?? 'gray'} variant="light">
                              {change.action}
                            </Badge>
                            {/* A mailbox created or kept disabled (a suspended user): said next to the action. */}
                            {!change.enabled && change.action !== 'disable' ? (
                              <Badge color="gray" variant="outline">
                                disabled
                              </Badge>
                            ) : null}
                          </Group>
                        </Table.Td>
                        <Table.Td>{change.primaryAddress}</Table.Td>
                        <Table.Td>{change.displayName}</Table.Td>
                        <Table.Td>{change.secondaryAddresses.join(', ')}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            ) : null}
            {result.errors.length > 0 ? (
              <Alert color="orange" title="Entries that cannot be applied" role="alert">
                <Stack gap={4}>
                  {result.errors.map((error) => (
                    <Text size="sm" key={error.entry}>
                      <b>{error.entry}</b>: {error.message}
                    </Text>
                  ))}
                </Stack>
              </Alert>
            ) : null}
          </>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          {committed === null ? (
            <Button
              disabled={!run.data || run.isPending}
              loading={run.isPending}
              onClick={() => mutate({ dryRun: false, disableMissing })}
            >
              Sync now
            </Button>
          ) : null}
        </Group>
      </Stack>
    </Modal>
  );
}
