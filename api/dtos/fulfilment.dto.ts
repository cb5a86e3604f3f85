import { ApiProperty } from '@nestjs/swagger';
import { LocationDto } from './location.dto';

/** One line of an order at one stock location. */
export class LineAtLocationDto {
  @ApiProperty({ example: 'MAIN' }) location!: string;
  @ApiProperty({ type: 'integer', description: 'Units of this line that left from this location.' })
  shipped!: number;
  @ApiProperty({
    type: 'integer',
    description:
      "Units of this line reserved for the order that would leave from this location now (as `ship` sends: the first location in the managers' order of preference that holds everything ready, else line by line).",
  })
  ready!: number;
  @ApiProperty({ type: 'integer', description: "The product's units at this location." }) onHand!: number;
  @ApiProperty({
    type: 'integer',
    description:
      "The product's units at this location that no order has reserved (see `GET /api/products/:id`).",
  })
  available!: number;
}

/** One line of an order being fulfilled. */
export class LineFulfilmentDto {
  @ApiProperty() sku!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: 'integer' }) quantity!: number;
  @ApiProperty({ type: 'integer' }) shippedQuantity!: number;
  @ApiProperty({ type: 'integer', description: 'Reserved and not shipped yet: ready to ship.' })
  reservedQuantity!: number;
  @ApiProperty({
    type: 'integer',
    description:
      'Not shipped and not reserved: waiting for stock (0 once the order is cancelled or rejected).',
  })
  waitingQuantity!: number;
  @ApiProperty({
    type: [LineAtLocationDto],
    description: "Every location, in the managers' order of preference.",
  })
  locations!: LineAtLocationDto[];
}

/** Shipped, ready and waiting units of an order, per line and per stock location (issue 24). */
export class OrderFulfilmentDto {
  @ApiProperty({ format: 'uuid' }) orderId!: string;
  @ApiProperty({
    type: [LocationDto],
    description: "The stock locations in the managers' order of preference: where a shipment may leave from.",
  })
  locations!: LocationDto[];
  @ApiProperty({ type: [LineFulfilmentDto] }) lines!: LineFulfilmentDto[];
}
