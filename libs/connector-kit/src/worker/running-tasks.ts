import { TaskAbortedError } from '../policy/policy.js';

/**
 * The tasks running in this process, so that a cancellation reaches them: of one task
 * (`ConnectorWorker.cancel`) or of every task of a run (the run-cancellations watch).
 */
export class RunningTasks {
  private readonly byTaskId = new Map<string, { runId: string; controller: AbortController }>();

  /** Registers a task until `remove`; `controller` is aborted when it is cancelled. */
  add(task: { taskId: string; runId: string }, controller: AbortController): void {
    this.byTaskId.set(task.taskId, { runId: task.runId, controller });
  }

  remove(taskId: string): void {
    this.byTaskId.delete(taskId);
  }

  /** False when the task is not running here. */
  cancel(taskId: string): boolean {
    const running = this.byTaskId.get(taskId);
    if (running) cancelTask(running.controller);
    return running !== undefined;
  }

  cancelRun(runId: string): void {
    for (const running of this.byTaskId.values()) if (running.runId === runId) cancelTask(running.controller);
  }
}

/** Stops a task at its next message; it ends `cancelled`. */
export function cancelTask(controller: AbortController): void {
  controller.abort(new TaskAbortedError('cancelled'));
}
