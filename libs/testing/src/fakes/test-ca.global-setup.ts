import { testCertificateAuthority } from './test-ca.js';

/**
 * vitest globalSetup: runs in the main process before any worker is forked. Node reads
 * `NODE_EXTRA_CA_CERTS` only when a process starts, so setting it here is what makes the forks
 * (and every child process they spawn, such as the platform's services) trust the HTTPS fakes.
 */
export default function setup(): void {
  process.env['NODE_EXTRA_CA_CERTS'] = testCertificateAuthority().caPath;
}
