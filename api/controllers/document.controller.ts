import { Body, Controller, Get, Param, Put, Query, Res, StreamableFile } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiProduces,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import type { DocumentKind } from '../documents/document.model';
import { DocumentQueryDto, SellerDto, SellerInputDto } from '../dtos/document.dto';
import { ErrorDto } from '../dtos/error.dto';
import type { RenderedDocument } from '../services/document.service';
import { DocumentService } from '../services/document.service';

/** HTML as a string; PDF as a file with its name. */
function send(response: Response, document: RenderedDocument): string | StreamableFile {
  if (typeof document.body === 'string') {
    response.type(document.contentType);
    return document.body;
  }
  return new StreamableFile(document.body, {
    type: document.contentType,
    disposition: `inline; filename="${document.filename}"`,
  });
}

@ApiTags('documents')
@Controller()
export class DocumentController {
  constructor(private readonly service: DocumentService) {}

  @Get('orders/:id/invoice')
  @ApiProduces('text/html', 'application/pdf')
  @ApiOkResponse({ description: "The invoice in the customer's language; its number is assigned once." })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The order is not processing yet; names the status.' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'PDF asked for and its font is missing.' })
  @Roles(...ANYONE)
  async invoice(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.service.render('invoice', id, query.format));
  }

  @Get('orders/:id/packing-slip')
  @ApiProduces('text/html', 'application/pdf')
  @ApiOkResponse({ description: 'What goes in the parcel, without prices.' })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The order is not processing yet; names the status.' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'PDF asked for and its font is missing.' })
  @Roles(...ANYONE)
  async packingSlip(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.service.render('packing-slip', id, query.format));
  }

  @Get('orders/:id/shipping-label')
  @ApiProduces('text/html', 'application/pdf')
  @ApiOkResponse({
    description: 'Recipient, address, carrier, tracking number and the order number as a Code 128 barcode.',
  })
  @ApiBadRequestResponse({ type: ErrorDto })
  @ApiNotFoundResponse({ type: ErrorDto })
  @ApiConflictResponse({ type: ErrorDto, description: 'The order is not processing yet; names the status.' })
  @ApiServiceUnavailableResponse({ type: ErrorDto, description: 'PDF asked for and its font is missing.' })
  @Roles(...ANYONE)
  async shippingLabel(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return send(res, await this.service.render('shipping-label' satisfies DocumentKind, id, query.format));
  }

  @Get('settings/seller')
  @ApiOkResponse({ type: SellerDto, description: 'Seller details and tax rate printed on documents.' })
  @Roles(...ANYONE)
  getSeller(): Promise<SellerDto> {
    return this.service.seller();
  }

  @Put('settings/seller')
  @ApiOkResponse({ type: SellerDto, description: 'Audited; invoices already issued keep their details.' })
  @ApiBadRequestResponse({ type: ErrorDto })
  @Roles(...MANAGERS)
  setSeller(@Body() dto: SellerInputDto, @CurrentActor() actor: Actor): Promise<SellerDto> {
    return this.service.setSeller(dto, actor);
  }
}
