import { describe, expect, it } from 'vitest';

import { RequestSlots } from './request-slots.js';

describe('RequestSlots', () => {
  it('lets `limit` holders in and queues the rest in arrival order', async () => {
    const slots = new RequestSlots(2);
    const first = await slots.acquire();
    const second = await slots.acquire();
    const order: number[] = [];
    const third = slots.acquire().then((release) => (order.push(3), release));
    const fourth = slots.acquire().then((release) => (order.push(4), release));
    expect(slots.inUse).toBe(2);
    first();
    first(); // a second release of the same holder frees nothing more
    (await third)();
    second();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(slots.inUse).toBe(0);
  });

  it('gives up waiting when the task is aborted', async () => {
    const slots = new RequestSlots(1);
    const held = await slots.acquire();
    const controller = new AbortController();
    const waiting = slots.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    held();
    expect(slots.inUse).toBe(0);
  });
});
