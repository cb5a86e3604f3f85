import { applyDecorators, Body, Controller, Get, Param, Put, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../../domain/order';
import { CurrentActor } from '../auth/actor.decorator';
import { ANYONE, MANAGERS, Roles } from '../auth/roles.decorator';
import type { DocumentKind } from '../documents/document.model';
import { DocumentQueryDto, SellerDto, SellerInputDto } from '../dtos/document.dto';
import { sendDocument } from '../documents/send-document';
import { DocumentService } from '../services/document.service';
import { ApiBusy, ApiErrors, ApiOp, ApiHtmlOrPdf } from '../openapi/decorators';

const PdfBusy = () => ApiBusy('A PDF was asked for and its font is missing (or a dependency is down).');

/** An order's printable documents exist once it is processing; a PDF needs its font. */
const DocumentErrors = () =>
  applyDecorators(
    ApiErrors(404, [409, 'The order is not processing yet; the message names its status.']),
    PdfBusy(),
  );

@ApiTags('documents')
@Controller()
export class DocumentController {
  constructor(private readonly service: DocumentService) {}

  @Get('orders/:id/invoice')
  @ApiOp('getInvoice', "An order's invoice")
  @ApiHtmlOrPdf(
    "The invoice in the customer's language, with the gap-free number it was given as the order started processing (reading it never issues one).",
  )
  @ApiErrors(404, [
    409,
    'The order is not processing yet, or its invoice has no number yet (an order an older release moved into processing, until its next move); the message names its status.',
  ])
  @PdfBusy()
  @Roles(...ANYONE)
  async invoice(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendDocument(res, await this.service.render('invoice', id, query.format));
  }

  @Get('orders/:id/packing-slip')
  @ApiOp('getPackingSlip', "An order's packing slip")
  @ApiHtmlOrPdf('What goes in the parcel, without prices.')
  @DocumentErrors()
  @Roles(...ANYONE)
  async packingSlip(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendDocument(res, await this.service.render('packing-slip', id, query.format));
  }

  @Get('orders/:id/shipping-label')
  @ApiOp('getShippingLabel', "An order's shipping label")
  @ApiHtmlOrPdf('Recipient, address, carrier, tracking number and the order number as a Code 128 barcode.')
  @DocumentErrors()
  @Roles(...ANYONE)
  async shippingLabel(
    @Param('id') id: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendDocument(
      res,
      await this.service.render('shipping-label' satisfies DocumentKind, id, query.format),
    );
  }

  @Get('orders/:id/shipments/:shipmentId/packing-slip')
  @ApiOp('getShipmentPackingSlip', "One shipment's packing slip")
  @ApiHtmlOrPdf("What goes in that shipment's parcel (its lines only), without prices.")
  @ApiErrors([404, 'No such order, or no such shipment of this order.'])
  @PdfBusy()
  @Roles(...ANYONE)
  async shipmentPackingSlip(
    @Param('id') id: string,
    @Param('shipmentId') shipmentId: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendDocument(res, await this.service.render('packing-slip', id, query.format, shipmentId));
  }

  @Get('orders/:id/shipments/:shipmentId/shipping-label')
  @ApiOp('getShipmentShippingLabel', "One shipment's shipping label")
  @ApiHtmlOrPdf(
    "Recipient, address, that shipment's carrier and tracking number, the order number as a Code 128 barcode.",
  )
  @ApiErrors([404, 'No such order, or no such shipment of this order.'])
  @PdfBusy()
  @Roles(...ANYONE)
  async shipmentShippingLabel(
    @Param('id') id: string,
    @Param('shipmentId') shipmentId: string,
    @Query() query: DocumentQueryDto,
    @Res({ passthrough: true }) res: Response,
  ) {
    return sendDocument(res, await this.service.render('shipping-label', id, query.format, shipmentId));
  }

  @Get('settings/seller')
  @ApiOp('getSellerSettings', 'Read the seller details printed on documents')
  @ApiOkResponse({ type: SellerDto, description: 'Seller details and tax rate printed on documents.' })
  @Roles(...ANYONE)
  getSeller(): Promise<SellerDto> {
    return this.service.seller();
  }

  @Put('settings/seller')
  @ApiOp('setSellerSettings', 'Change the seller details printed on documents')
  @ApiOkResponse({ type: SellerDto, description: 'Audited; invoices already issued keep their details.' })
  @Roles(...MANAGERS)
  setSeller(@Body() dto: SellerInputDto, @CurrentActor() actor: Actor): Promise<SellerDto> {
    return this.service.setSeller(dto, actor);
  }
}
