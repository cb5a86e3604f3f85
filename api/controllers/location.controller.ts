import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { CreateLocationDto, LocationDto, LocationListDto } from '../dtos/location.dto';
import { LocationService } from '../services/location.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('locations')
@Controller('locations')
export class LocationController {
  constructor(private readonly service: LocationService) {}

  @Get()
  @ApiOp('listLocations', 'List stock locations', '`MAIN` first, then by code.')
  @ApiOkResponse({ type: LocationListDto })
  @Roles(...MANAGERS)
  list(): Promise<LocationListDto> {
    return this.service.list();
  }

  @Post()
  @ApiOp('createLocation', 'Create a stock location', 'Holds nothing until stock is moved to it; audited.')
  @ApiCreatedResponse({ type: LocationDto })
  @ApiErrors([409, 'The code is taken.'])
  @Roles(...MANAGERS)
  create(@Body() dto: CreateLocationDto, @CurrentActor() actor: Actor): Promise<LocationDto> {
    return this.service.create(dto, actor);
  }
}
