/**
 * The order's vocabulary, shared by the API, the workflows, the activities and the console: statuses, waits,
 * the order as the workflow holds it, the inputs of staff actions, and the closed sets of refusals and
 * permanent failures. Pure definitions only: no Temporal, no Node, no I/O.
 */
import type { EscalationState } from './escalation';

export const ORDER_STATUSES = [
  'created',
  'processing',
  'shipped',
  'completed',
  'cancelled',
  'rejected',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const FINAL_STATUSES: readonly OrderStatus[] = ['completed', 'cancelled', 'rejected'];

export const AWAITING_VALUES = [
  'approval',
  'manager_approval',
  'stock',
  'payment',
  'shipment',
  'delivery',
] as const;
export type Awaiting = (typeof AWAITING_VALUES)[number];

/** Failure types raised by update validators and handlers; the API maps each to one HTTP status. */
export const FAILURE = {
  /** The order's state does not allow the action (409). */
  invalidTransition: 'InvalidTransition',
  /** The actor's role may not do this to this order (403). */
  forbidden: 'Forbidden',
  /** An edit needs stock that is not available (409). */
  insufficientStock: 'InsufficientStock',
  /** A step of the order failed in a way retrying cannot fix; the order shows it as its `problem` (409). */
  stepFailed: 'StepFailed',
  /** The action names something the order does not have (an unknown line): 400, naming the field. */
  invalidInput: 'InvalidInput',
} as const;

/**
 * The closed set of activity failures that retrying cannot fix. Activities (through the worker's
 * interceptor) raise them as non-retryable; the workflow turns them into the order's `problem` instead of
 * retrying forever. Anything else (a database or network outage) is retried until it passes.
 */
export const PERMANENT_FAILURES = {
  /** The database refused a value or a constraint (PostgreSQL classes 22 and 23). */
  invalidData: 'InvalidData',
  /** A defect in our code or schema (a TypeError, an SQL syntax or permission error). */
  defect: 'Defect',
} as const;
export type PermanentFailureKind = (typeof PERMANENT_FAILURES)[keyof typeof PERMANENT_FAILURES];

const PERMANENT_KINDS: readonly string[] = Object.values(PERMANENT_FAILURES);

/** Whether a failure's type is one of the permanent kinds. */
export const isPermanentFailureKind = (type: string | null | undefined): type is PermanentFailureKind =>
  PERMANENT_KINDS.includes(type ?? '');

/** A step that failed for good, as the order shows it to people until it is resolved. */
export interface OrderProblem {
  /** The activity that failed, e.g. `chargePayment`. */
  step: string;
  kind: PermanentFailureKind;
  /** What failed, for a manager; no stack traces or connection details. */
  message: string;
  at: string;
}

export interface RefusalDetails {
  status: OrderStatus;
  awaiting: Awaiting | null;
  /** The request field at fault, for an `InvalidInput` refusal. */
  field?: string;
}

/** Who performed an action; recorded in the workflow history with each update. */
export interface Actor {
  id: string;
  username: string;
  roles: string[];
  /** Set when a machine client's API key acted: `id` is then the key's id and `username` names the key. */
  apiKey?: true;
}

/** Where an order came from; `exchange`: the replacement units of a return resolved by exchange (issue 25). */
export const ORDER_SOURCES = ['console', 'api', 'import', 'quote', 'exchange'] as const;
export type OrderSource = (typeof ORDER_SOURCES)[number];

/** Longest `externalRef` accepted: a CRM's or shop's own order id. */
export const MAX_EXTERNAL_REF_LENGTH = 100;

/** The actor of the system's own decisions (automatic approvals). */
export const SYSTEM_ACTOR: Actor = { id: 'system', username: 'system', roles: [] };

export interface OrderLine {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  unitPrice: number;
  lineTotal: number;
}

/** The approval thresholds an order is decided under; an order keeps the version it started with. */
export interface ApprovalRule {
  version: number;
  /** At or below this total (minor units) the system approves. */
  autoApproveBelow: number;
  /** Up to this total staff may approve; above it only a manager. */
  staffApprovalLimit: number;
  currency: string;
}

/** Everything the workflow needs to start: an order already priced and numbered by the API. */
export interface OrderInput {
  orderId: string;
  number: string;
  customerId: string;
  currency: string;
  lines: OrderLine[];
  total: number;
  notes: string | null;
  createdBy: Actor;
  approvalRule: ApprovalRule;
  /** Set when the client sent an Idempotency-Key: a hash of the key's request body. */
  requestHash: string | null;
  /** Where the order came from; absent on orders placed before sources were kept (they came from `console`). */
  source?: OrderSource;
  /** The sender's own reference, unique per source (the order's id derives from both). */
  externalRef?: string | null;
  /**
   * Reserve and ship what is available now, the rest waiting for stock (issue 24); absent (false) on orders
   * that reserve all their lines or wait for all of them.
   */
  allowPartial?: boolean;
}

export interface Approval {
  by: Actor;
  comment: string | null;
  at: string;
  /** The total that was approved. */
  amount: number;
  automatic: boolean;
  ruleVersion: number;
}

export interface Shipment {
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
}

/** Some units of some lines, as one shipment takes them. */
/** Units of one line of the order, by SKU. */
export interface AllocatedLine {
  sku: string;
  quantity: number;
}

export interface ShipmentLine {
  productId: string;
  sku: string;
  quantity: number;
}

/** One parcel that left the warehouse: part of the order, or all that was left of it. */
export interface OrderShipment {
  id: string;
  lines: ShipmentLine[];
  /** The stock location it left from; `MAIN` until locations are built (issue 24). */
  location: string;
  carrier: string;
  trackingNumber: string;
  shippedAt: string;
  by: Pick<Actor, 'id' | 'username'>;
}

/**
 * Writes of an order its workflow's history does not keep: the steps of a workflow task Temporal lost after
 * they had committed, a run that nobody repeated. `version` is the row's when such a run wrote it (the
 * workflow's next write must be newer to show), `shipments` the parcels such a run wrote.
 */
export interface FoundBeyond {
  version: number;
  shipments: OrderShipment[];
}

export interface PaymentState {
  status: 'captured' | 'failed' | 'refunded';
  /** Net amount held: captured minus refunded. */
  amount: number;
  lastError: string | null;
}

export interface StockShortage {
  sku: string;
  requested: number;
  available: number;
}

export interface Closure {
  by: Actor;
  reason: string;
  at: string;
}

/** The order as the workflow holds it; mirrored to PostgreSQL after every change. */
export interface OrderSnapshot extends Omit<OrderInput, 'createdBy'> {
  status: OrderStatus;
  awaiting: Awaiting | null;
  /** When the current wait began. */
  awaitingSince: string | null;
  approvals: Approval[];
  /** The highest total approved so far, or null before the first approval. */
  approvedTotal: number | null;
  /** Whether stock for the current lines is reserved. */
  reserved: boolean;
  stockShortages: StockShortage[];
  /**
   * An `allowPartial` order's units of each line reserved so far, shipped or not (absent before its first
   * reservation and on other orders, whose lines are reserved all at once: `reserved`).
   */
  allocated?: AllocatedLine[];
  payment: PaymentState | null;
  /** The latest shipment's carrier and tracking; set when the last unit has shipped. */
  shipment: Shipment | null;
  /**
   * Every shipment, oldest first (absent in snapshots from before partial shipments: such an order shipped
   * once, all of it, as `shipment` says).
   */
  shipments?: OrderShipment[];
  cancellation: Closure | null;
  rejection: Closure | null;
  completedAt: string | null;
  /** Set once the current wait has been escalated; cleared when the wait ends. Absent in older snapshots. */
  escalation?: EscalationState | null;
  /** A step that failed for good and needs a person (absent in older snapshots); cleared when it passes. */
  problem?: OrderProblem | null;
  /** Grows with every change, so a late mirror write can never overwrite a newer one. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The API's signature of a staff action (config/command-signature.ts); absent in histories from before. */
export interface CommandSignature {
  issuedAt: string;
  keyId: string;
  mac: string;
}

export interface ActorInput {
  actor: Actor;
  signature?: CommandSignature;
}

export interface ApproveInput extends ActorInput {
  comment?: string | null;
}

export interface ReasonInput extends ActorInput {
  reason: string;
}

export interface ShipInput extends ActorInput {
  carrier: string;
  trackingNumber: string;
}

/** A shipment of some units of some lines; its id is chosen by the API, so a repeated step writes it once. */
export interface ShipPartInput extends ActorInput {
  shipmentId: string;
  lines: { sku: string; quantity: number }[];
  location: string;
  carrier: string;
  trackingNumber: string;
}

/** An edit, already priced by the API. Absent fields stay as they are. */
export interface EditInput extends ActorInput {
  lines?: OrderLine[];
  total?: number;
  notes?: string | null;
}
