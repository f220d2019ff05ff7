/**
 * Milliseconds a `Retry-After` header asks for, from `now`: delta-seconds or an HTTP-date (RFC
 * 9110 §10.2.3; Graph sends seconds, proxies in front of it may send dates). Undefined when the
 * header is absent or unreadable; never negative. Callers cap it with their own policy.
 */
export function retryAfterMs(
  headers: Pick<Headers, 'get'> | undefined,
  now = Date.now(),
): number | undefined {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
