import type { TaskTally } from '@mailkeep/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

@Injectable()
export class TaskTallyRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The rows a task wrote. Through the mailbox's index (ix_message_mailbox_sort): asked only for
   * tasks delivered more than once, so an index of its own on every insert would not pay.
   */
  async tally(tenantId: string, mailboxId: string, taskId: string): Promise<TaskTally> {
    const rows = await this.dataSource.query<{ messages: string; bytes: string }[]>(
      `SELECT count(*) AS messages, coalesce(sum(size), 0) AS bytes FROM catalog.message
        WHERE tenant_id = $1 AND mailbox_id = $2 AND task_id = $3`,
      [tenantId.toLowerCase(), mailboxId.toLowerCase(), taskId.toLowerCase()],
    );
    return { messages: Number(rows[0]?.messages ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
  }
}
