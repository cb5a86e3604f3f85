import { BigIntType, OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property, Unique } from '@mikro-orm/decorators/legacy';
import { randomUUID } from 'node:crypto';

@Entity({ tableName: 'products' })
export class Product {
  [OptionalProps]?: 'createdAt' | 'updatedAt' | 'reserved';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'text' })
  @Unique()
  sku!: string;

  @Property({ type: 'text' })
  name!: string;

  /** Minor units of `currency`. */
  @Property({ type: new BigIntType('number') })
  unitPrice!: number;

  @Property({ type: 'text', length: 3 })
  currency!: string;

  @Property({ type: 'integer' })
  stockOnHand!: number;

  @Property({ type: 'integer' })
  reserved: number = 0;

  @Property({ type: 'timestamptz' })
  createdAt: Date = new Date();

  @Property({ type: 'timestamptz', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
