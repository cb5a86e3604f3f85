import { Injectable } from '@nestjs/common';
import { AuditRepository } from '../../db/repositories';
import type { AuditPageDto, AuditQueryDto } from '../dtos/audit.dto';

@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  /** The audit log, newest first. */
  async list(query: AuditQueryDto): Promise<AuditPageDto> {
    const rows = await this.audit.list({ ...query, before: query.cursor, limit: query.limit + 1 });
    const items = rows.slice(0, query.limit);
    return { items, nextCursor: rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
  }
}
