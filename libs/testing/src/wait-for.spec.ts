import { describe, expect, it } from 'vitest';
import { waitFor, WaitForTimeoutError } from './wait-for.js';

describe('waitFor', () => {
  it('resolves with the first truthy value, polling until then', async () => {
    let calls = 0;
    const value = await waitFor(() => (++calls >= 3 ? { calls } : undefined), {
      description: 'the third call',
      intervalMs: 1,
    });
    expect(value).toEqual({ calls: 3 });
  });

  it('accepts async conditions and treats false as not yet', async () => {
    let calls = 0;
    const value = await waitFor(async () => Promise.resolve(++calls === 2 && 'ready'), {
      description: 'ready',
      intervalMs: 1,
    });
    expect(value).toBe('ready');
  });

  it('rejects naming what was awaited when the deadline passes', async () => {
    await expect(
      waitFor(() => false, { description: 'the moon to turn blue', timeoutMs: 30, intervalMs: 5 }),
    ).rejects.toThrow(/Timed out after 30 ms .* waiting for the moon to turn blue/);
  });

  it('retries a throwing condition and keeps the last error as cause', async () => {
    const failure = waitFor(
      () => {
        throw new Error('connection refused');
      },
      { description: 'a connection', timeoutMs: 30, intervalMs: 5 },
    );
    const error: unknown = await failure.catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WaitForTimeoutError);
    expect((error as Error).message).toContain('last error: Error: connection refused');
    expect((error as Error).cause).toEqual(new Error('connection refused'));
  });

  it('keeps to its deadline even when the condition never settles', async () => {
    const started = Date.now();
    await expect(
      waitFor(() => new Promise<boolean>(() => undefined), { description: 'a hung check', timeoutMs: 50 }),
    ).rejects.toThrow(WaitForTimeoutError);
    // Generous upper bound: the point is that it returns instead of hanging until vitest's timeout.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
