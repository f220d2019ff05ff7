import {
  Alert,
  Anchor,
  Button,
  Center,
  Paper,
  PasswordInput,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router';

import { ApiError, errorText, fetchOk } from '../api/problem';
import { IconAlert } from '../components/icons';
import { type Session, useSession } from './session';
import { tenantPath } from './tenant';

const TENANT_IN_PATH = /^\/t\/([^/]+)/;

/**
 * Finds out what the key may do: operators may list tenants; admin and auditor keys get 403 there
 * and may read only their own tenant, whose id the person enters (the key does not reveal it).
 */
async function probe(
  apiKey: string,
  tenantId: string,
): Promise<Session | { field: 'apiKey' | 'tenantId'; message: string }> {
  const headers = { Authorization: `Bearer ${apiKey}` };
  try {
    await fetchOk('/api/v1/tenants?limit=1', { headers });
    return { apiKey, operator: true };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 401)
      return { field: 'apiKey', message: 'This API key is not valid (or has been revoked).' };
    if (error.status !== 403) throw error;
  }
  if (!tenantId) {
    return {
      field: 'tenantId',
      message:
        'This key belongs to one tenant: enter that tenant’s ID (your operator gave it to you with the key).',
    };
  }
  try {
    await fetchOk(`/api/v1/tenants/${encodeURIComponent(tenantId)}`, { headers });
    return { apiKey, operator: false, tenantId: tenantId.toLowerCase() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      return { field: 'tenantId', message: 'This key does not belong to a tenant with this ID.' };
    }
    throw error;
  }
}

export function SignInPage() {
  const { session, signIn } = useSession();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const next = params.get('next') ?? '';
  const [apiKey, setApiKey] = useState('');
  const [tenantId, setTenantId] = useState(() => TENANT_IN_PATH.exec(next)?.[1] ?? '');
  const [fieldErrors, setFieldErrors] = useState<{ apiKey?: string; tenantId?: string }>({});
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);

  if (session) return <Navigate to={next || '/'} replace />;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setError(null);
    setFieldErrors({});
    try {
      const result = await probe(apiKey.trim(), tenantId.trim());
      if ('field' in result) {
        setFieldErrors({ [result.field]: result.message });
        return;
      }
      signIn(result);
      const target =
        next.startsWith('/') && !next.startsWith('//')
          ? next
          : result.tenantId
            ? tenantPath(result.tenantId, 'archiving-profiles')
            : tenantId
              ? tenantPath(tenantId.trim().toLowerCase(), 'archiving-profiles')
              : '/tenants';
      void navigate(target, { replace: true });
    } catch (failure) {
      setError(failure);
    } finally {
      setPending(false);
    }
  }

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper withBorder shadow="sm" p="xl" radius="md" w="100%" maw={440} component="main">
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Stack>
            <div>
              <Title order={1} size="h2">
                Mailkeep
              </Title>
              <Text c="dimmed" size="sm">
                Sign in with an API key.
              </Text>
            </div>
            <PasswordInput
              label="API key"
              required
              autoComplete="off"
              value={apiKey}
              onChange={(event) => setApiKey(event.currentTarget.value)}
              error={fieldErrors.apiKey}
              data-autofocus
            />
            <TextInput
              label="Tenant ID"
              description="Only for admin and auditor keys. Operators choose a tenant after signing in."
              value={tenantId}
              onChange={(event) => setTenantId(event.currentTarget.value)}
              error={fieldErrors.tenantId}
            />
            {error ? (
              <Alert color="red" icon={<IconAlert />} role="alert">
                {errorText(error)}
              </Alert>
            ) : null}
            <Button type="submit" loading={pending} disabled={!apiKey.trim()}>
              Sign in
            </Button>
            <Text size="xs" c="dimmed">
              The key is kept in this browser tab only and forgotten when the tab is closed. API
              documentation:{' '}
              <Anchor href="/api/docs" size="xs">
                /api/docs
              </Anchor>
            </Text>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
