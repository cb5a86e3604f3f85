import { BigIntType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { Actor } from '../../domain/order';

/** One version of the approval thresholds; the newest row is in force. Rows are never changed. */
@Entity({ tableName: 'approval_settings' })
export class ApprovalSetting {
  @PrimaryKey({ type: 'integer', autoincrement: true })
  version!: number;

  @Property({ type: new BigIntType('number') })
  autoApproveBelow!: number;

  @Property({ type: new BigIntType('number') })
  staffApprovalLimit!: number;

  @Property({ type: 'text' })
  currency!: string;

  @Property({ type: 'jsonb' })
  changedBy!: Actor;

  @Property({ type: 'timestamptz' })
  changedAt: Date = new Date();
}
