import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { signCommand } from '../../config/command-signature';
import { AppConfig } from '../../config/config';
import { commandKeys, type KeyRing } from '../../config/keys';
import {
  CustomerRepository,
  EscalationRepository,
  OrderRepository,
  ReturnRepository,
} from '../../db/repositories';
import { FAILURE, type Actor, type ActorInput, type RefusalDetails } from '../../domain/order';
import {
  BUILT_RESOLUTIONS,
  isFinalReturn,
  receivedValue,
  type ReturnSettings,
  type ReturnSnapshot,
} from '../../domain/return';
import {
  RETURN_WORKFLOW,
  approveReturnUpdate,
  closeReturnUpdate,
  receiveReturnUpdate,
  refundReturnUpdate,
  rejectReturnUpdate,
  returnWorkflowId,
} from '../../workflows/return.definitions';
import { HeavyWork } from './heavy-work';
import { creditNoteModel, renderCreditNoteHtml, renderCreditNotePdf } from '../documents/credit-note';
import type { ReasonDto } from '../dtos/order.dto';
import {
  ReturnDto,
  type CreateReturnDto,
  type ListReturnsQueryDto,
  type ReceiveReturnDto,
  type RefundReturnDto,
} from '../dtos/return.dto';
import { DomainError, invalidField, notFound } from '../errors/domain.error';
import type { RenderedDocument } from './document.service';
import { TEMPORAL_REQUEST_DEADLINE_MS } from '../temporal/temporal.module';

/** How long a return action waits for its workflow (a worker) once Temporal has answered. */
const UPDATE_DEADLINE_MS = 60_000;

/** A 409 naming the return's status. */
const returnState = (message: string, status: string) =>
  new DomainError('invalid_state', message, { status });

/**
 * Returns of shipped units (issue 25): requested here (checked and written in one transaction that locks
 * the order), then carried through by each return's workflow, one staff action at a time.
 */
@Injectable()
export class ReturnService {
  private readonly commandKeys: KeyRing;

  constructor(
    private readonly temporal: Client,
    private readonly returns: ReturnRepository,
    private readonly orders: OrderRepository,
    private readonly customers: CustomerRepository,
    private readonly escalation: EscalationRepository,
    private readonly config: AppConfig,
    private readonly heavy: HeavyWork,
  ) {
    this.commandKeys = commandKeys(config);
  }

  /** The return window and whether customers may ask. */
  settings(): Promise<ReturnSettings> {
    return this.returns.settings();
  }

  /** Replaces the return settings (audited); returns already requested are not affected. */
  setSettings(settings: ReturnSettings, actor: Actor): Promise<ReturnSettings> {
    return this.returns.setSettings(settings, actor);
  }

  /**
   * Requests a return of shipped units: checked against what the order shipped, what its other returns
   * take back and the window, under a lock on the order, and written with its workflow started, or not at
   * all. Of two requests racing for the same units, the second sees the first and is a 409.
   */
  async create(orderId: string, dto: CreateReturnDto, actor: Actor): Promise<ReturnDto> {
    if (!BUILT_RESOLUTIONS.includes(dto.resolution)) {
      throw invalidField(
        'resolution',
        `${dto.resolution} is not built yet; only refund returns can be requested`,
      );
    }
    const created = await this.returns.create(
      {
        returnId: randomUUID(),
        orderId,
        lines: dto.lines,
        reason: dto.reason,
        resolution: dto.resolution,
        actor,
        now: new Date(),
      },
      (snapshot) => this.start(snapshot),
    );
    if (created.ok) return ReturnDto.from(created.snapshot, actor);
    const { refusal } = created;
    if (refusal === null) throw notFound('order', orderId);
    if (refusal.kind === 'input') {
      throw new DomainError('invalid_input', refusal.message, { field: refusal.field });
    }
    const order = await this.orders.findById(orderId);
    throw new DomainError('invalid_state', refusal.message, {
      field: refusal.field,
      status: order?.snapshot.status,
      awaiting: order?.snapshot.awaiting ?? null,
    });
  }

  /** Starts the return's workflow; a failure rolls the return's row back. */
  private async start(snapshot: ReturnSnapshot): Promise<void> {
    await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
      this.temporal.workflow.start(RETURN_WORKFLOW, {
        workflowId: returnWorkflowId(snapshot.returnId),
        taskQueue: this.config.temporal.taskQueue,
        args: [snapshot],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  }

  /** The return as last recorded, with what the viewer may do with it now. */
  async get(id: string, viewer: Actor): Promise<ReturnDto> {
    return ReturnDto.from(await this.snapshot(id), viewer);
  }

  private async snapshot(id: string): Promise<ReturnSnapshot> {
    const found = await this.returns.find(id);
    if (!found) throw notFound('return', id);
    return found;
  }

  /** Returns newest first, by order and status. */
  async list(query: ListReturnsQueryDto, viewer: Actor): Promise<{ items: ReturnDto[] }> {
    const items = await this.returns.list({ ...query, limit: 200 });
    return { items: items.map((snapshot) => ReturnDto.from(snapshot, viewer)) };
  }

  approve(id: string, actor: Actor): Promise<ReturnDto> {
    return this.act(id, approveReturnUpdate, { actor });
  }

  reject(id: string, dto: ReasonDto, actor: Actor): Promise<ReturnDto> {
    return this.act(id, rejectReturnUpdate, { actor, reason: dto.reason });
  }

  receive(id: string, dto: ReceiveReturnDto, actor: Actor): Promise<ReturnDto> {
    return this.act(id, receiveReturnUpdate, {
      actor,
      lines: dto.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })),
    });
  }

  /**
   * Refunds the return. Answers at once (409) when the amount is more than the order still holds; the
   * payment gateway checks it again under its lock, so two refunds racing cannot both pass.
   */
  async refund(id: string, dto: RefundReturnDto, actor: Actor): Promise<ReturnDto> {
    const current = await this.snapshot(id);
    if (current.status === 'received') {
      const amount = dto.amount ?? receivedValue(current.lines, current.received);
      const held = await this.returns.heldForOrder(current.orderId);
      if (amount > held) {
        throw new DomainError(
          'invalid_state',
          `a refund of ${amount} is more than the ${held} the order still holds (paid minus earlier refunds)`,
          { status: current.status, field: 'amount' },
        );
      }
    }
    return this.act(id, refundReturnUpdate, {
      actor,
      ...(dto.amount === undefined ? {} : { amount: dto.amount }),
    });
  }

  close(id: string, actor: Actor): Promise<ReturnDto> {
    return this.act(id, closeReturnUpdate, { actor });
  }

  /** The credit note of a refunded return, in its customer's language; 409 before the refund. */
  async creditNote(id: string, format: 'html' | 'pdf'): Promise<RenderedDocument> {
    const ret = await this.snapshot(id);
    const note = await this.returns.creditNote(ret.returnId);
    if (!note)
      throw returnState(`a credit note exists once the return is refunded; it is ${ret.status}`, ret.status);
    if (format === 'pdf' && !existsSync(this.config.documents.pdfFont)) {
      throw new DomainError(
        'unavailable',
        `PDF needs a font with Chinese glyphs at ${this.config.documents.pdfFont} (OMS_PDF_FONT); HTML works without it`,
      );
    }
    const order = await this.orders.findById(ret.orderId);
    const customer = order ? await this.customers.findById(order.snapshot.customerId) : null;
    const model = creditNoteModel({
      note,
      ret,
      orderNumber: order?.snapshot.number ?? ret.orderId,
      customer: { name: customer?.name ?? '', language: customer?.language ?? 'zh-CN' },
      timeZone: (await this.escalation.calendar()).timeZone,
    });
    if (format === 'html') {
      return {
        contentType: 'text/html; charset=utf-8',
        filename: `${note.number}.html`,
        body: renderCreditNoteHtml(model),
      };
    }
    // Rendering takes a processor while it runs: within the process's limit (503 with Retry-After beyond it).
    const pdf = await this.heavy.run(() =>
      renderCreditNotePdf(model, {
        path: this.config.documents.pdfFont,
        family: this.config.documents.pdfFontFace,
      }),
    );
    return { contentType: 'application/pdf', filename: `${note.number}.pdf`, body: pdf };
  }

  /**
   * Sends a staff action to the return's workflow as an Update signed for that workflow and action, and
   * answers with the return after it. Refusals become 409 (naming the status), 400 (naming the field) or 403.
   */
  private async act<Arg extends ActorInput>(
    id: string,
    update: UpdateDefinition<ReturnSnapshot, [Arg]>,
    arg: Arg,
  ): Promise<ReturnDto> {
    const current = await this.snapshot(id);
    if (isFinalReturn(current.status)) {
      throw returnState(`the return is already ${current.status}`, current.status);
    }
    const workflowId = returnWorkflowId(current.returnId);
    try {
      await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
        this.temporal.workflowService.getSystemInfo({}),
      );
      const after = await this.temporal.connection.withDeadline(Date.now() + UPDATE_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(workflowId).executeUpdate(update, {
          args: [signCommand(this.commandKeys, workflowId, update.name, arg, new Date())],
        }),
      );
      return ReturnDto.from(after, arg.actor);
    } catch (error) {
      throw await this.refusal(current.returnId, error);
    }
  }

  private async refusal(id: string, error: unknown): Promise<unknown> {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
      const { type, message } = error.cause;
      const { status, field } = (error.cause.details?.[0] ?? {}) as RefusalDetails;
      if (type === FAILURE.invalidTransition)
        return new DomainError('invalid_state', message, { status, field });
      if (type === FAILURE.forbidden) return new DomainError('forbidden', message, { status });
      if (type === FAILURE.invalidInput) return new DomainError('invalid_input', message, { field });
    }
    if (error instanceof WorkflowNotFoundError) {
      const latest = await this.snapshot(id);
      return returnState(`the return is already ${latest.status}`, latest.status);
    }
    return error;
  }
}
