import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, Roles } from '../auth/roles.decorator';
import { CreateViewDto, ViewDto, ViewListDto } from '../dtos/view.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { ViewService } from '../services/view.service';

@ApiTags('views')
@Controller('views')
export class ViewController {
  constructor(private readonly service: ViewService) {}

  @Get()
  @ApiOp('listViews', 'The caller’s saved board filters')
  @ApiOkResponse({ type: ViewListDto })
  @Roles(...ANYONE)
  list(@CurrentActor() actor: Actor): Promise<ViewListDto> {
    return this.service.list(actor);
  }

  @Post()
  @HttpCode(201)
  @ApiOp('createView', 'Save the board’s filters under a name', 'Visible to the caller only.')
  @ApiCreatedResponse({ type: ViewDto })
  @ApiErrors([409, 'The caller already has a view of that name, or keeps as many views as one may (50).'])
  @Roles(...ANYONE)
  create(@Body() dto: CreateViewDto, @CurrentActor() actor: Actor): Promise<ViewDto> {
    return this.service.create(dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOp('deleteView', 'Delete one of the caller’s views')
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrors([404, 'The caller has no view of that id (another person’s views are not theirs to see).'])
  @Roles(...ANYONE)
  delete(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.service.delete(id, actor);
  }
}
