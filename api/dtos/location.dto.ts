import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Length, Matches } from 'class-validator';
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
  @ApiProperty({
    type: [LocationDto],
    description: "In the managers' order of preference (`GET /api/settings/locations`).",
  })
  items!: LocationDto[];
}

/** The order in which locations send and are counted against (issue 24). */
export class LocationPreferenceDto {
  @ApiProperty({
    type: [String],
    example: ['MAIN', 'EAST'],
    description:
      "Every location's code once, most preferred first: `ship` sends everything ready from the first that holds it all (otherwise from each in this order), and a product's reserved units are counted against them in this order. `MAIN` first, then by code, until a manager sets it; a new location goes last.",
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Length(1, 32, { each: true })
  preference!: string[];
}
