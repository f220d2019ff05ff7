import { spawn } from 'node:child_process';

/** What a raw protocol client (the fakes' ceilings: lib/graph-raw-client.ts, lib/ews-raw-client.ts) prints. */
export interface RawClientResult {
  readonly messages: number;
  readonly bytes: number;
  readonly seconds: number;
  readonly cpuSeconds: number;
}

/**
 * Runs a raw client in a process of its own (so its CPU is measured apart from the fake in the
 * bench process and from the worker), its job as a JSON argument, and returns its JSON result.
 */
export function runRawClient(script: string, job: unknown, env: NodeJS.ProcessEnv): Promise<RawClientResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, JSON.stringify(job)], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.once('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as RawClientResult)
        : reject(new Error(`${script} exited ${code}`)),
    );
  });
}
