import { Injectable } from '@nestjs/common';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { randomUUID } from 'node:crypto';
import { CustomerRepository, OrderRepository, ProductRepository } from '../../db/repositories';
import {
  INVALID_TRANSITION,
  ORDER_AWAITING_KEY,
  ORDER_STATUS_KEY,
  TASK_QUEUE,
  approveUpdate,
  completeUpdate,
  orderWorkflowId,
  recordedUpdate,
  shipUpdate,
  type Actor,
  type InvalidTransitionDetails,
  type OrderInput,
  type OrderSnapshot,
} from '../../workflows/order.definitions';
import { priceLines } from '../../workflows/order.pricing';
import { isFinal } from '../../workflows/order.state';
import type { orderWorkflow } from '../../workflows/order.workflow';
import type { ApproveOrderDto, CreateOrderDto, ShipOrderDto } from '../dtos/order.dto';
import { OrderDto } from '../dtos/order.dto';
import { invalidField, invalidState, notFound } from '../errors/domain.error';

@Injectable()
export class OrderService {
  constructor(
    private readonly temporal: Client,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly products: ProductRepository,
  ) {}

  /**
   * Prices the order and starts its workflow, answering once the workflow has written the order's row.
   * The row is written only by the workflow, so a crash at any point leaves either nothing or both.
   */
  async create(dto: CreateOrderDto, actor: Actor): Promise<OrderDto> {
    const customer = await this.customers.findById(dto.customerId);
    if (!customer)
      throw invalidField('customerId', `names an unknown customer ${JSON.stringify(dto.customerId)}`);
    const catalogue = await this.products.findBySkus(dto.lines.map((line) => line.sku));
    const priced = priceLines(dto.lines, catalogue);
    if (!priced.ok) throw invalidField(priced.field, priced.problem);

    const orderId = randomUUID();
    const input: OrderInput = {
      orderId,
      number: await this.orders.nextNumber(new Date()),
      customerId: customer.id,
      currency: priced.currency,
      lines: priced.lines,
      total: priced.total,
      notes: dto.notes ?? null,
      createdBy: actor,
    };
    await this.temporal.workflow.executeUpdateWithStart(recordedUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<typeof orderWorkflow>('orderWorkflow', {
        workflowId: orderWorkflowId(orderId),
        taskQueue: TASK_QUEUE,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        typedSearchAttributes: [
          { key: ORDER_STATUS_KEY, value: 'created' },
          { key: ORDER_AWAITING_KEY, value: 'approval' },
        ],
      }),
    });
    return this.get(orderId);
  }

  /** The order as mirrored in PostgreSQL. */
  async get(id: string): Promise<OrderDto> {
    const order = await this.orders.findById(id);
    if (!order) throw notFound('order', id);
    return OrderDto.from(order);
  }

  /** Staff approval: the order moves on to processing. */
  approve(id: string, dto: ApproveOrderDto, actor: Actor): Promise<OrderDto> {
    return this.act(id, approveUpdate, { actor, comment: dto.comment ?? null });
  }

  /** Hands the order to a carrier. */
  ship(id: string, dto: ShipOrderDto, actor: Actor): Promise<OrderDto> {
    return this.act(id, shipUpdate, { actor, carrier: dto.carrier, trackingNumber: dto.trackingNumber });
  }

  /** Confirms delivery. */
  complete(id: string, actor: Actor): Promise<OrderDto> {
    return this.act(id, completeUpdate, { actor });
  }

  /**
   * Sends a staff action to the order's workflow as an Update. The workflow's validator refuses what the
   * current state does not allow before anything is recorded; that refusal becomes a 409 naming the status.
   */
  private async act<Arg>(
    id: string,
    update: UpdateDefinition<OrderSnapshot, [Arg]>,
    arg: Arg,
  ): Promise<OrderDto> {
    const current = await this.get(id);
    if (isFinal(current.status)) {
      throw invalidState(`the order is already ${current.status}`, current.status, current.awaiting);
    }
    try {
      await this.temporal.workflow.getHandle(orderWorkflowId(id)).executeUpdate(update, { args: [arg] });
    } catch (error) {
      throw await this.refusal(id, error);
    }
    return this.get(id);
  }

  private async refusal(id: string, error: unknown): Promise<unknown> {
    if (
      error instanceof WorkflowUpdateFailedError &&
      error.cause instanceof ApplicationFailure &&
      error.cause.type === INVALID_TRANSITION
    ) {
      const { status, awaiting } = error.cause.details?.[0] as InvalidTransitionDetails;
      return invalidState(error.cause.message, status, awaiting);
    }
    if (error instanceof WorkflowNotFoundError) {
      // The workflow finished between our read and the update.
      const latest = await this.get(id);
      return invalidState(`the order is already ${latest.status}`, latest.status, latest.awaiting);
    }
    return error;
  }
}
