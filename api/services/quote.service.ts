import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { AppConfig } from '../../config/config';
import { quoteIdOfToken, quoteUrl } from '../../config/quote-link';
import { trackingKey } from '../../config/tracking-link';
import {
  CustomerRepository,
  LoginThrottleRepository,
  EscalationRepository,
  OrderRepository,
  ProductRepository,
  QuoteRepository,
  type Quote,
} from '../../db/repositories';
import type { Actor } from '../../domain/order';
import { priceLines } from '../../domain/order.pricing';
import { quoteAllows, type QuoteAction } from '../../domain/quote';
import { CreateQuoteDto, ListQuotesQueryDto, QuoteDto, QuotePublicDto } from '../dtos/quote.dto';
import { DomainError, invalidField, notFound } from '../errors/domain.error';
import { renderQuoteMail } from '../quotes/quote.mail';
import { renderQuotePage } from '../quotes/quote.page';
import { OrderService } from './order.service';
import { TRACKING_THROTTLE } from './tracking.service';
import { TEMPORAL_REQUEST_DEADLINE_MS } from '../temporal/temporal.module';
import { QUOTE_EXPIRY_WORKFLOW, quoteExpiryStart } from '../../workflows/quote.definitions';

/** An ISO 8601 date-time with its zone (`Z` or an offset): a quote's end is an instant, never a local time. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** The action is not allowed in the quote's status: 409 naming it. */
function quoteRefused(quote: Quote, action: QuoteAction): DomainError {
  return new DomainError(
    'invalid_state',
    `quote ${quote.number} is ${quote.status}; it cannot be ${action === 'send' ? 'sent' : `${action}ed`}`,
    { status: quote.status },
  );
}

/** Who answers a quote behind its link: the customer, named so in the audit trail. */
const customerActor = (quote: Quote): Actor => ({
  id: quote.customerId,
  username: `customer:${quote.customerId}`,
  roles: [],
});

/** The quote page's answer: its HTML or JSON view, with the status code. */
export interface QuotePageAnswer {
  status: 200 | 409;
  quote: QuotePublicDto;
  html: string;
  /** The refusal, when `status` is 409. */
  refusal: DomainError | null;
}

/**
 * Quotes (docs/quotes.md): made by staff from the catalogue's prices, e-mailed to the customer with a signed
 * link, answered there; an accepted quote becomes an order through the normal order path, exactly once.
 */
@Injectable()
export class QuoteService {
  private readonly key: string;

  constructor(
    private readonly config: AppConfig,
    private readonly quotes: QuoteRepository,
    private readonly customers: CustomerRepository,
    private readonly products: ProductRepository,
    private readonly orders: OrderRepository,
    private readonly escalation: EscalationRepository,
    private readonly orderService: OrderService,
    private readonly throttle: LoginThrottleRepository,
    private readonly temporal: Client,
  ) {
    this.key = trackingKey(config);
  }

  /** Prices the lines from the catalogue and stores the quote as a draft; refuses bad input before writing. */
  async create(dto: CreateQuoteDto, actor: Actor, now = new Date()): Promise<QuoteDto> {
    const customer = await this.customers.findById(dto.customerId);
    if (!customer)
      throw invalidField('customerId', `names an unknown customer ${JSON.stringify(dto.customerId)}`);
    const priced = priceLines(dto.lines, await this.products.findBySkus(dto.lines.map((line) => line.sku)));
    if (!priced.ok) throw invalidField(priced.field, priced.problem);
    if (!DATE_TIME.test(dto.validUntil) || Number.isNaN(Date.parse(dto.validUntil)))
      throw invalidField(
        'validUntil',
        'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-31T16:00:00Z',
      );
    const validUntil = new Date(dto.validUntil);
    if (validUntil.getTime() <= now.getTime()) throw invalidField('validUntil', 'is not in the future');
    const quote = await this.quotes.create(
      {
        id: randomUUID(),
        customerId: customer.id,
        currency: priced.currency,
        lines: priced.lines,
        total: priced.total,
        validUntil,
        notes: dto.notes ?? null,
      },
      actor,
      now,
    );
    return QuoteDto.from(quote);
  }

  /** Newest first, by status (as read now) and customer. */
  async list(query: ListQuotesQueryDto): Promise<QuoteDto[]> {
    const quotes = await this.quotes.list({
      status: query.status,
      customerId: query.customerId,
      limit: query.limit,
    });
    return quotes.map((quote) => QuoteDto.from(quote));
  }

  async get(id: string): Promise<QuoteDto> {
    return QuoteDto.from(await this.found(id));
  }

  /**
   * E-mails the customer the quote with its signed link (through the outbox) and marks it sent; a sent quote
   * may be sent again (the same link). 409 once it is answered or expired. The quote's timer
   * (`quoteExpiryWorkflow`, id `quote:<id>`) starts before the change commits, once per quote however often
   * it is sent; if Temporal cannot be reached nothing is written and sending again retries it.
   */
  async send(id: string, actor: Actor): Promise<QuoteDto> {
    const quote = await this.found(id);
    const customer = await this.customers.findById(quote.customerId);
    if (!customer?.email) throw new DomainError('invalid_state', 'the customer has no e-mail address', {});
    const { timeZone } = await this.escalation.calendar();
    const url = quoteUrl(this.config.tracking, this.key, quote.id);
    const result = await this.quotes.send(
      id,
      (current) => quoteAllows('send', current.status),
      (current) => ({
        address: customer.email,
        ...renderQuoteMail(current, { name: customer.name, language: customer.language }, url, timeZone),
      }),
      actor,
      (sent) => this.startTimer(sent),
    );
    if (!result) throw notFound('quote', id);
    if (!result.sent) throw quoteRefused(result.quote, 'send');
    return QuoteDto.from(result.quote);
  }

  /** Starts the quote's expiry timer, or finds it running (a quote sent again). */
  private async startTimer(quote: Quote): Promise<void> {
    await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
      this.temporal.workflow.start(
        QUOTE_EXPIRY_WORKFLOW,
        quoteExpiryStart(this.config.temporal.taskQueue, {
          quoteId: quote.id,
          validUntil: quote.validUntil.toISOString(),
        }),
      ),
    );
  }

  /**
   * Runs the answer to a quote link seen from an address, with link guessing slowed as on the tracking page,
   * in one budget with it (ten wrong links free, then a doubling wait): a link that names no quote counts, and
   * while the address waits even a right link is refused (429), so the answer never tells a guess was right.
   */
  async fromAddress<T>(address: string, work: () => Promise<T>): Promise<T> {
    const key = `tracking-address:${address}`;
    if (await this.throttle.isWaiting(key)) throw throttled();
    try {
      return await work();
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'not_found') {
        if (!(await this.throttle.admit(key, TRACKING_THROTTLE))) throw throttled();
      }
      throw error;
    }
  }

  /** The customer's page for a link: the quote in their language, with Accept and Decline while it is sent. */
  async page(token: string): Promise<QuotePageAnswer> {
    return this.answer(token, await this.byToken(token), null);
  }

  /**
   * The customer accepts: with the quote's row locked, the order is created through the normal order path
   * (`OrderService.create`, source `quote`, the quote's id as its `externalRef`, so its id is derived from the
   * quote) at the quoted prices, and the quote marked accepted with the order's id. Accepting again, or
   * racing, answers the one order; after `validUntil` the answer is 409 `expired`.
   */
  async accept(token: string): Promise<QuotePageAnswer> {
    const id = this.idOf(token);
    const outcome = await this.quotes.whileLocked(id, async (quote, writes) => {
      if (quote.status === 'accepted') return { quote, refusal: null };
      if (!quoteAllows('accept', quote.status)) {
        if (quote.status === 'expired') await writes.expired();
        return { quote, refusal: quoteRefused(quote, 'accept') };
      }
      const { order } = await this.orderService.create(
        {
          customerId: quote.customerId,
          lines: quote.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          ...(quote.notes === null ? {} : { notes: quote.notes }),
          externalRef: quote.id,
        },
        quote.createdBy,
        undefined,
        'quote',
        { lines: quote.lines, currency: quote.currency, total: quote.total },
      );
      return { quote: await writes.accepted(order.id, customerActor(quote)), refusal: null };
    });
    if (!outcome) throw this.unknownLink();
    return this.answer(token, outcome.quote, outcome.refusal);
  }

  /** The customer declines a sent quote; 409 once it is answered or expired. */
  async decline(token: string): Promise<QuotePageAnswer> {
    const id = this.idOf(token);
    const outcome = await this.quotes.whileLocked(id, async (quote, writes) => {
      if (!quoteAllows('decline', quote.status)) {
        if (quote.status === 'expired') await writes.expired();
        return { quote, refusal: quoteRefused(quote, 'decline') };
      }
      return { quote: await writes.declined(customerActor(quote)), refusal: null };
    });
    if (!outcome) throw this.unknownLink();
    return this.answer(token, outcome.quote, outcome.refusal);
  }

  private async answer(token: string, quote: Quote, refusal: DomainError | null): Promise<QuotePageAnswer> {
    const customer = await this.customers.findById(quote.customerId);
    const { timeZone } = await this.escalation.calendar();
    const order = quote.orderId ? await this.orders.findById(quote.orderId) : null;
    const orderNumber = order?.snapshot.number ?? null;
    return {
      status: refusal ? 409 : 200,
      quote: QuotePublicDto.from(quote, orderNumber),
      html: renderQuotePage(quote, {
        language: customer?.language ?? 'zh-CN',
        timeZone,
        token,
        orderNumber,
      }),
      refusal,
    };
  }

  private async found(id: string): Promise<Quote> {
    const quote = await this.quotes.findById(id);
    if (!quote) throw notFound('quote', id);
    return quote;
  }

  private idOf(token: string): string {
    const id = quoteIdOfToken(this.key, token);
    if (id === null) throw this.unknownLink();
    return id;
  }

  private async byToken(token: string): Promise<Quote> {
    const quote = await this.quotes.findById(this.idOf(token));
    if (!quote) throw this.unknownLink();
    return quote;
  }

  private unknownLink(): DomainError {
    return new DomainError('not_found', 'this quote link is not valid');
  }
}

const throttled = () => new DomainError('throttled', 'too many attempts; wait a little and try again');
