import { Injectable } from '@nestjs/common';
import type { Actor } from '../../domain/order';
import { ViewRepository } from '../../db/repositories';
import type { CreateViewDto, ViewDto, ViewListDto } from '../dtos/view.dto';
import { DomainError, notFound } from '../errors/domain.error';

/** The most views one person may keep. */
export const MAX_VIEWS_PER_USER = 50;

/** Saved board filters, each private to the person who saved it. */
@Injectable()
export class ViewService {
  constructor(private readonly views: ViewRepository) {}

  async list(actor: Actor): Promise<ViewListDto> {
    return { items: await this.views.list(actor.id) };
  }

  async create(dto: CreateViewDto, actor: Actor): Promise<ViewDto> {
    // Only the filters that are set: the board reads absent ones as "any".
    const filters = Object.fromEntries(
      Object.entries(dto.filters).filter(([, value]) => value !== undefined),
    );
    const saved = await this.views.create(actor.id, dto.name, filters, MAX_VIEWS_PER_USER);
    if (saved === 'duplicate')
      throw new DomainError('duplicate', `you already have a view named ${JSON.stringify(dto.name)}`, {
        field: 'name',
      });
    if (saved === 'full')
      throw new DomainError(
        'invalid_state',
        `you already keep ${MAX_VIEWS_PER_USER} views; delete one first`,
      );
    return saved;
  }

  async delete(id: string, actor: Actor): Promise<void> {
    if (!(await this.views.delete(actor.id, id))) throw notFound('view', id);
  }
}
