import { describe, expect, it } from 'vitest';

import { MessageWindow } from './message-window.js';

/** A promise the test resolves or rejects by hand. */
function deferred() {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

describe('MessageWindow', () => {
  it('starts work in call order and never has more than the limit in flight', async () => {
    const window = new MessageWindow(2);
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred()];
    let peak = 0;
    const adding = (async () => {
      for (const [index, gate] of gates.entries()) {
        await window.add(async () => {
          started.push(index);
          peak = Math.max(peak, window.size + 1);
          await gate.promise;
        });
      }
    })();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]); // the third waits for a place
    gates[1]?.resolve(); // finishing out of order frees a place
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.resolve();
    gates[2]?.resolve();
    await adding;
    await window.drain();
    expect(window.size).toBe(0);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('stops at the first failure: add rethrows it, drain waits for the rest and rethrows it', async () => {
    const window = new MessageWindow(3);
    const slow = deferred();
    let slowFinished = false;
    await window.add(async () => {
      await slow.promise;
      slowFinished = true;
    });
    await window.add(() => Promise.reject(new Error('connection lost')));
    await new Promise((resolve) => setImmediate(resolve));
    await expect(window.add(() => Promise.resolve())).rejects.toThrow('connection lost');
    const drained = window.drain();
    slow.resolve();
    await expect(drained).rejects.toThrow('connection lost');
    expect(slowFinished).toBe(true);
  });

  it('settle waits for work in flight without throwing', async () => {
    const window = new MessageWindow(2);
    await window.add(() => Promise.reject(new Error('boom')));
    await expect(window.settle()).resolves.toBeUndefined();
  });

  it('refuses a limit below one', () => {
    expect(() => new MessageWindow(0)).toThrow(RangeError);
  });
});
