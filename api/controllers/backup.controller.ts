import { Controller, Get, Post } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ADMINS, Roles } from '../auth/roles.decorator';
import { BackupDto, BackupListDto } from '../dtos/backup.dto';
import { ErrorDto } from '../dtos/error.dto';
import { BackupService } from '../services/backup.service';

@ApiTags('operations')
@Controller('backups')
export class BackupController {
  constructor(private readonly service: BackupService) {}

  @Get()
  @ApiOkResponse({ type: BackupListDto, description: 'The archives in OMS_BACKUP_DIR, newest first.' })
  @Roles(...ADMINS)
  list(): Promise<BackupListDto> {
    return this.service.list();
  }

  @Post()
  @ApiCreatedResponse({
    type: BackupDto,
    description: "Writes an archive of the application database and Temporal's state now.",
  })
  @ApiConflictResponse({ type: ErrorDto, description: 'Another backup is being written.' })
  @ApiServiceUnavailableResponse({
    type: ErrorDto,
    description: 'pg_dump or sqlite3 failed; the message says why.',
  })
  @Roles(...ADMINS)
  create(@CurrentActor() actor: Actor): Promise<BackupDto> {
    return this.service.create(actor);
  }
}
