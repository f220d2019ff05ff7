import { spawn } from 'node:child_process';

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
