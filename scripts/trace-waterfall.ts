/**
 * Draws one trace's spans as a waterfall (HTML), the picture a trace viewer shows: each span a bar on a
 * shared time axis, indented under its parent, coloured by service. For the docs, from the spans that
 * test/tracing.spec.ts keeps in test-artifacts/order-trace.json.
 *
 *   node dist/scripts/trace-waterfall.js test-artifacts/order-trace.json out.html
 */
import { readFileSync, writeFileSync } from 'node:fs';

interface Span {
  spanId: string;
  parentSpanId?: string;
  name: string;
  service: string;
  start: string;
  end: string;
}

const COLOURS: Record<string, string> = { 'oms-api': '#3b82f6', 'oms-worker': '#f59e0b' };

function escape(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** Spans depth-first under their parents, children by start time. */
function ordered(spans: Span[]): { span: Span; depth: number }[] {
  const ids = new Set(spans.map((span) => span.spanId));
  const children = new Map<string | undefined, Span[]>();
  for (const span of spans) {
    const parent = span.parentSpanId && ids.has(span.parentSpanId) ? span.parentSpanId : undefined;
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const out: { span: Span; depth: number }[] = [];
  const walk = (parent: string | undefined, depth: number) => {
    for (const span of (children.get(parent) ?? []).sort((a, b) =>
      Number(BigInt(a.start) - BigInt(b.start)),
    )) {
      out.push({ span, depth });
      walk(span.spanId, depth + 1);
    }
  };
  walk(undefined, 0);
  return out;
}

export function waterfall(spans: Span[], title: string): string {
  const start = spans.reduce(
    (min, span) => (BigInt(span.start) < min ? BigInt(span.start) : min),
    BigInt(spans[0]!.start),
  );
  const end = spans.reduce((max, span) => (BigInt(span.end) > max ? BigInt(span.end) : max), 0n);
  const total = Number(end - start) || 1;
  const rows = ordered(spans).map(({ span, depth }) => {
    const left = (Number(BigInt(span.start) - start) / total) * 100;
    const width = Math.max((Number(BigInt(span.end) - BigInt(span.start)) / total) * 100, 0.3);
    const ms = Number(BigInt(span.end) - BigInt(span.start)) / 1e6;
    return `<tr><td class="name" style="padding-left:${8 + depth * 14}px"><span class="svc" style="background:${COLOURS[span.service] ?? '#6b7280'}"></span>${escape(span.name)}</td><td class="lane"><div class="bar" style="left:${left}%;width:${width}%;background:${COLOURS[span.service] ?? '#6b7280'}"></div><span class="ms" style="left:calc(${Math.min(left + width, 92)}% + 4px)">${ms.toFixed(1)} ms</span></td></tr>`;
  });
  return `<!doctype html><html><head><meta charset="utf-8"><style>
body{font:13px system-ui,sans-serif;margin:16px;color:#111}
h1{font-size:15px;margin:0 0 4px}p{margin:0 0 12px;color:#555}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #eee;height:22px;padding:0}
.name{white-space:nowrap;width:34%;font-family:ui-monospace,monospace;font-size:12px}
.svc{display:inline-block;width:8px;height:8px;border-radius:2px;margin-right:6px}
.lane{position:relative}.bar{position:absolute;top:5px;height:12px;border-radius:2px}
.ms{position:absolute;top:4px;font-size:11px;color:#444}
</style></head><body><h1>${escape(title)}</h1><p>${spans.length} spans, ${(total / 1e6).toFixed(0)} ms;
<span class="svc" style="background:${COLOURS['oms-api']}"></span>oms-api
<span class="svc" style="background:${COLOURS['oms-worker']}"></span>oms-worker</p>
<table>${rows.join('\n')}</table></body></html>`;
}

if (require.main === module) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: trace-waterfall.js <spans.json> <out.html>');
    process.exit(2);
  }
  const spans = JSON.parse(readFileSync(input, 'utf8')) as (Span & { traceId: string })[];
  writeFileSync(output, waterfall(spans, `trace ${spans[0]?.traceId ?? ''}`));
}
