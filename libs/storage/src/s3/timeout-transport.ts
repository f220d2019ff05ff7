import type * as http from 'node:http';

/** The part of `node:http` / `node:https` the minio client calls (its `transport` option). */
export type HttpTransport = Pick<typeof http, 'request'>;

/**
 * minio sets no timeout on its requests, so a stalled S3 endpoint would hang a put or a download
 * for ever. This wraps the transport so that a socket idle for `idleTimeoutMs` (no bytes either
 * way) destroys the request with an error; it is an idle timeout, not a total one, so a large part
 * or a long download on a slow but live link still completes.
 */
export function idleTimeoutTransport(base: HttpTransport, idleTimeoutMs: number): HttpTransport {
  const request = (...args: unknown[]): http.ClientRequest => {
    const req = (base.request as (...a: unknown[]) => http.ClientRequest)(...args);
    req.setTimeout(idleTimeoutMs, () => {
      req.destroy(new Error(`S3 request idle for ${idleTimeoutMs} ms (${req.method} ${req.path})`));
    });
    return req;
  };
  return { request };
}
