import { Column } from 'typeorm';

/**
 * A row that belongs to one tenant (`tenant_id uuid NOT NULL`): every query of its table is
 * filtered by it, and the table's indexes lead with it. Entities extend this instead of declaring
 * the column each time; the column, its type and its name in the migrations stay the same.
 */
export abstract class TenantScoped {
  @Column({ type: 'uuid' })
  tenantId!: string;
}
