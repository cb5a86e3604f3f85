import { inOrderTrace } from '../../ops/order-trace';
import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/config';
import { signCommand } from '../../config/command-signature';
import { commandKeys, type KeyRing } from '../../config/keys';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { createHash, randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { orderIdForExternalRef } from '../../db/order-ids';
import {
  AssignmentRepository,
  CustomerRepository,
  UserRepository,
  type Assignee,
  OrderRepository,
  ProductRepository,
  LocationRepository,
  SettingsRepository,
  type Page,
} from '../../db/repositories';
import {
  FAILURE,
  type Actor,
  type ActorInput,
  type EditInput,
  type OrderInput,
  type OrderShipment,
  type OrderSnapshot,
  type OrderSource,
  type OrderStatus,
  type RefusalDetails,
  type ShipmentLine,
} from '../../domain/order';
import {
  ORDER_AWAITING_KEY,
  ORDER_STATUS_KEY,
  approveUpdate,
  cancelUpdate,
  completeUpdate,
  editUpdate,
  orderQuery,
  orderWorkflowId,
  recordedUpdate,
  rejectUpdate,
  retryPaymentUpdate,
  shipPartUpdate,
  shipUpdate,
} from '../../workflows/order.definitions';
import { priceLines, type RequestedLine } from '../../domain/order.pricing';
import { isFinal, refusalOf } from '../../domain/order.state';
import {
  MAIN_LOCATION,
  editRefusal,
  fulfilmentOf,
  keepShippedPrices,
  type LocationHoldings,
  type LocationStock,
  linesToShip,
  planParcels,
  isShipmentOf,
  shipmentRefusal,
} from '../../domain/shipment.rules';
import type { orderWorkflow } from '../../workflows/order.workflow';
import { MANAGERS, OPERATORS } from '../../domain/people';
import type {
  AssignOrderDto,
  ApproveOrderDto,
  CreateOrderDto,
  CreateShipmentDto,
  EditOrderDto,
  ListOrdersQueryDto,
  ReasonDto,
  ShipOrderDto,
} from '../dtos/order.dto';
import type { OrderFulfilmentDto } from '../dtos/fulfilment.dto';
import { OrderDto, OrderShipmentDto, WorkflowLinkDto } from '../dtos/order.dto';
import { DomainError, invalidField, invalidState, notFound } from '../errors/domain.error';
import { TEMPORAL_REQUEST_DEADLINE_MS } from '../temporal/temporal.module';

function isManager(actor: Actor): boolean {
  return actor.roles.some((role) => (MANAGERS as readonly string[]).includes(role));
}

/** Someone else holds the order (or took it meanwhile): 409 naming them. */
function held(assignee: Assignee | null): DomainError {
  return new DomainError(
    'invalid_state',
    assignee ? `the order is held by ${assignee.username}` : 'the order changed hands meanwhile; try again',
    { assignee },
  );
}

/** The order an idempotent request maps to, and whether this request created it. */
export interface Created {
  order: OrderDto;
  created: boolean;
}

/** The namespace of order ids derived from Idempotency-Keys (a random UUID, fixed once). */
const IDEMPOTENT_ORDER_NAMESPACE = 'a1c0b7e2-5d3f-4c8a-9b61-2f4e8d7c6a10';

/** A stable order id for an Idempotency-Key: the same key always names the same order (and workflow). */
function orderIdForKey(key: string): string {
  return uuidv5(key, IDEMPOTENT_ORDER_NAMESPACE);
}

/** The namespace of shipment ids derived from an order and an Idempotency-Key (a random UUID, fixed once). */
const IDEMPOTENT_SHIPMENT_NAMESPACE = '6f2d8a41-93c5-4e7b-b0d9-1a5c7e3f8b24';

/**
 * The id the releases before 2026-12 derived from a key. A request repeated across the upgrade with a key
 * first sent before it must find the order it made; keys are repeated within minutes, so this lookup can go
 * once the release has run for a day.
 */
function earlierOrderIdForKey(key: string): string {
  const hex = createHash('sha256').update(`oms:order:${key}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 3) | 8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Where an order placed by this actor comes from, unless the caller says (an import, a quote). */
function sourceOf(actor: Actor): OrderSource {
  return actor.apiKey ? 'api' : 'console';
}

function requestHash(dto: CreateOrderDto): string {
  const canonical = {
    customerId: dto.customerId,
    lines: dto.lines.map(({ sku, quantity }) => [sku, quantity]),
    notes: dto.notes ?? null,
  };
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** How long an order action waits for its workflow (a worker) once Temporal has answered. */
const UPDATE_DEADLINE_MS = 60_000;

@Injectable()
export class OrderService {
  /** The keys staff actions are signed with, so that workers know they come from the API. */
  private readonly commandKeys: KeyRing;

  constructor(
    private readonly temporal: Client,
    private readonly assignments: AssignmentRepository,
    private readonly users: UserRepository,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly products: ProductRepository,
    private readonly settings: SettingsRepository,
    private readonly config: AppConfig,
    private readonly locations: LocationRepository,
  ) {
    this.commandKeys = commandKeys(config);
  }

  /**
   * Prices the order and starts its workflow (update-with-start), answering once the workflow has written
   * the order's row. The row is written only by the workflow, so a crash at any point leaves either nothing
   * or both. With an Idempotency-Key the order id comes from the key, so duplicates, even concurrent ones,
   * meet the same workflow; a different body under a used key is a 422. With an `externalRef` the id comes
   * from the reference and the source, and a reference already used answers its order as it is. `quoted`:
   * the lines as a quote priced them (an accepted quote keeps its prices), instead of today's catalogue.
   */
  async create(
    dto: CreateOrderDto,
    actor: Actor,
    idempotencyKey?: string,
    source: OrderSource = sourceOf(actor),
    quoted?: Pick<OrderInput, 'lines' | 'currency' | 'total'>,
  ): Promise<Created> {
    const externalRef = dto.externalRef ?? null;
    const hash = idempotencyKey === undefined ? null : requestHash(dto);
    // A reference names the order whatever the Idempotency-Key says: one order per reference and source.
    const orderId =
      externalRef !== null
        ? orderIdForExternalRef(source, externalRef)
        : idempotencyKey === undefined
          ? randomUUID()
          : orderIdForKey(idempotencyKey);
    const joins = hash !== null || externalRef !== null;
    if (externalRef !== null) {
      const existing = await this.orders.findById(orderId);
      if (existing) return { order: await this.view(existing.snapshot, actor), created: false };
    } else if (hash !== null) {
      const existing =
        (await this.orders.findById(orderId)) ??
        (await this.orders.findById(earlierOrderIdForKey(idempotencyKey!)));
      if (existing) return { order: await this.sameRequest(existing.snapshot, hash, actor), created: false };
    }
    const customer = await this.customers.findById(dto.customerId);
    if (!customer)
      throw invalidField('customerId', `names an unknown customer ${JSON.stringify(dto.customerId)}`);
    const priced = quoted ?? (await this.price(dto.lines));

    const input: OrderInput = {
      orderId,
      number: await this.orders.nextNumber(new Date()),
      customerId: customer.id,
      currency: priced.currency,
      lines: priced.lines,
      total: priced.total,
      notes: dto.notes ?? null,
      createdBy: actor,
      approvalRule: await this.settings.currentApprovalRule(),
      requestHash: hash,
      source,
      externalRef,
      ...(dto.allowPartial ? { allowPartial: true } : {}),
    };
    let snapshot: OrderSnapshot;
    try {
      // The order's trace starts here: its root span, with the order's id as the trace id.
      snapshot = await inOrderTrace(orderId, 'create', 'create', () =>
        this.awaitingWorkflow(() =>
          this.temporal.workflow.executeUpdateWithStart(recordedUpdate, {
            startWorkflowOperation: new WithStartWorkflowOperation<typeof orderWorkflow>('orderWorkflow', {
              workflowId: orderWorkflowId(orderId),
              taskQueue: this.config.temporal.taskQueue,
              args: [input],
              // A concurrent duplicate joins the running workflow; a finished one is never started again.
              workflowIdConflictPolicy: joins ? 'USE_EXISTING' : 'FAIL',
              workflowIdReusePolicy: 'REJECT_DUPLICATE',
              typedSearchAttributes: [
                { key: ORDER_STATUS_KEY, value: 'created' },
                { key: ORDER_AWAITING_KEY, value: 'approval' },
              ],
            }),
          }),
        ),
      );
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError) || !joins) throw error;
      const finished = await this.orders.findById(orderId);
      if (!finished) throw error;
      return { order: await this.joined(finished.snapshot, hash, externalRef, actor), created: false };
    }
    if (joins && snapshot.number !== input.number) {
      return { order: await this.joined(snapshot, hash, externalRef, actor), created: false };
    }
    // The manager's assignment rules may have given the new order to someone as its row was written.
    return { order: await this.view(snapshot, actor), created: true };
  }

  /** The order an earlier request made: by reference as it is, by Idempotency-Key only for the same body. */
  private joined(order: OrderSnapshot, hash: string | null, externalRef: string | null, actor: Actor) {
    return externalRef !== null || hash === null
      ? this.view(order, actor)
      : this.sameRequest(order, hash, actor);
  }

  private async sameRequest(order: OrderSnapshot, hash: string, actor: Actor): Promise<OrderDto> {
    if (order.requestHash !== hash) {
      throw new DomainError(
        'idempotency_mismatch',
        `this Idempotency-Key was already used for order ${order.number} with a different request body`,
      );
    }
    return this.view(order, actor);
  }

  /** The order's answer: the workflow's snapshot, who holds it, and what the viewer may do now. */
  async view(order: OrderSnapshot, viewer: Actor): Promise<OrderDto> {
    const assignees = await this.assignments.of([order.orderId]);
    return OrderDto.from(order, viewer, assignees.get(order.orderId) ?? null);
  }

  private async price(requested: RequestedLine[]) {
    const catalogue = await this.products.findBySkus(requested.map((line) => line.sku));
    const priced = priceLines(requested, catalogue);
    if (!priced.ok) throw invalidField(priced.field, priced.problem);
    return priced;
  }

  /** The order as mirrored in PostgreSQL, with what the viewer may do with it now. */
  async get(id: string, viewer: Actor): Promise<OrderDto> {
    return this.view(await this.snapshot(id), viewer);
  }

  /** Where the order's workflow is in the Temporal web UI (OMS_TEMPORAL_UI_URL), or null when unknown. */
  async workflowLink(id: string): Promise<WorkflowLinkDto> {
    const { orderId } = await this.snapshot(id);
    const workflowId = orderWorkflowId(orderId);
    const { uiUrl, namespace } = this.config.temporal;
    return {
      workflowId,
      url: uiUrl
        ? `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`
        : null,
    };
  }

  /**
   * The order's lines per stock location: what left from where, where the reserved units would leave from
   * now, and what each location holds of the products (the order page's fulfilment view, issue 24).
   */
  async fulfilment(id: string): Promise<OrderFulfilmentDto> {
    const order = await this.snapshot(id);
    const stock = new Map<string, LocationStock[]>();
    for (const { productId } of order.lines) {
      if (!stock.has(productId)) stock.set(productId, await this.locations.levels(productId));
    }
    return {
      orderId: order.orderId,
      locations: await this.locations.list(),
      lines: fulfilmentOf(order, stock, await this.locations.heldFor(order.orderId)),
    };
  }

  async snapshot(id: string): Promise<OrderSnapshot> {
    const order = await this.orders.findById(id);
    if (!order) throw notFound('order', id);
    return order.snapshot;
  }

  /** A page of orders, newest first. */
  async list(query: ListOrdersQueryDto, viewer: Actor): Promise<Page<OrderDto>> {
    if (query.createdFrom && query.createdTo && Date.parse(query.createdTo) < Date.parse(query.createdFrom))
      throw invalidField('createdTo', 'must not be before createdFrom');
    const { awaitingSinceFrom: sinceFrom, awaitingSinceTo: sinceTo } = query;
    if (sinceFrom && sinceTo && Date.parse(sinceTo) < Date.parse(sinceFrom))
      throw invalidField('awaitingSinceTo', 'must not be before awaitingSinceFrom');
    if (query.minTotal !== undefined && query.maxTotal !== undefined && query.maxTotal < query.minTotal)
      throw invalidField('maxTotal', 'must not be less than minTotal');
    const page = await this.orders.list(query);
    const assignees = await this.assignments.of(page.items.map((snapshot) => snapshot.orderId));
    return {
      items: page.items.map((snapshot) =>
        OrderDto.from(snapshot, viewer, assignees.get(snapshot.orderId) ?? null),
      ),
      nextCursor: page.nextCursor,
    };
  }

  /** Changes lines and notes before shipment; reservations, payment and approval follow in the workflow. */
  async edit(id: string, dto: EditOrderDto, actor: Actor): Promise<OrderDto> {
    const current = await this.snapshot(id);
    const edit: EditInput = { actor };
    if (dto.lines) {
      const priced = await this.price(dto.lines);
      if (priced.currency !== current.currency) {
        throw invalidField(
          'lines',
          `are priced in ${priced.currency} but the order is in ${current.currency}`,
        );
      }
      // Once part of the order has left, lines with shipped units keep their price and their shipped units.
      const kept = keepShippedPrices(current, priced.lines);
      if (!isFinal(current.status) && refusalOf(current, 'edit') === null) {
        const refusal = editRefusal(current, kept.lines);
        if (refusal) {
          throw new DomainError('invalid_state', refusal.message, {
            field: refusal.field,
            status: current.status,
            awaiting: current.awaiting,
          });
        }
      }
      Object.assign(edit, kept);
    }
    if (dto.notes !== undefined) edit.notes = dto.notes;
    return this.act(current, editUpdate, edit);
  }

  /** Approval by staff (up to the staff limit) or a manager. */
  async approve(id: string, dto: ApproveOrderDto, actor: Actor): Promise<OrderDto> {
    return this.act(await this.snapshot(id), approveUpdate, { actor, comment: dto.comment ?? null });
  }

  /** Final refusal of an order awaiting approval. */
  async reject(id: string, dto: ReasonDto, actor: Actor): Promise<OrderDto> {
    return this.act(await this.snapshot(id), rejectUpdate, { actor, reason: dto.reason });
  }

  /** Charges again after a failed payment. */
  async retryPayment(id: string, actor: Actor): Promise<OrderDto> {
    return this.act(await this.snapshot(id), retryPaymentUpdate, { actor });
  }

  /** Hands the order to a carrier. */
  async ship(id: string, dto: ShipOrderDto, actor: Actor): Promise<OrderDto> {
    // What is left leaves from the locations that hold it: the workflow plans the parcels and refuses (409,
    // `location`) when they do not hold it together, before any step. It alone can tell the units a lost
    // first run of this command already shipped (see `planParcels`), which the reservation no longer holds.
    const current = await this.snapshot(id);
    return this.act(current, shipUpdate, {
      actor,
      carrier: dto.carrier,
      trackingNumber: dto.trackingNumber,
    });
  }

  /**
   * Ships some units of some lines. Refused at once (nothing sent to the workflow) when the order as last
   * recorded cannot take it; the workflow checks again against the order as it is, and decides.
   */
  async createShipment(
    id: string,
    dto: CreateShipmentDto,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<{ shipment: OrderShipmentDto; created: boolean }> {
    const current = await this.snapshot(id);
    const lines = dto.lines.map(({ sku, quantity }) => ({ sku, quantity }));
    // With a key the shipment's id derives from it and the order: a repeated request finds the shipment it
    // made (the workflow, too, records a shipment id once, so concurrent repeats make one shipment).
    const shipmentId =
      idempotencyKey === undefined
        ? randomUUID()
        : uuidv5(`${current.orderId}\n${idempotencyKey}`, IDEMPOTENT_SHIPMENT_NAMESPACE);
    const earlier = current.shipments?.find((made) => made.id === shipmentId);
    if (earlier) {
      refuseOtherShipment(earlier, dto);
      if (await this.workflowRecords(current.orderId, shipmentId))
        return { shipment: OrderShipmentDto.from(earlier), created: false };
      // The row shows a shipment its workflow never recorded: the update's first run wrote it and was lost
      // (Temporal had not kept it), and its caller gave up. The repeat carries it to the workflow, whose step
      // finds the shipment written.
      const { shipment } = await this.sendShipment(current, actor, shipmentId, lines, earlier.location, dto);
      return { shipment, created: false };
    }
    const location =
      dto.location ?? (await this.oneLocationHolding(current.orderId, linesToShip(current, lines)));
    if (!(await this.locations.exists(location))) {
      throw invalidField('location', `${JSON.stringify(location)} is not a stock location`);
    }
    if (!isFinal(current.status) && refusalOf(current, 'ship') === null) {
      const refusal = shipmentRefusal(current, lines);
      if (refusal?.kind === 'input')
        throw new DomainError('invalid_input', refusal.message, { field: refusal.field });
      // Units the location does not hold would fail the workflow's step: answered here, nothing sent.
      const short = await this.locations.shortAt(current.orderId, location, linesToShip(current, lines));
      if (short.length > 0 && refusal === null) {
        throw new DomainError(
          'invalid_state',
          `location ${location} does not hold the units of ${short.join(', ')} to ship`,
          { field: 'location', status: current.status, awaiting: current.awaiting },
        );
      }
    }
    return this.sendShipment(current, actor, shipmentId, lines, location, dto);
  }

  private async sendShipment(
    current: OrderSnapshot,
    actor: Actor,
    shipmentId: string,
    lines: { sku: string; quantity: number }[],
    location: string,
    dto: CreateShipmentDto,
  ): Promise<{ shipment: OrderShipmentDto; created: boolean }> {
    const after = await this.act(current, shipPartUpdate, {
      actor,
      shipmentId,
      lines,
      location,
      carrier: dto.carrier,
      trackingNumber: dto.trackingNumber,
    });
    const shipment = after.shipments.find((made) => made.id === shipmentId);
    if (!shipment) throw new Error(`the order's answer lacks its new shipment ${shipmentId}`);
    refuseOtherShipment(shipment, dto);
    return { shipment, created: true };
  }

  /**
   * Whether the order's workflow has recorded this shipment (true when it cannot be asked: the row's word
   * stands, as before).
   */
  private workflowRecords(orderId: string, shipmentId: string): Promise<boolean> {
    return this.askWorkflow(orderId, true, async (handle) =>
      isShipmentOf(await handle.query(orderQuery), shipmentId),
    );
  }

  /**
   * Whether the order's workflow is still open for actions though its row says it is final (false when it
   * cannot be asked). The row can be ahead: an action's first run writes it from inside the workflow's task,
   * and when Temporal loses that task and the caller gives up, the workflow never took the step. A repeat of
   * the action then goes to the workflow, which decides, instead of being refused by the row.
   */
  private stillOpen(orderId: string): Promise<boolean> {
    return this.askWorkflow(orderId, false, async (handle) => {
      const status = (await handle.describe()).typedSearchAttributes.get(ORDER_STATUS_KEY);
      return status !== undefined && !isFinal(status as OrderStatus);
    });
  }

  /** Asks the order's workflow within the request's Temporal deadline; `unanswered` when it cannot be asked. */
  private async askWorkflow<T>(
    orderId: string,
    unanswered: T,
    ask: (handle: WorkflowHandle) => Promise<T>,
  ): Promise<T> {
    try {
      return await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
        ask(this.temporal.workflow.getHandle(orderWorkflowId(orderId))),
      );
    } catch {
      return unanswered;
    }
  }

  /**
   * Where a shipment that names no location leaves from: the first location, in the managers' order of
   * preference, where the order holds all of its units reserved; else the first that can send them all
   * (the order's own units there and free ones); `MAIN` when none can (and the shipment is refused for it).
   */
  private async oneLocationHolding(orderId: string, lines: ShipmentLine[]): Promise<string> {
    // The one location whose holdings cover every line, if any; the second read only when the first fails.
    const one = (holdings: LocationHoldings) => {
      const parcels = planParcels(lines, holdings);
      return parcels?.length === 1 ? parcels[0]!.location : null;
    };
    const productIds = lines.map((line) => line.productId);
    return (
      one(await this.locations.heldFor(orderId)) ??
      one(await this.locations.servable(orderId, productIds)) ??
      MAIN_LOCATION
    );
  }

  /** Confirms delivery. */
  async complete(id: string, actor: Actor): Promise<OrderDto> {
    return this.act(await this.snapshot(id), completeUpdate, { actor });
  }

  /** Cancels before shipment; the workflow releases stock and refunds payment. */
  async cancel(id: string, dto: ReasonDto, actor: Actor): Promise<OrderDto> {
    return this.act(await this.snapshot(id), cancelUpdate, { actor, reason: dto.reason });
  }

  /** The actor takes the order; 409 when someone else holds it (claim race: one wins), or it is closed. */
  async claim(id: string, actor: Actor): Promise<OrderDto> {
    return this.assignTo(await this.snapshot(id), actor.id, actor, false);
  }

  /**
   * A manager gives the order to anyone who works on orders, taking it from whoever held it; staff may
   * only name themselves (that is a claim).
   */
  async assign(id: string, dto: AssignOrderDto, actor: Actor): Promise<OrderDto> {
    const current = await this.snapshot(id);
    const manager = isManager(actor);
    if (!manager && dto.userId !== actor.id) {
      throw new DomainError('forbidden', 'only a manager assigns an order to someone else');
    }
    const user = await this.users.findById(dto.userId);
    if (!user || user.disabled || !user.roles.some((role) => OPERATORS.includes(role))) {
      throw invalidField(
        'userId',
        `names no active user who works on orders (${JSON.stringify(dto.userId)})`,
      );
    }
    return this.assignTo(current, user.id, actor, manager);
  }

  /** Frees the order: its holder, or a manager for anyone. Freeing a free order changes nothing. */
  async unclaim(id: string, actor: Actor): Promise<OrderDto> {
    const current = await this.snapshot(id);
    const holder = (await this.assignments.of([current.orderId])).get(current.orderId);
    if (holder && holder.id !== actor.id && !isManager(actor)) {
      throw new DomainError(
        'forbidden',
        `the order is held by ${holder.username}; only they or a manager free it`,
        {
          assignee: holder,
        },
      );
    }
    const change = await this.assignments.unassign(current.orderId, actor, holder?.id);
    if (!change.changed && change.assignee !== null) throw held(change.assignee);
    return this.view(current, actor);
  }

  private async assignTo(current: OrderSnapshot, userId: string, actor: Actor, force: boolean) {
    // Orders are held by people; a machine client's key is not one.
    if (actor.apiKey) throw new DomainError('forbidden', 'an API key cannot claim or assign orders');
    if (isFinal(current.status)) {
      throw invalidState(`the order is already ${current.status}`, current.status, current.awaiting);
    }
    const change = await this.assignments.assign(current.orderId, userId, actor, force);
    if (change.assignee?.id !== userId) throw held(change.assignee);
    return OrderDto.from(current, actor, change.assignee);
  }

  /**
   * Sends an action to the order's workflow as an Update, signed for that workflow and action (the worker
   * carries out only what the API signed), and answers with the order after it. The workflow's validator
   * refuses what the state or the actor's role does not allow before anything is recorded; refusals become
   * 409 (naming the status) or 403.
   */
  private async act<Arg extends ActorInput>(
    current: OrderSnapshot,
    update: UpdateDefinition<OrderSnapshot, [Arg]>,
    arg: Arg,
  ): Promise<OrderDto> {
    if (isFinal(current.status) && !(await this.stillOpen(current.orderId))) {
      throw invalidState(`the order is already ${current.status}`, current.status, current.awaiting);
    }
    try {
      const workflowId = orderWorkflowId(current.orderId);
      // Under the order's root span, whatever request this is: one trace per order.
      const after = await inOrderTrace(current.orderId, update.name, 'action', () =>
        this.awaitingWorkflow(() =>
          this.temporal.workflow.getHandle(workflowId).executeUpdate(update, {
            args: [signCommand(this.commandKeys, workflowId, update.name, arg, new Date())],
          }),
        ),
      );
      return await this.view(after, arg.actor);
    } catch (error) {
      throw await this.refusal(current.orderId, error);
    }
  }

  /**
   * An Update waits for the workflow, that is for a worker, which under load may take longer than the
   * request's Temporal deadline allows, and a refusal then would say Temporal is down when it is not. So
   * Temporal is first asked whether it answers, within that deadline (503 if not), and the Update itself
   * gets longer.
   */
  private async awaitingWorkflow<T>(update: () => Promise<T>): Promise<T> {
    // Its own 3 s: under load the request's database work may have used up the request's shared deadline.
    await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
      this.temporal.workflowService.getSystemInfo({}),
    );
    return this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, update);
  }

  private async refusal(id: string, error: unknown): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const { type, message } = error.cause;
      const { status, awaiting } = (error.cause.details?.[0] ?? {}) as RefusalDetails;
      // A step of the action that failed for good leaves the order as it was, its problem shown on it.
      if (
        type === FAILURE.invalidTransition ||
        type === FAILURE.insufficientStock ||
        type === FAILURE.stepFailed
      ) {
        return invalidState(message, status, awaiting);
      }
      if (type === FAILURE.forbidden) return new DomainError('forbidden', message, { status, awaiting });
      if (type === FAILURE.invalidInput) {
        const { field } = (error.cause.details?.[0] ?? {}) as RefusalDetails;
        return new DomainError('invalid_input', message, { field });
      }
    }
    if (error instanceof WorkflowNotFoundError) {
      // The workflow finished between our read and the update.
      const latest = await this.snapshot(id);
      return invalidState(`the order is already ${latest.status}`, latest.status, latest.awaiting);
    }
    return error;
  }
}

/**
 * Refuses (422) a request under an Idempotency-Key whose shipment, made earlier under that key, is another
 * one; a concurrent repeat that reached the workflow second is answered with the first's shipment, so it is
 * checked the same way.
 */
function refuseOtherShipment(shipment: OrderShipment | OrderShipmentDto, dto: CreateShipmentDto): void {
  const units = (lines: { sku: string; quantity: number }[]) =>
    JSON.stringify([...lines].map(({ sku, quantity }) => [sku, quantity]).sort());
  const same =
    units(shipment.lines) === units(dto.lines) &&
    shipment.carrier === dto.carrier &&
    shipment.trackingNumber === dto.trackingNumber &&
    (dto.location === undefined || dto.location === shipment.location);
  if (!same) {
    throw new DomainError(
      'idempotency_mismatch',
      'this Idempotency-Key was already used for another shipment of this order (other lines, carrier, tracking number or location)',
    );
  }
}
