import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Runs a bench script in its own process (so its CPU is its own), its argument a JSON job, and
 * resolves with the JSON it prints. The raw-client ceilings of the connector benchmarks use it.
 */
export function runJsonChild<T>(script: string, job: unknown, env: NodeJS.ProcessEnv): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(job)], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${script} exited ${code}`)),
    );
  });
}

/** One message of about `bytes` (a base64 body of random data): the workers' memory figure. */
export function largeMessage(bytes: number, subject: string): Buffer {
  const header = `From: big@bench.example\r\nTo: large@bench.example\r\nSubject: ${subject}\r\nMessage-ID: <${randomUUID()}@bench>\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n`;
  const line = `${randomBytes(57).toString('base64')}\r\n`;
  return Buffer.concat([Buffer.from(header), Buffer.from(line.repeat(Math.ceil(bytes / line.length)))]);
}
