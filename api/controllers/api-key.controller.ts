import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { ApiKeyListDto, CreateApiKeyDto, CreatedApiKeyDto } from '../dtos/api-key.dto';
import { ApiErrors, ApiOp } from '../openapi/decorators';
import { ApiKeyService } from '../services/api-key.service';

@ApiTags('api-keys')
@Controller('api-keys')
@Roles(...ADMINS)
export class ApiKeyController {
  constructor(private readonly service: ApiKeyService) {}

  @Post()
  @ApiOp(
    'createApiKey',
    'Create an API key for a machine client',
    'The answer holds the key, shown this once; it is stored only as a hash. Send it as ' +
      '`Authorization: Bearer oms_…`; requests beyond the per-minute limit are answered 429 with `Retry-After`.',
  )
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  create(@Body() dto: CreateApiKeyDto, @CurrentActor() actor: Actor): Promise<CreatedApiKeyDto> {
    return this.service.create(dto, actor);
  }

  @Get()
  @ApiOp('listApiKeys', 'List API keys', 'Newest first, revoked ones too; never the keys themselves.')
  @ApiOkResponse({ type: ApiKeyListDto })
  async list(): Promise<ApiKeyListDto> {
    return { items: await this.service.list() };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOp('revokeApiKey', 'Revoke an API key', 'Its next request is refused (401).')
  @ApiNoContentResponse({ description: 'Revoked (or already revoked).' })
  @ApiErrors(404)
  revoke(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<void> {
    return this.service.revoke(id, actor);
  }
}
