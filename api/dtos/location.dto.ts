import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { MultiLine } from '../errors/input-boundary';

export class CreateLocationDto {
  @ApiProperty({
    example: 'EAST',
    description:
      'Capital letters, digits, dash and underscore, up to 32; unique; `MAIN` exists from the start.',
  })
  @IsString()
  @Matches(/^[A-Z0-9][A-Z0-9_-]{0,31}$/, {
    message: 'code must be 1-32 capital letters, digits, dashes or underscores',
  })
  code!: string;

  @ApiProperty({ example: 'East warehouse, Hangzhou' })
  @IsString()
  @Length(1, 200)
  @MultiLine()
  name!: string;
}

/** A stock location (warehouse). */
export class LocationDto {
  @ApiProperty({ example: 'MAIN' }) code!: string;
  @ApiProperty({ example: 'Main warehouse' }) name!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class LocationListDto {
  @ApiProperty({ type: [LocationDto], description: '`MAIN` first, then by code.' }) items!: LocationDto[];
}
