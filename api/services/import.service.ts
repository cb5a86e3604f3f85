import { MikroORM, RequestContext } from '@mikro-orm/postgresql';
import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import {
  ImportRepository,
  ProductRepository,
  type ImportOrder,
  type ImportResult,
  type StoredImport,
} from '../../db/repositories';
import type { Actor } from '../../domain/order';
import {
  decodeCsv,
  looksLikeZip,
  parseCsv,
  planImport,
  readImportTable,
  validOrders,
  type ImportProblem,
  type ImportRow,
} from '../../domain/order-import';
import { priceLines } from '../../domain/order.pricing';
import { ImportDto } from '../dtos/import.dto';
import { readXlsx } from '../imports/xlsx.reader';
import { DomainError, notFound } from '../errors/domain.error';
import { OrderService } from './order.service';

/** An uploaded file as the multipart parser hands it over. */
export interface UploadedFile {
  originalname: string;
  size: number;
  buffer: Buffer;
}

/** How many orders a commit creates at once: enough to import quickly, few enough to leave staff room. */
const COMMIT_CONCURRENCY = 4;
/** How many results are written to the import's row at a time (its progress as `GET` shows it). */
const PROGRESS_BATCH = 20;

/**
 * Order imports: a file becomes a checked preview (nothing else written), and a commit creates the preview's
 * valid orders through the normal order path, each its own workflow, idempotently by reference.
 */
@Injectable()
export class ImportService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Import');
  /** Commits running in this process, so a repeated commit request does not start a second run. */
  private readonly running = new Map<string, Promise<void>>();
  /** Set when the process stops: running commits take no further order and write down their progress. */
  private stopping = false;

  constructor(
    private readonly imports: ImportRepository,
    private readonly products: ProductRepository,
    private readonly orders: OrderService,
    private readonly orm: MikroORM,
  ) {}

  /** A commit that was under way when the API stopped goes on (its finished orders are skipped). */
  async onApplicationBootstrap(): Promise<void> {
    const unfinished = await RequestContext.create(this.orm.em, () => this.imports.unfinished());
    for (const { id, committedBy } of unfinished) this.startRun(id, committedBy);
  }

  /**
   * The process is stopping (a deploy, SIGTERM): each running commit finishes the orders it is creating,
   * writes their results and stops there, still `committing`, so the next start goes on from the next order
   * with nothing to redo. Runs before the database and Temporal connections close.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.running.values());
  }

  /** Previews an uploaded CSV or XLSX file: every row checked, nothing but the preview written. */
  async previewFile(file: UploadedFile | undefined, actor: Actor): Promise<ImportDto> {
    if (!file)
      throw new DomainError(
        'invalid_input',
        'file is missing: send the CSV or XLSX file as multipart field "file"',
        { field: 'file' },
      );
    if (looksLikeZip(file.buffer)) {
      // An XLSX workbook: its first sheet, read as the workbook stores it (formulas as their cached values).
      const sheet = await readXlsx(file.buffer);
      if (!sheet.ok) throw new DomainError('invalid_input', sheet.message, { field: 'file' });
      const table = readImportTable(
        sheet.records.map((record) => record.cells),
        (index) => sheet.records[index]?.row ?? index + 1,
      );
      if (!table.ok) throw new DomainError('invalid_input', table.message, { field: 'file' });
      return this.previewRows(file.originalname || 'upload.xlsx', table.rows, actor);
    }
    const decoded = decodeCsv(file.buffer);
    if (!decoded.ok) throw new DomainError('unsupported_media', decoded.message, { field: 'file' });
    const parsed = parseCsv(decoded.text);
    if (!parsed.ok) throw new DomainError('invalid_input', parsed.message, { field: 'file' });
    const table = readImportTable(parsed.records);
    if (!table.ok) throw new DomainError('invalid_input', table.message, { field: 'file' });
    return this.previewRows(file.originalname || 'upload.csv', table.rows, actor);
  }

  /**
   * Previews rows however they were read (a CSV file, an e-mail's order): checks every row, groups the
   * lines into orders, resolves customers and prices the lines from the catalogue, and stores the preview.
   * Answers the problems by row and field; the import is then committed with `commit`.
   */
  async previewRows(fileName: string, rows: readonly ImportRow[], actor: Actor): Promise<ImportDto> {
    const plan = planImport(rows);
    const problems: ImportProblem[] = [...plan.problems];
    const customers = await this.imports.matchCustomers([
      ...new Set(plan.orders.map((order) => order.customer).filter((customer) => customer !== '')),
    ]);
    const catalogue = await this.products.findBySkus([
      ...new Set(plan.orders.flatMap((order) => order.lines.map((line) => line.sku))),
    ]);
    const ready: ImportOrder[] = [];
    for (const order of plan.orders) {
      // An empty customer cell is a problem of its row already.
      const match = order.customer === '' ? undefined : customers.get(order.customer);
      if (match && 'problem' in match) {
        problems.push({
          row: order.firstRow,
          field: 'customer',
          message:
            match.problem === 'unknown'
              ? `names no customer (${JSON.stringify(order.customer)}): give a customer id or the e-mail of one`
              : `${JSON.stringify(order.customer)} is the e-mail of several customers: give the customer's id`,
        });
        continue;
      }
      // An order whose every line already has a problem has nothing left to price.
      if (order.lines.length === 0) continue;
      const priced = priceLines(order.lines, catalogue);
      if (!priced.ok) {
        // The pricing names `lines.<index>.sku` (or `lines`); the row is that line's row.
        const index = Number(/^lines\.(\d+)\./.exec(priced.field)?.[1] ?? 0);
        const line = order.lines[index] ?? order.lines[0];
        problems.push({ row: line?.row ?? 0, field: 'sku', message: priced.problem });
        continue;
      }
      if (match) ready.push({ ...order, customerId: match.id });
    }
    problems.sort((a, b) => a.row - b.row);
    const { orders, valid } = validOrders(rows, ready, problems);
    const id = randomUUID();
    await this.imports.create({
      id,
      fileName,
      rows: rows.length,
      valid,
      errors: problems,
      orders,
      createdBy: actor,
    });
    return this.get(id);
  }

  /** The import with its progress and, once committed, what became of each order. */
  async get(id: string): Promise<ImportDto> {
    return ImportDto.from(await this.stored(id));
  }

  /**
   * Starts creating the preview's valid orders (answering at once: a large file takes minutes); `GET`
   * shows the progress. Committing again changes nothing; a commit cut short by a restart goes on.
   */
  async commit(id: string, actor: Actor): Promise<ImportDto> {
    const started = await this.imports.startCommit(id, actor);
    if (!started) throw notFound('import', id);
    if (started.status === 'committing') this.startRun(started.id, actor);
    return ImportDto.from(started);
  }

  private async stored(id: string): Promise<StoredImport> {
    const found = await this.imports.find(id);
    if (!found) throw notFound('import', id);
    return found;
  }

  private startRun(id: string, actor: Actor): void {
    if (this.running.has(id) || this.stopping) return;
    const run = this.run(id, actor)
      .catch((error: unknown) => this.logger.error(`import ${id} stopped: ${String(error)}`))
      .finally(() => this.running.delete(id));
    this.running.set(id, run);
  }

  /** Creates each order not yet done, a few at a time, writing progress as it goes. */
  private async run(id: string, actor: Actor): Promise<void> {
    const inContext = <T>(work: () => Promise<T>) => RequestContext.create(this.orm.em, work);
    const current = await inContext(() => this.stored(id));
    const done = new Set(current.results.map((result) => result.externalRef));
    const queue = current.orders.filter((order) => !done.has(order.externalRef));
    let pending: ImportResult[] = [];
    const flush = async () => {
      const batch = pending;
      pending = [];
      await inContext(() => this.imports.addResults(id, batch));
    };
    const worker = async () => {
      for (;;) {
        const order = this.stopping ? undefined : queue.shift();
        if (!order) return;
        // Awaited first: `pending.push(await …)` would read `pending` before a flush swapped it.
        const result = await inContext(() => this.createOne(order, actor));
        pending.push(result);
        if (pending.length >= PROGRESS_BATCH) await flush();
      }
    };
    await Promise.all(Array.from({ length: COMMIT_CONCURRENCY }, worker));
    await flush();
    if (this.stopping) {
      this.logger.log(`import ${id}: stopping with ${queue.length} orders left; the next start goes on`);
      return;
    }
    await inContext(() => this.imports.finish(id));
  }

  /** One order through the normal path; a refusal (the catalogue changed since the preview) is its result. */
  private async createOne(order: ImportOrder, actor: Actor): Promise<ImportResult> {
    try {
      const { order: made, created } = await this.orders.create(
        {
          customerId: order.customerId,
          lines: order.lines.map(({ sku, quantity }) => ({ sku, quantity })),
          ...(order.notes === null ? {} : { notes: order.notes }),
          externalRef: order.externalRef,
        },
        actor,
        undefined,
        'import',
      );
      return { externalRef: order.externalRef, orderId: made.id, number: made.number, created, error: null };
    } catch (error) {
      if (!(error instanceof DomainError) || error.statusCode >= 500) throw error;
      return {
        externalRef: order.externalRef,
        orderId: null,
        number: null,
        created: false,
        error: error.message,
      };
    }
  }
}
