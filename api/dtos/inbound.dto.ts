import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

export class MailAttachmentDto {
  @ApiProperty({ example: 'order.xlsx' }) name!: string;
  @ApiProperty({ type: 'integer', description: 'Bytes.' }) size!: number;
  @ApiProperty({
    example: 'application/pdf',
    description: 'When kept, the type it is served with; otherwise as the e-mail declared it.',
  })
  type!: string;
  @ApiProperty({
    description:
      'Whether its bytes are kept: downloadable by its position in `attachments` (from 0). Only images ' +
      '(PNG, JPEG, GIF, WebP), PDF, CSV, XLSX and plain text within the size limit are kept.',
  })
  kept!: boolean;
  @ApiPropertyOptional({
    example: 'larger than the 5 MB kept per attachment',
    description: 'Why it was not kept (its type, its size, or content that is not its type).',
  })
  refused?: string;
}

export class OrderMessageDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: ['in', 'out'], description: '`in`: from the customer; `out`: staff to the customer.' })
  direction!: 'in' | 'out';
  @ApiProperty({ example: 'Li Wei <li.wei@example.com>' }) from!: string;
  @ApiProperty() to!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'Plain text only: HTML mail is converted to text, never shown as HTML.' })
  text!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({
    type: [MailAttachmentDto],
    description: 'What was attached; the kept ones are downloaded from `…/attachments/:n`.',
  })
  attachments!: MailAttachmentDto[];
  @ApiProperty({
    description: 'Written by a machine (an auto-reply, a bounce): never answered automatically.',
  })
  automatic!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: "The receiving server's Authentication-Results, as it said them: shown, not trusted.",
  })
  authentication!: string | null;
}

export class OrderMessagesDto {
  @ApiProperty({ type: [OrderMessageDto], description: 'Oldest first.' }) items!: OrderMessageDto[];
}

export class SendOrderMessageDto {
  @ApiProperty({ example: 'We have changed the address; the parcel leaves tomorrow.', maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  text!: string;
}

export class InboundQueryDto {
  @ApiPropertyOptional({ enum: ['open'], description: 'Only `open`: the messages waiting for staff.' })
  @IsOptional()
  @IsIn(['open'], { message: 'status must be open' })
  status?: 'open';
}

export class InboundItemDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() from!: string;
  @ApiProperty() subject!: string;
  @ApiProperty({ description: 'Plain text only.' }) text!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'The customer with the sender’s address, if any.' })
  customerId?: string;
  @ApiProperty({ enum: ['feedback', 'order'], nullable: true, description: 'A guess from its words.' })
  suggestion!: 'feedback' | 'order' | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Why it could not be read as sent (over 10 MB, malformed): only what could be read is shown.',
  })
  problem!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Authentication-Results as received.' })
  authentication!: string | null;
  @ApiProperty({ type: [MailAttachmentDto] }) attachments!: MailAttachmentDto[];
}

export class FiledInboundDto extends InboundItemDto {
  @ApiPropertyOptional({
    format: 'uuid',
    description:
      'For `order-draft`: the uncommitted import made from the message (`GET /api/imports/:id`); it becomes ' +
      'an order only when staff commit it (`POST /api/imports/:id/commit`).',
  })
  importId?: string;
}

export class InboundListDto {
  @ApiProperty({ type: [InboundItemDto], description: 'Oldest first.' }) items!: InboundItemDto[];
}

export class FileInboundDto {
  @ApiProperty({
    enum: ['feedback', 'order-draft', 'message'],
    description:
      '`feedback`: into the feedback list (channel `email`); `message`: onto the order `orderId`; ' +
      '`order-draft`: an uncommitted import, answered as `importId`: from the first kept CSV or XLSX ' +
      'attachment when there is one (read as an upload to `POST /api/imports/orders`), else for the ' +
      'sender’s customer from the order lines recognised in the text (a SKU of the catalogue with a ' +
      'quantity, such as `TEA-001 x 2`).',
  })
  @IsIn(['feedback', 'order-draft', 'message'], { message: 'as must be feedback, order-draft or message' })
  as!: 'feedback' | 'order-draft' | 'message';

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Required for `message`; for `feedback`, what it is about.',
  })
  @IsOptional()
  @IsUUID('all', { message: 'orderId must be a UUID' })
  orderId?: string;
}
