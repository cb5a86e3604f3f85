import { ApiProperty } from '@nestjs/swagger';
import type { ImportResult, ImportStatus, StoredImport } from '../../db/repositories';

/** At most this many problems are answered (the first ones, by row); `errorCount` says how many there are. */
export const LISTED_IMPORT_ERRORS = 1000;

export class ImportErrorDto {
  @ApiProperty({
    type: 'integer',
    example: 3,
    description: 'The row as the spreadsheet numbers it (header: 1).',
  })
  row!: number;
  @ApiProperty({
    example: 'quantity',
    description: 'The column: externalRef, customer, sku, quantity or notes.',
  })
  field!: string;
  @ApiProperty({ example: 'must be a whole number, not "two"' }) message!: string;
}

export class ImportResultDto {
  @ApiProperty({ example: 'SHOP-1001' }) externalRef!: string;
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) orderId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: 'SO-2026-000123' }) number!: string | null;
  @ApiProperty({
    description: 'False when an order with this reference already existed (nothing was created).',
  })
  created!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the order could not be created (the catalogue or customer changed since the preview).',
  })
  error!: string | null;
}

const STATUSES: ImportStatus[] = ['previewed', 'committing', 'committed'];

export class ImportDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({
    enum: STATUSES,
    description: '`previewed`: nothing written yet; `committing`: orders being created; `committed`: done.',
  })
  status!: ImportStatus;
  @ApiProperty({ example: 'orders.csv' }) fileName!: string;
  @ApiProperty({ type: 'integer', description: 'Order lines (non-empty rows under the header).' })
  rows!: number;
  @ApiProperty({
    type: 'integer',
    description: 'Rows of orders that will be created: an order with any problem row is left out whole.',
  })
  valid!: number;
  @ApiProperty({
    type: [ImportErrorDto],
    description: `Each problem (the first ${LISTED_IMPORT_ERRORS}, by row).`,
  })
  errors!: ImportErrorDto[];
  @ApiProperty({ type: 'integer', description: 'How many problems there are in all.' }) errorCount!: number;
  @ApiProperty({ type: 'integer', description: 'Orders the commit creates (valid references).' })
  orders!: number;
  @ApiProperty({ type: 'integer', description: 'Orders the commit has handled so far.' }) processed!: number;
  @ApiProperty({ type: [ImportResultDto], description: 'What became of each order handled so far.' })
  results!: ImportResultDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) committedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) finishedAt!: string | null;

  static from(stored: StoredImport): ImportDto {
    const results: ImportResult[] = stored.results;
    return {
      id: stored.id,
      status: stored.status,
      fileName: stored.fileName,
      rows: stored.rows,
      valid: stored.valid,
      errors: stored.errors.slice(0, LISTED_IMPORT_ERRORS),
      errorCount: stored.errors.length,
      orders: stored.orders.length,
      processed: results.length,
      results,
      createdAt: stored.createdAt.toISOString(),
      committedAt: stored.committedAt?.toISOString() ?? null,
      finishedAt: stored.finishedAt?.toISOString() ?? null,
    };
  }
}
