import { TaskAbortedError, type TaskContext } from '@mailkeep/connector-kit';

/**
 * Stops between folders and listing windows once the task is cancelled or the worker stops (C6);
 * `context.archive` does the same at each message.
 */
export function throwIfAborted(context: TaskContext): void {
  if (!context.signal.aborted) return;
  const reason: unknown = context.signal.reason;
  throw reason instanceof TaskAbortedError ? reason : new TaskAbortedError('shutdown');
}
