import { Injectable } from '@nestjs/common';
import { Client, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type UpdateDefinition } from '@temporalio/common';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { signCommand } from '../../config/command-signature';
import { AppConfig } from '../../config/config';
import { commandKeys, type KeyRing } from '../../config/keys';
import {
  CustomerRepository,
  EscalationRepository,
  LocationRepository,
  OrderRepository,
  ReturnAssignmentRepository,
  ReturnRepository,
  SettingsRepository,
  UserRepository,
  type Assignee,
} from '../../db/repositories';
import { requiredApproval } from '../../domain/approval.rules';
import {
  FAILURE,
  type Actor,
  type ActorInput,
  type ApprovalRule,
  type RefusalDetails,
} from '../../domain/order';
import { MANAGERS, OPERATORS } from '../../domain/people';
import {
  isFinalReturn,
  receivedValue,
  returnValue,
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
  type ReturnStartOptions,
} from '../../workflows/return.definitions';
import { HeavyWork } from './heavy-work';
import { creditNoteModel, renderCreditNoteHtml, renderCreditNotePdf } from '../documents/credit-note';
import type { ReasonDto } from '../dtos/order.dto';
import {
  ReturnDto,
  type AssignReturnDto,
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

function isManager(actor: Actor): boolean {
  return actor.roles.some((role) => (MANAGERS as readonly string[]).includes(role));
}

/** Someone else holds the return (or took it meanwhile): 409 naming them. */
function held(assignee: Assignee | null, status: string): DomainError {
  return new DomainError(
    'invalid_state',
    assignee ? `the return is held by ${assignee.username}` : 'the return changed hands meanwhile; try again',
    { assignee, status },
  );
}

/**
 * Returns of shipped units (issue 25): requested here (checked and written in one transaction that locks
 * the order), then carried through by each return's workflow, one staff action at a time.
 */
/** The namespace of return ids derived from an order and an Idempotency-Key (a random UUID, fixed once). */
const IDEMPOTENT_RETURN_NAMESPACE = '3b9e51c2-7a4d-4f06-8c1e-5d2a9f7b4e63';

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
    private readonly assignments: ReturnAssignmentRepository,
    private readonly users: UserRepository,
    private readonly approvalSettings: SettingsRepository,
    private readonly locations: LocationRepository,
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
    return (await this.request(orderId, dto, actor)).ret;
  }

  /**
   * `create`, once per Idempotency-Key: with a key the return's id derives from it and the order, so a
   * repeated request (even a concurrent one, under the order's lock) answers the return it made (`created`
   * false); the same key with another body is a 422.
   */
  async request(
    orderId: string,
    dto: CreateReturnDto,
    actor: Actor,
    idempotencyKey?: string,
  ): Promise<{ ret: ReturnDto; created: boolean }> {
    const rule = await this.approvalSettings.currentApprovalRule();
    const created = await this.returns.create(
      {
        returnId:
          idempotencyKey === undefined
            ? randomUUID()
            : uuidv5(`${orderId}\n${idempotencyKey}`, IDEMPOTENT_RETURN_NAMESPACE),
        orderId,
        lines: dto.lines,
        reason: dto.reason,
        resolution: dto.resolution,
        actor,
        now: new Date(),
      },
      (snapshot) => this.start(snapshot, rule),
    );
    if (created.ok) {
      if (!created.created)
        return { ret: await this.sameRequest(created.snapshot, dto, actor), created: false };
      return { ret: ReturnDto.from(created.snapshot, actor, null), created: true };
    }
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

  /** The return an earlier request with the same key made, if this request asks the same; 422 otherwise. */
  private async sameRequest(ret: ReturnSnapshot, dto: CreateReturnDto, actor: Actor): Promise<ReturnDto> {
    const asked = (lines: { sku: string; quantity: number }[]) =>
      JSON.stringify(lines.map(({ sku, quantity }) => [sku, quantity]));
    if (
      asked(ret.lines) !== asked(dto.lines) ||
      ret.reason !== dto.reason ||
      ret.resolution !== dto.resolution
    ) {
      throw new DomainError(
        'idempotency_mismatch',
        `this Idempotency-Key was already used for return ${ret.number} with a different request body`,
      );
    }
    return this.view(ret, actor);
  }

  /**
   * Starts the return's workflow; a failure rolls the return's row back. A return worth no more than the
   * orders' auto-approval threshold (same currency) is approved by its workflow at once, as such an order is.
   */
  private async start(snapshot: ReturnSnapshot, rule: ApprovalRule): Promise<void> {
    const options: ReturnStartOptions =
      requiredApproval(returnValue(snapshot.lines), snapshot.currency, rule) === 'auto'
        ? { autoApproval: { ruleVersion: rule.version, upTo: rule.autoApproveBelow } }
        : {};
    await this.temporal.connection.withDeadline(Date.now() + TEMPORAL_REQUEST_DEADLINE_MS, () =>
      this.temporal.workflow.start(RETURN_WORKFLOW, {
        workflowId: returnWorkflowId(snapshot.returnId),
        taskQueue: this.config.temporal.taskQueue,
        args: [snapshot, options],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    );
  }

  /** The return as last recorded, with what the viewer may do with it now. */
  async get(id: string, viewer: Actor): Promise<ReturnDto> {
    return this.view(await this.snapshot(id), viewer);
  }

  private async view(snapshot: ReturnSnapshot, viewer: Actor): Promise<ReturnDto> {
    const assignees = await this.assignments.of([snapshot.returnId]);
    return ReturnDto.from(snapshot, viewer, assignees.get(snapshot.returnId) ?? null);
  }

  private async snapshot(id: string): Promise<ReturnSnapshot> {
    const found = await this.returns.find(id);
    if (!found) throw notFound('return', id);
    return found;
  }

  /** Returns newest first, by order and status. */
  async list(query: ListReturnsQueryDto, viewer: Actor): Promise<{ items: ReturnDto[] }> {
    const items = await this.returns.list({ ...query, limit: 200 });
    const assignees = await this.assignments.of(items.map((snapshot) => snapshot.returnId));
    return {
      items: items.map((snapshot) =>
        ReturnDto.from(snapshot, viewer, assignees.get(snapshot.returnId) ?? null),
      ),
    };
  }

  /** The actor takes the return; 409 when someone else holds it (claim race: one wins), or it is final. */
  async claim(id: string, actor: Actor): Promise<ReturnDto> {
    return this.assignTo(await this.snapshot(id), actor.id, actor, false);
  }

  /**
   * A manager gives the return to anyone who works on orders, taking it from whoever held it; staff may
   * only name themselves (that is a claim).
   */
  async assign(id: string, dto: AssignReturnDto, actor: Actor): Promise<ReturnDto> {
    const current = await this.snapshot(id);
    const manager = isManager(actor);
    if (!manager && dto.userId !== actor.id) {
      throw new DomainError('forbidden', 'only a manager assigns a return to someone else');
    }
    const user = await this.users.findById(dto.userId);
    if (!user || user.disabled || !user.roles.some((role) => OPERATORS.includes(role))) {
      throw invalidField(
        'userId',
        `names no active user who works on returns (${JSON.stringify(dto.userId)})`,
      );
    }
    return this.assignTo(current, user.id, actor, manager);
  }

  /** Frees the return: its holder, or a manager for anyone. Freeing a free return changes nothing. */
  async unclaim(id: string, actor: Actor): Promise<ReturnDto> {
    const current = await this.snapshot(id);
    const holder = (await this.assignments.of([current.returnId])).get(current.returnId);
    if (holder && holder.id !== actor.id && !isManager(actor)) {
      throw new DomainError(
        'forbidden',
        `the return is held by ${holder.username}; only they or a manager free it`,
        { assignee: holder },
      );
    }
    const change = await this.assignments.unassign(current.returnId, actor, holder?.id);
    if (!change.changed && change.assignee !== null) throw held(change.assignee, current.status);
    return this.view(current, actor);
  }

  private async assignTo(current: ReturnSnapshot, userId: string, actor: Actor, force: boolean) {
    // Returns are held by people; a machine client's key is not one.
    if (actor.apiKey) throw new DomainError('forbidden', 'an API key cannot claim or assign returns');
    if (isFinalReturn(current.status)) {
      throw returnState(`the return is already ${current.status}`, current.status);
    }
    const change = await this.assignments.assign(current.returnId, userId, actor, force);
    if (change.assignee?.id !== userId) throw held(change.assignee, current.status);
    return ReturnDto.from(current, actor, change.assignee);
  }

  approve(id: string, actor: Actor): Promise<ReturnDto> {
    return this.act(id, approveReturnUpdate, { actor });
  }

  reject(id: string, dto: ReasonDto, actor: Actor): Promise<ReturnDto> {
    return this.act(id, rejectReturnUpdate, { actor, reason: dto.reason });
  }

  async receive(id: string, dto: ReceiveReturnDto, actor: Actor): Promise<ReturnDto> {
    if (dto.location !== undefined && !(await this.locations.exists(dto.location))) {
      throw invalidField('location', `${JSON.stringify(dto.location)} is not a stock location`);
    }
    return this.act(id, receiveReturnUpdate, {
      actor,
      lines: dto.lines.map(({ sku, quantity, condition }) => ({ sku, quantity, condition })),
      ...(dto.location === undefined ? {} : { location: dto.location }),
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
      return await this.view(after, arg.actor);
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
