import { Injectable } from '@nestjs/common';
import { DuplicateLocationError, LocationRepository, type StockLocation } from '../../db/repositories';
import type { Actor } from '../../domain/order';
import type { CreateLocationDto } from '../dtos/location.dto';
import { DomainError, invalidField } from '../errors/domain.error';

/** Stock locations (warehouses): `MAIN` from the start, more created by managers. */
@Injectable()
export class LocationService {
  constructor(private readonly locations: LocationRepository) {}

  async list(): Promise<{ items: StockLocation[] }> {
    return { items: await this.locations.list() };
  }

  /** The order of preference: every location's code, most preferred first. */
  async preference(): Promise<{ preference: string[] }> {
    return { preference: (await this.locations.list()).map((location) => location.code) };
  }

  /** Sets the order of preference; it must name every location exactly once (400 naming `preference`). */
  async setPreference(preference: string[], actor: Actor): Promise<{ preference: string[] }> {
    if (new Set(preference).size !== preference.length)
      throw invalidField('preference', 'names a location twice');
    if (!(await this.locations.setPreference(preference, actor))) {
      const known = (await this.locations.list()).map((location) => location.code);
      throw invalidField(
        'preference',
        `must name every location exactly once: ${known.join(', ')} (in any order)`,
      );
    }
    return { preference };
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
