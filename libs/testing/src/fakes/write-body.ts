import type { ServerResponse } from 'node:http';

/**
 * Writes one piece of a large response body the way a real server does: when the socket's buffer
 * is full it waits for the client to read (`drain`) before going on, so a fake serving a 150 MB
 * message holds a few chunks in memory, not the whole body queued at once. Resolves false when
 * the client went away (the rest need not be written).
 */
export async function writeBodyChunk(response: ServerResponse, chunk: Buffer | string): Promise<boolean> {
  if (!response.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = (): void => {
        response.off('drain', done);
        response.off('close', done);
        resolve();
      };
      response.on('drain', done);
      response.on('close', done);
    });
  }
  return !response.destroyed;
}
