import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';
import type { Language } from '../../domain/people';

@Entity({ tableName: 'customers' })
export class Customer {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'phone' | 'address' | 'creditLimit' | 'language';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  name!: string;

  @Property({ type: 'text' })
  email!: string;

  @Property({ type: 'text', nullable: true })
  phone: string | null = null;

  @Property({ type: 'text', nullable: true })
  address: string | null = null;

  /** The most the built-in payment gateway may hold for this customer (minor units); null means no limit. */
  @Property({ type: new BigIntType('number'), nullable: true })
  creditLimit: number | null = null;

  /** The language of the customer's e-mails. */
  @Property({ type: 'text' })
  language: Language = 'zh-CN';

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
