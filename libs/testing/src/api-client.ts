/** A JSON answer of the REST API: its status and parsed body (undefined when empty). */
export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** One call of the platform's REST API (`/api/v1` + path) with a bearer key and a JSON body. */
export async function callApi<T = Record<string, unknown>>(
  baseUrl: string,
  key: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<ApiAnswer<T>> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

/** A tenant created by the operator, with an admin key of its own: where most e2e tests start. */
export async function createTenantWithAdmin(
  baseUrl: string,
  operatorKey: string,
  name: string,
): Promise<{ tenantId: string; adminKey: string }> {
  const tenant = await callApi<{ id: string }>(baseUrl, operatorKey, 'POST', '/tenants', { name });
  if (tenant.status !== 201)
    throw new Error(`tenant not created: ${tenant.status} ${JSON.stringify(tenant.body)}`);
  const key = await callApi<{ key: string }>(
    baseUrl,
    operatorKey,
    'POST',
    `/tenants/${tenant.body.id}/api-keys`,
    {
      name: 'admin',
      role: 'admin',
    },
  );
  if (key.status !== 201) throw new Error(`admin key not created: ${key.status} ${JSON.stringify(key.body)}`);
  return { tenantId: tenant.body.id, adminKey: key.body.key };
}
