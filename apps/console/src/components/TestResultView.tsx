import { Alert, Badge, Code, Group, ScrollArea, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';

import type { Schemas } from '../api/client';
import { formatDuration } from '../lib/format';
import { IconAlert, IconCheck } from './icons';

export type TestResult = Schemas['TestConnectionResultDto'];

/** The error categories of P11, said plainly. */
const CATEGORY_LABELS: Record<string, string> = {
  dns: 'The server name could not be resolved (DNS).',
  network: 'The server could not be reached over the network.',
  tls: 'The secure connection (TLS) failed, e.g. an untrusted certificate.',
  authentication: 'The server rejected the credentials.',
  authorization: 'The credentials are valid but not allowed to read this mailbox.',
  throttled: 'The mail service is throttling requests. Try again later.',
  timeout: 'The server did not answer in time.',
  protocol: 'The server answered in a way that was not expected.',
  configuration: 'The profile’s configuration does not work with this server.',
};

const STEP_COLORS: Record<string, string> = { ok: 'green', failed: 'red', skipped: 'gray' };

/**
 * A test-connection result (SPEC §5): the verdict with the error category and the server's own
 * message, each step with its duration, and the transcript. Shared by the profile and the
 * directory-service tests.
 */
export function TestResultView({ result, success }: { result: TestResult; success: ReactNode }) {
  return (
    <>
      {result.success ? (
        <Alert color="green" icon={<IconCheck />} title="Connection succeeded" role="status">
          {success}
        </Alert>
      ) : (
        <Alert color="red" icon={<IconAlert />} title="Connection failed" role="alert">
          <Stack gap={6}>
            {result.error ? (
              <>
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    Error category:
                  </Text>
                  <Badge color="red" variant="light" data-testid="error-category">
                    {result.error.category}
                  </Badge>
                </Group>
                <Text size="sm">{CATEGORY_LABELS[result.error.category] ?? ''}</Text>
                <Text size="sm">{result.error.message}</Text>
                {result.error.serverMessage ? (
                  <Text size="sm">
                    Server message: <Code>{result.error.serverMessage}</Code>
                  </Text>
                ) : null}
              </>
            ) : null}
          </Stack>
        </Alert>
      )}
      <Table.ScrollContainer minWidth={520}>
        <Table aria-label="Steps" verticalSpacing={4} fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Step</Table.Th>
              <Table.Th>Result</Table.Th>
              <Table.Th>Duration</Table.Th>
              <Table.Th>Detail</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {result.steps.map((step) => (
              <Table.Tr key={step.name}>
                <Table.Td>{step.name}</Table.Td>
                <Table.Td>
                  <Text size="sm" fw={600} c={STEP_COLORS[step.status] ?? 'gray'}>
                    {step.status}
                  </Text>
                </Table.Td>
                <Table.Td>{formatDuration(step.durationMs)}</Table.Td>
                <Table.Td>{step.detail}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <div>
        <Text size="sm" fw={600} mb={4} id="transcript-label">
          Transcript
        </Text>
        <ScrollArea.Autosize mah={220} type="auto">
          <Code block aria-labelledby="transcript-label">
            {result.transcript}
          </Code>
        </ScrollArea.Autosize>
      </div>
    </>
  );
}
