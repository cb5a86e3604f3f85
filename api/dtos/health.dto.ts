import { ApiProperty } from '@nestjs/swagger';

const CHECK = { enum: ['ok', 'down'] };

export class HealthChecksDto {
  @ApiProperty(CHECK) database!: 'ok' | 'down';
  @ApiProperty(CHECK) temporal!: 'ok' | 'down';
  @ApiProperty({ ...CHECK, description: 'The database listener behind /api/events.' }) events!: 'ok' | 'down';
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: HealthChecksDto }) checks!: HealthChecksDto;
}

export class ReadinessDto extends HealthDto {
  @ApiProperty({ description: 'The process has begun to shut down: it takes nothing new.' })
  draining!: boolean;
}

export class LivenessDto {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}
