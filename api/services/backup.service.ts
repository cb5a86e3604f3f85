import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { BackupError, backupSources, createBackup, listBackups, type BackupSummary } from '../../ops/backup';
import type { Actor } from '../../domain/order';
import type { BackupDto, BackupListDto } from '../dtos/backup.dto';
import { DomainError } from '../errors/domain.error';

function toDto({ id, file, bytes, manifest }: BackupSummary): BackupDto {
  return {
    id,
    file,
    bytes,
    createdAt: manifest.createdAt,
    trigger: manifest.trigger,
    appVersion: manifest.app.version,
    schema: manifest.app.schema,
    postgresVersion: manifest.postgres.server,
    temporalPersistence: manifest.temporal.persistence,
    temporalVersion: manifest.temporal.server,
    parts: manifest.parts,
  };
}

/** Backups on demand, one at a time per API process; restoring is an operator's command, never HTTP. */
@Injectable()
export class BackupService {
  private running: Promise<BackupDto> | null = null;

  constructor(
    private readonly config: AppConfig,
    private readonly temporal: Client,
  ) {}

  /** The archives in the backup folder, newest first. */
  async list(): Promise<BackupListDto> {
    return { items: (await listBackups(this.config.backup.dir)).map(toDto) };
  }

  /** Writes one archive now and answers it; 409 while another backup from this API is being written. */
  async create(actor: Actor): Promise<BackupDto> {
    if (this.running) throw new DomainError('invalid_state', 'a backup is already being written');
    this.running = this.write(actor);
    try {
      return await this.running;
    } finally {
      this.running = null;
    }
  }

  private async write(actor: Actor): Promise<BackupDto> {
    const system = await this.temporal.workflowService.getSystemInfo({}).catch(() => null);
    try {
      return toDto(
        await createBackup(backupSources(this.config), {
          trigger: `api:${actor.username}`,
          temporalServer: system?.serverVersion || null,
        }),
      );
    } catch (error) {
      if (error instanceof BackupError)
        throw new DomainError('unavailable', `backup failed: ${error.message}`);
      throw error;
    }
  }
}
