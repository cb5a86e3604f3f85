import { Injectable } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { AppConfig } from '../../config/config';
import {
  CustomerRepository,
  DocumentRepository,
  EscalationRepository,
  OrderRepository,
  type StoredSeller,
} from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { isInvoiceable } from '../../domain/order.state';
import { shipmentsOf } from '../../domain/shipment.rules';
import { barcodeDataUrl, barcodePng } from '../documents/barcode';
import { documentModel, type DocumentKind } from '../documents/document.model';
import { renderDocumentPdf } from '../documents/document.pdf';
import { renderDocumentHtml } from '../documents/document.templates';
import { HeavyWork } from './heavy-work';
import type { SellerInputDto } from '../dtos/document.dto';
import { DomainError, invalidState, notFound } from '../errors/domain.error';

export interface RenderedDocument {
  contentType: string;
  filename: string;
  body: string | Buffer;
}

/** Invoices, packing slips and shipping labels as HTML or PDF, and the seller settings they print. */
@Injectable()
export class DocumentService {
  constructor(
    private readonly config: AppConfig,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly documents: DocumentRepository,
    private readonly escalation: EscalationRepository,
    private readonly heavy: HeavyWork,
  ) {}

  /**
   * The document of an order in its customer's language. Only reads: the invoice's number was issued as the
   * order started processing (`DocumentRepository.issueInvoice`), never by a request. A document of an order
   * before `processing`, or cancelled or rejected without an invoice already issued, is a 409 naming the
   * status; so is the invoice of an order that has no number (yet).
   */
  render(
    kind: DocumentKind,
    orderId: string,
    format: 'html' | 'pdf',
    shipmentId?: string,
  ): Promise<RenderedDocument> {
    const render = () => this.compose(kind, orderId, format, shipmentId);
    // A PDF takes a processor while it renders: within the process's limit (503 with Retry-After beyond it).
    return format === 'pdf' ? this.heavy.run(render) : render();
  }

  private async compose(
    kind: DocumentKind,
    orderId: string,
    format: 'html' | 'pdf',
    shipmentId?: string,
  ): Promise<RenderedDocument> {
    const order = await this.orders.findById(orderId);
    if (!order) throw notFound('order', orderId);
    const snapshot = order.snapshot;
    // A shipment of another order is as unknown here as one that does not exist.
    const shipment =
      shipmentId === undefined ? undefined : shipmentsOf(snapshot).find((s) => s.id === shipmentId);
    if (shipmentId !== undefined && !shipment) throw notFound('shipment', shipmentId);
    const issued = kind === 'invoice' ? await this.documents.findInvoice(snapshot.orderId) : null;
    // A shipment that left has its documents whatever became of the rest of the order (cancelled after it).
    // From `processing` on an order has something to invoice, pack and ship.
    if (!issued && !shipment && !isInvoiceable(snapshot.status)) {
      throw invalidState(
        `${kind === 'invoice' ? 'an' : 'a'} ${kind.replace('-', ' ')} exists once the order is processing; this order is ${snapshot.status}`,
        snapshot.status,
        snapshot.awaiting,
      );
    }
    // Numbered as it moved into processing; an order that an older release moved there gets its number with
    // its next move (or from the upgrade's migration), never from a read.
    if (kind === 'invoice' && !issued) {
      throw invalidState(
        `this order's invoice has no number yet: it is numbered as the order moves (this order is ${snapshot.status}); try again shortly`,
        snapshot.status,
        snapshot.awaiting,
      );
    }
    if (format === 'pdf' && !existsSync(this.config.documents.pdfFont)) {
      throw new DomainError(
        'unavailable',
        `PDF needs a font with Chinese glyphs at ${this.config.documents.pdfFont} (OMS_PDF_FONT); HTML works without it`,
      );
    }
    const customer = await this.customers.findById(snapshot.customerId);
    if (!customer) throw new Error(`order ${snapshot.orderId} names a missing customer`);
    const model = documentModel({
      kind,
      order: snapshot,
      customer: {
        name: customer.name,
        email: customer.email,
        phone: customer.phone ?? null,
        address: customer.address ?? null,
        language: customer.language,
      },
      seller: await this.documents.seller(),
      invoice: issued,
      timeZone: (await this.escalation.calendar()).timeZone,
      ...(shipment ? { shipment } : {}),
    });
    const parcel = shipment ? `-${shipmentsOf(snapshot).indexOf(shipment) + 1}` : '';
    const filename = `${model.invoice?.number ?? snapshot.number}-${kind}${parcel}`;
    if (format === 'html') {
      return {
        contentType: 'text/html; charset=utf-8',
        filename: `${filename}.html`,
        body: renderDocumentHtml(model, barcodeDataUrl(snapshot.number)),
      };
    }
    const pdf = await renderDocumentPdf(model, await barcodePng(snapshot.number), {
      path: this.config.documents.pdfFont,
      family: this.config.documents.pdfFontFace,
    });
    return { contentType: 'application/pdf', filename: `${filename}.pdf`, body: pdf };
  }

  /** The seller details and tax rate printed on documents. */
  seller(): Promise<StoredSeller> {
    return this.documents.seller();
  }

  /** Replaces the seller details; invoices already issued keep the details they were issued with. */
  setSeller(dto: SellerInputDto, actor: Actor): Promise<StoredSeller> {
    return this.documents.setSeller(
      {
        name: dto.name,
        address: dto.address,
        taxId: dto.taxId,
        phone: dto.phone ?? null,
        email: dto.email ?? null,
        taxRateBp: dto.taxRateBp,
      },
      actor,
    );
  }
}
