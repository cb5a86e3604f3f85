import { Body, Controller, Get, Post, Put } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { MANAGERS, Roles } from '../auth/roles.decorator';
import { CreateLocationDto, LocationDto, LocationListDto, LocationPreferenceDto } from '../dtos/location.dto';
import { LocationService } from '../services/location.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('locations')
@Controller()
export class LocationController {
  constructor(private readonly service: LocationService) {}

  @Get('locations')
  @ApiOp('listLocations', 'List stock locations', "In the managers' order of preference.")
  @ApiOkResponse({ type: LocationListDto })
  @Roles(...MANAGERS)
  list(): Promise<LocationListDto> {
    return this.service.list();
  }

  @Get('settings/locations')
  @ApiOp('getLocationPreference', 'Read the order of preference among stock locations')
  @ApiOkResponse({ type: LocationPreferenceDto })
  @Roles(...MANAGERS)
  preference(): Promise<LocationPreferenceDto> {
    return this.service.preference();
  }

  @Put('settings/locations')
  @ApiOp(
    'setLocationPreference',
    'Set the order of preference among stock locations',
    'Where `ship` sends from first, and against which location reserved units are counted first; audited (`settings.locations_changed`).',
  )
  @ApiOkResponse({ type: LocationPreferenceDto })
  @ApiErrors([400, 'Not every location exactly once; names `preference`.'])
  @Roles(...MANAGERS)
  setPreference(
    @Body() dto: LocationPreferenceDto,
    @CurrentActor() actor: Actor,
  ): Promise<LocationPreferenceDto> {
    return this.service.setPreference(dto.preference, actor);
  }

  @Post('locations')
  @ApiOp('createLocation', 'Create a stock location', 'Holds nothing until stock is moved to it; audited.')
  @ApiCreatedResponse({ type: LocationDto })
  @ApiErrors([409, 'The code is taken.'])
  @Roles(...MANAGERS)
  create(@Body() dto: CreateLocationDto, @CurrentActor() actor: Actor): Promise<LocationDto> {
    return this.service.create(dto, actor);
  }
}
