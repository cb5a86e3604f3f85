import { Injectable } from '@nestjs/common';
import { DuplicateLocationError, LocationRepository, type StockLocation } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import type { CreateLocationDto } from '../dtos/location.dto';
import { DomainError } from '../errors/domain.error';

/** Stock locations (warehouses): `MAIN` from the start, more created by managers. */
@Injectable()
export class LocationService {
  constructor(private readonly locations: LocationRepository) {}

  async list(): Promise<{ items: StockLocation[] }> {
    return { items: await this.locations.list() };
  }

  /** A new location, holding nothing yet; a taken code is a 409. */
  async create(dto: CreateLocationDto, actor: Actor): Promise<StockLocation> {
    try {
      return await this.locations.create(dto.code, dto.name, actor);
    } catch (error) {
      if (error instanceof DuplicateLocationError) {
        throw new DomainError('duplicate', `location ${JSON.stringify(dto.code)} exists`, { field: 'code' });
      }
      throw error;
    }
  }
}
