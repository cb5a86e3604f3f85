import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AssigneeDto } from './order.dto';

/** The one body of every error answer (`api/errors/http-exception.filter.ts`), with the details some carry. */
export class ErrorDto {
  @ApiProperty({ type: 'integer', minimum: 400, maximum: 599, example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict' }) error!: string;
  @ApiProperty({ example: 'cannot ship an order that is created (awaiting approval)' }) message!: string;
  @ApiPropertyOptional({ description: 'The field of the request that was wrong.', example: 'lines.0.sku' })
  field?: string;
  @ApiPropertyOptional({ description: 'The current status of the order (or delivery, or quote) on a 409.' })
  status?: string;
  @ApiPropertyOptional({ type: String, nullable: true, description: 'What the order waits for, on a 409.' })
  awaiting?: string | null;
  @ApiPropertyOptional({ type: 'integer', description: 'Stock refused: the stock on hand now.' })
  stockOnHand?: number;
  @ApiPropertyOptional({
    type: 'integer',
    description: 'Stock refused: the units reserved now (at `location`, when the answer names one).',
  })
  reserved?: number;
  @ApiPropertyOptional({
    description: 'Stock refused at one location: its code (orders hold units reserved there).',
    example: 'EAST',
  })
  location?: string;
  @ApiPropertyOptional({ type: 'integer', description: 'Stock refused: on hand minus reserved.' })
  available?: number;
  @ApiPropertyOptional({
    type: AssigneeDto,
    nullable: true,
    description: 'Who holds the order, when a claim, unclaim or assignment was refused because of it.',
  })
  assignee?: AssigneeDto | null;
}
