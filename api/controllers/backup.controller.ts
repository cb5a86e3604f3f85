import { Controller, Get, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { BackupDto, BackupListDto } from '../dtos/backup.dto';
import { BackupService } from '../services/backup.service';
import { ApiErrors, ApiOp } from '../openapi/decorators';

@ApiTags('operations')
@Controller('backups')
export class BackupController {
  constructor(private readonly service: BackupService) {}

  @Get()
  @ApiOp('listBackups', 'List backup archives')
  @ApiOkResponse({ type: BackupListDto, description: 'The archives in OMS_BACKUP_DIR, newest first.' })
  @Roles(...ADMINS)
  list(): Promise<BackupListDto> {
    return this.service.list();
  }

  @Post()
  @ApiOp('createBackup', 'Write a backup archive now')
  @ApiCreatedResponse({
    type: BackupDto,
    description: "Writes an archive of the application database and Temporal's state now.",
  })
  @ApiErrors(
    [409, 'Another backup is being written.'],
    [503, 'pg_dump or sqlite3 failed; the message says why.'],
  )
  @Roles(...ADMINS)
  create(@CurrentActor() actor: Actor): Promise<BackupDto> {
    return this.service.create(actor);
  }
}
