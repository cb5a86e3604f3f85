import { ApiProperty } from '@nestjs/swagger';

export class BackupPartDto {
  @ApiProperty({ example: 'app.dump' }) file!: string;
  @ApiProperty({ enum: ['app', 'temporal', 'temporal_visibility'] }) role!: string;
  @ApiProperty({ enum: ['pg_dump', 'sqlite'] }) format!: string;
  @ApiProperty({ type: 'integer', example: 48213 }) bytes!: number;
  @ApiProperty({ example: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' })
  sha256!: string;
}

export class BackupDto {
  @ApiProperty({ example: 'oms-backup-20261126T030000Z-3fa85f64' }) id!: string;
  @ApiProperty({ description: 'Where the archive is on the server.' }) file!: string;
  @ApiProperty({ type: 'integer', example: 1048576 }) bytes!: number;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({
    example: 'api:admin',
    description: '`command`, `api:<username>` or `schedule:<workflow id>`.',
  })
  trigger!: string;
  @ApiProperty({ example: '0.1.0' }) appVersion!: string;
  @ApiProperty({ type: String, example: 'Migration20261126060000_escalation', nullable: true }) schema!:
    string | null;
  @ApiProperty({ example: '15.18' }) postgresVersion!: string;
  @ApiProperty({ enum: ['sqlite', 'postgres', 'none'], description: "How Temporal's state is included." })
  temporalPersistence!: string;
  @ApiProperty({ type: String, example: '1.29.1', nullable: true }) temporalVersion!: string | null;
  @ApiProperty({ type: [BackupPartDto] }) parts!: BackupPartDto[];
}

export class BackupListDto {
  @ApiProperty({ type: [BackupDto], description: 'Newest first.' }) items!: BackupDto[];
}
