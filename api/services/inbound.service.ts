import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import {
  CustomerRepository,
  InboundRepository,
  ProductRepository,
  type InboundItem,
  type StoredAttachment,
} from '../../db/repositories';
import { SPREADSHEET_TYPES } from '../../domain/inbound-attachments';
import { orderLineCandidates, recognisedOrderLines } from '../../domain/inbound-mail';
import { MAX_IMPORT_BYTES, type ImportRow } from '../../domain/order-import';
import type { Actor } from '../../domain/order';
import type { FileInboundDto, InboundListDto, OrderMessageDto, OrderMessagesDto } from '../dtos/inbound.dto';
import { DomainError, invalidField, notFound } from '../errors/domain.error';
import { ImportService } from './import.service';
import { OrderService } from './order.service';

/** How many open messages the list shows at once, oldest first: staff work them down. */
const OPEN_LIST_LIMIT = 200;

/** Mail that comes in (docs/inbound-mail.md): the orders' conversations and the messages nobody matched. */
@Injectable()
export class InboundService {
  constructor(
    private readonly inbound: InboundRepository,
    private readonly customers: CustomerRepository,
    private readonly orders: OrderService,
    private readonly products: ProductRepository,
    private readonly imports: ImportService,
    private readonly config: AppConfig,
  ) {}

  /** The order's conversation with its customer, oldest first (404 for an order the viewer cannot see). */
  async conversation(orderId: string, viewer: Actor): Promise<OrderMessagesDto> {
    await this.orders.get(orderId, viewer);
    return { items: await this.inbound.conversation(orderId) };
  }

  /** E-mails the order's customer, threaded on the conversation so their answer comes back to it. */
  async send(orderId: string, text: string, actor: Actor): Promise<OrderMessageDto> {
    const order = await this.orders.get(orderId, actor);
    const customer = await this.customers.findById(order.customerId);
    if (!customer?.email) throw new DomainError('invalid_state', 'the customer has no e-mail address', {});
    return this.inbound.sendToCustomer(
      { id: order.id, number: order.number, customerId: customer.id, customerEmail: customer.email },
      text,
      this.config.notifications.mailFrom,
      actor,
      this.config.notifications.messageIdDomain,
    );
  }

  /** The messages waiting for staff. */
  async open(): Promise<InboundListDto> {
    return { items: await this.inbound.open(OPEN_LIST_LIMIT) };
  }

  /** Files an open message as feedback, onto an order, or as an order draft (an import preview). */
  async file(id: string, dto: FileInboundDto, actor: Actor): Promise<InboundItem & { importId?: string }> {
    if (dto.as === 'order-draft') return this.draft(id, actor);
    if (dto.as === 'message' && dto.orderId === undefined)
      throw invalidField('orderId', 'is required to file a message onto an order');
    if (dto.orderId !== undefined) await this.orders.get(dto.orderId, actor);
    return this.settle(id, dto.as, actor, dto.orderId ?? null);
  }

  /** A kept attachment of an incoming message (404 when unknown or refused). */
  async attachment(id: string, n: number): Promise<StoredAttachment> {
    const found = await this.inbound.attachment(id, n);
    if (!found) throw notFound('attachment', `${id}/${n}`);
    return found;
  }

  /** A kept attachment of a message on an order the viewer can see (404 otherwise). */
  async orderAttachment(
    orderId: string,
    messageId: string,
    n: number,
    viewer: Actor,
  ): Promise<StoredAttachment> {
    await this.orders.get(orderId, viewer);
    const found = await this.inbound.attachment(messageId, n, orderId);
    if (!found) throw notFound('attachment', `${messageId}/${n}`);
    return found;
  }

  /** Closes an open message without filing it anywhere (spam, a thank-you). */
  async close(id: string, actor: Actor): Promise<InboundItem> {
    return this.settle(id, 'closed', actor, null);
  }

  /**
   * Makes an open message an order draft: the order lines recognised in its text (products of the catalogue
   * with a quantity) become an import preview for the sender's customer, through the same checks as an
   * uploaded file; staff commit it (`POST /api/imports/:id/commit`), never this. The message's lines are the
   * preview's rows, so a problem names the line of the e-mail it is on.
   */
  private async draft(id: string, actor: Actor): Promise<InboundItem & { importId: string }> {
    const message = await this.inbound.findIncoming(id);
    if (!message) throw notFound('inbound message', id);
    if (message.status !== 'open') throw notOpen(message.status);
    const spreadsheet = message.attachments.findIndex(
      (a) => a.kept && SPREADSHEET_TYPES.includes(a.type as (typeof SPREADSHEET_TYPES)[number]),
    );
    const preview =
      spreadsheet >= 0
        ? await this.draftFromAttachment(id, spreadsheet, actor)
        : await this.draftFromText(message, actor);
    // Filed by someone else meanwhile: the preview stays uncommitted and creates nothing.
    const filed = await this.inbound.file(id, 'order-draft', actor, null, preview.id);
    if (!filed) throw notOpen((await this.inbound.findIncoming(id))?.status ?? 'gone');
    return { ...filed, importId: preview.id };
  }

  /**
   * An attached CSV or XLSX file read as an upload to `POST /api/imports/orders` is (the same parser, checks
   * and limits): its columns name the customer, so the sender's address plays no part.
   */
  private async draftFromAttachment(id: string, n: number, actor: Actor): Promise<{ id: string }> {
    const file = await this.attachment(id, n);
    if (file.bytes.length > MAX_IMPORT_BYTES)
      throw new DomainError(
        'invalid_input',
        `the attached ${file.name} is larger than the ${MAX_IMPORT_BYTES / 1024 / 1024} MB an import takes`,
        { field: 'attachments' },
      );
    return this.imports.previewFile(
      { originalname: file.name, size: file.bytes.length, buffer: file.bytes },
      actor,
    );
  }

  /** The order lines recognised in the message's text, as the rows of an import. */
  private async draftFromText(
    message: InboundItem & { fromAddress: string },
    actor: Actor,
  ): Promise<{ id: string }> {
    const candidates = orderLineCandidates(message.text);
    const catalogue = await this.products.skusIgnoringCase(candidates.map((line) => line.sku));
    // As written, else the one SKU spelled so in another case (two such SKUs: neither is guessed).
    const known = (sku: string) => {
      const spellings = catalogue.get(sku.toLowerCase()) ?? [];
      return spellings.includes(sku) ? sku : spellings.length === 1 ? spellings[0] : undefined;
    };
    const lines = recognisedOrderLines(candidates, known);
    if (lines.length === 0)
      throw new DomainError(
        'invalid_state',
        'no order lines were recognised in the message: a product of the catalogue with a quantity, ' +
          'such as "TEA-001 x 2", one or more per line; file it another way or answer the customer',
        {},
      );
    // The reference makes committing idempotent: one message, one order, however often it is committed.
    const externalRef = `email-${message.id}`;
    // The import refuses control characters in a cell; a subject may carry a tab.
    const notes = Array.from(`E-mail from ${message.fromAddress}: ${message.subject}`, (c) =>
      c < ' ' || c === '\u007f' ? ' ' : c,
    )
      .join('')
      .slice(0, 2000);
    const rows: ImportRow[] = lines.map((line, index) => ({
      row: line.line,
      cells: {
        externalRef,
        customer: message.customerId ?? message.fromAddress,
        sku: line.sku,
        quantity: String(line.quantity),
        notes: index === 0 ? notes : '',
      },
    }));
    return this.imports.previewRows(`e-mail ${message.subject}`.slice(0, 200), rows, actor);
  }

  private async settle(
    id: string,
    as: 'feedback' | 'message' | 'closed',
    actor: Actor,
    orderId: string | null,
  ): Promise<InboundItem> {
    const done = await this.inbound.file(id, as, actor, orderId);
    if (done) return done;
    const current = await this.inbound.findIncoming(id);
    if (!current) throw notFound('inbound message', id);
    throw notOpen(current.status);
  }
}

function notOpen(status: string): DomainError {
  return new DomainError('invalid_state', `the message is ${status}, not open`, { status });
}
