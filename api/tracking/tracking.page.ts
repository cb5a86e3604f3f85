/**
 * The customer's tracking page, server-rendered: status, the steps passed with their dates, carrier and
 * tracking number, in the customer's language, and nothing else about the order or the business. No script
 * at all (the CSP forbids inline ones, and the page needs none); `{{…}}` escapes every value; strict mode
 * makes a missing field an error rather than a blank.
 */
import Handlebars from 'handlebars';
import type { Language } from '../../domain/people';
import type { OrderSnapshot, OrderStatus } from '../../domain/order';
import type { ReturnSnapshot, ReturnStatus } from '../../domain/return';
import { shipmentsOf } from '../../domain/shipment.rules';

export type TrackingStep = 'placed' | 'confirmed' | 'shipped' | 'delivered' | 'cancelled' | 'rejected';

/** What the customer may see: exactly this, built from the order's snapshot. */
export interface TrackingView {
  status: OrderStatus;
  steps: { step: TrackingStep; at: string }[];
  shipment: { carrier: string; trackingNumber: string } | null;
  /**
   * Each parcel that left, oldest first, with its carrier, tracking number and what was in it: units of the
   * order's items by their position (1 = the order's first line), never product names or SKUs, which this
   * page keeps to itself like everything else about the order (a link may be forwarded).
   */
  shipments: {
    carrier: string;
    trackingNumber: string;
    shippedAt: string;
    lines: { item: number; quantity: number }[];
  }[];
  /**
   * The order's returns, oldest first, with what the customer hears of them: status, the units by item
   * position, the amount refunded, an exchange's replacement order.
   */
  returns: {
    number: string;
    status: ReturnStatus;
    lines: { item: number; quantity: number }[];
    refunded: number | null;
    replacement: string | null;
  }[];
  /** The order's currency, for the amounts refunded. */
  currency: string;
}

/** The steps an order has passed, oldest first, each with when it happened; and its returns. */
export function trackingView(order: OrderSnapshot, returns: ReturnSnapshot[] = []): TrackingView {
  const steps: TrackingView['steps'] = [{ step: 'placed', at: order.createdAt }];
  const approval = order.approvals[0];
  if (approval) steps.push({ step: 'confirmed', at: approval.at });
  if (order.shipment) steps.push({ step: 'shipped', at: order.shipment.shippedAt });
  if (order.completedAt) steps.push({ step: 'delivered', at: order.completedAt });
  if (order.cancellation) steps.push({ step: 'cancelled', at: order.cancellation.at });
  if (order.rejection) steps.push({ step: 'rejected', at: order.rejection.at });
  const positions = new Map(order.lines.map((line, index) => [line.sku, index + 1]));
  return {
    status: order.status,
    steps,
    shipment: order.shipment
      ? { carrier: order.shipment.carrier, trackingNumber: order.shipment.trackingNumber }
      : null,
    shipments: shipmentsOf(order).map(({ carrier, trackingNumber, shippedAt, lines }) => ({
      carrier,
      trackingNumber,
      shippedAt,
      lines: lines.map(({ sku, quantity }) => ({ item: positions.get(sku) ?? 0, quantity })),
    })),
    returns: [...returns]
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
      .map((ret) => ({
        number: ret.number,
        status: ret.status,
        lines: ret.lines.map(({ sku, quantity }) => ({ item: positions.get(sku) ?? 0, quantity })),
        refunded: ret.refundedAmount,
        replacement: ret.replacement?.number ?? null,
      })),
    currency: order.currency,
  };
}

/** When the order ended (completed, cancelled, rejected), or null while it is under way. */
export function orderEndedAt(order: OrderSnapshot): Date | null {
  const at = order.completedAt ?? order.cancellation?.at ?? order.rejection?.at ?? null;
  return at === null ? null : new Date(at);
}

const WORDS = {
  'zh-CN': {
    title: '订单跟踪',
    status: '当前状态',
    steps: '进度',
    carrier: '承运商',
    trackingNumber: '运单号',
    shipments: '包裹',
    shippedAt: '发货时间',
    contents: '内容',
    item: '商品',
    returnTitle: '申请退货',
    returnHint: '请填写要退回的件数（最多为已发货且尚未退回的件数）。',
    returnUpTo: '最多',
    returnReason: '退货原因',
    returnResolution: '处理方式',
    returnRefund: '退款',
    returnExchange: '换货（寄出同样的商品）',
    returnSubmit: '提交退货申请',
    returns: '退货',
    refunded: '已退金额',
    replacementOrder: '换货订单',
    returnStatuses: {
      requested: '已申请，待审核',
      approved: '已批准，请寄回商品',
      received: '已收到退回的商品',
      refunded: '已退款',
      exchanged: '已换货，换货商品另行发出',
      closed: '已办结',
      rejected: '未获批准',
    },
    returnRequested: '退货申请已提交',
    returnNumber: '退货单号',
    returnRefused: '退货申请未能提交',
    back: '返回订单跟踪',
    statuses: {
      created: '已下单，等待确认',
      processing: '已确认，正在备货',
      shipped: '已发货',
      completed: '已送达',
      cancelled: '已取消',
      rejected: '未被受理',
    },
    stepNames: {
      placed: '下单',
      confirmed: '确认',
      shipped: '发货',
      delivered: '送达',
      cancelled: '取消',
      rejected: '未受理',
    },
  },
  en: {
    title: 'Order tracking',
    status: 'Status',
    steps: 'Progress',
    carrier: 'Carrier',
    trackingNumber: 'Tracking number',
    shipments: 'Parcels',
    shippedAt: 'Shipped',
    contents: 'Contents',
    item: 'Item',
    returnTitle: 'Request a return',
    returnHint:
      'Say how many units of each item you are sending back (at most what shipped and is not yet returned).',
    returnUpTo: 'up to',
    returnReason: 'Reason',
    returnResolution: 'What you would like',
    returnRefund: 'A refund',
    returnExchange: 'An exchange (the same items sent again)',
    returnSubmit: 'Request the return',
    returns: 'Returns',
    refunded: 'Refunded',
    replacementOrder: 'Replacement order',
    returnStatuses: {
      requested: 'Requested, to be reviewed',
      approved: 'Approved: please send the units back',
      received: 'Units received, being dealt with',
      refunded: 'Refunded',
      exchanged: 'Exchanged: the replacement ships separately',
      closed: 'Closed',
      rejected: 'Not approved',
    },
    returnRequested: 'Your return is requested',
    returnNumber: 'Return number',
    returnRefused: 'The return could not be requested',
    back: 'Back to the order',
    statuses: {
      created: 'Placed, awaiting confirmation',
      processing: 'Confirmed, being prepared',
      shipped: 'Shipped',
      completed: 'Delivered',
      cancelled: 'Cancelled',
      rejected: 'Not accepted',
    },
    stepNames: {
      placed: 'Placed',
      confirmed: 'Confirmed',
      shipped: 'Shipped',
      delivered: 'Delivered',
      cancelled: 'Cancelled',
      rejected: 'Not accepted',
    },
  },
} as const;

/** The refusals, in both languages: without a valid link we do not know whose language to use. */
export type TrackingRefusal = 'unknown' | 'expired' | 'throttled';
const REFUSALS: Record<TrackingRefusal, { 'zh-CN': string; en: string }> = {
  unknown: {
    'zh-CN': '找不到这个跟踪链接，请检查邮件中的链接是否完整。',
    en: 'This tracking link is not valid. Please check that the whole link from the e-mail was used.',
  },
  expired: {
    'zh-CN': '这个订单已结束较长时间，跟踪链接已失效。',
    en: 'This order ended some time ago; its tracking link no longer works.',
  },
  throttled: {
    'zh-CN': '尝试次数过多，请稍后再试。',
    en: 'Too many attempts. Please wait a little and try again.',
  },
};

const LAYOUT = Handlebars.compile(
  `<!doctype html>
<html lang="{{language}}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{title}}</title>
<style>
body { font-family: "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", system-ui, sans-serif; margin: 0;
  background: #f5f5f5; color: #1f1f1f; }
main { max-width: 34rem; margin: 2rem auto; background: #fff; padding: 1.5rem 2rem; border-radius: 8px; }
h1 { font-size: 1.4rem; margin: 0 0 1rem; } h2 { font-size: 1rem; color: #595959; margin: 1.5rem 0 .5rem; }
.status { font-size: 1.25rem; font-weight: 600; color: #0958d9; }
ol { list-style: none; padding: 0; margin: 0; } li { padding: .4rem 0 .4rem 1.2rem; border-left: 2px solid #1677ff; }
li time { color: #595959; margin-left: .5rem; } dl { display: grid; grid-template-columns: auto 1fr; gap: .3rem 1rem; }
dt { color: #595959; } dd { margin: 0; font-family: ui-monospace, monospace; }
</style></head>
<body><main>{{{body}}}</main></body></html>`,
  { strict: true },
);

const PAGE = Handlebars.compile(
  `<h1>{{words.title}}</h1>
<h2>{{words.status}}</h2>
<p class="status" data-status="{{status}}">{{statusText}}</p>
<h2>{{words.steps}}</h2>
<ol>{{#each steps}}<li data-step="{{step}}">{{name}}<time datetime="{{at}}">{{date}}</time></li>{{/each}}</ol>
{{#if shipment}}<dl><dt>{{words.carrier}}</dt><dd>{{shipment.carrier}}</dd>
<dt>{{words.trackingNumber}}</dt><dd>{{shipment.trackingNumber}}</dd></dl>{{/if}}
{{#if shipments.length}}<h2>{{words.shipments}}</h2>
{{#each shipments}}<dl class="shipment" data-tracking-number="{{trackingNumber}}">
<dt>{{../words.shippedAt}}</dt><dd><time datetime="{{shippedAt}}">{{date}}</time></dd>
<dt>{{../words.carrier}}</dt><dd>{{carrier}}</dd>
<dt>{{../words.trackingNumber}}</dt><dd>{{trackingNumber}}</dd>
<dt>{{../words.contents}}</dt><dd>{{#each lines}}<span class="line" data-item="{{item}}">{{../../words.item}} {{item}} × {{quantity}}</span> {{/each}}</dd></dl>
{{/each}}{{/if}}
{{#if returns.length}}<h2>{{words.returns}}</h2>
{{#each returns}}<dl class="return" data-return-number="{{number}}" data-return-status="{{status}}">
<dt>{{../words.returnNumber}}</dt><dd>{{number}}</dd>
<dt>{{../words.status}}</dt><dd>{{statusText}}</dd>
<dt>{{../words.contents}}</dt><dd>{{#each lines}}<span class="line" data-item="{{item}}">{{../../words.item}} {{item}} × {{quantity}}</span> {{/each}}</dd>
{{#if refunded}}<dt>{{../words.refunded}}</dt><dd>{{refunded}}</dd>{{/if}}
{{#if replacement}}<dt>{{../words.replacementOrder}}</dt><dd>{{replacement}}</dd>{{/if}}</dl>
{{/each}}{{/if}}
{{#if returnForm}}<h2>{{words.returnTitle}}</h2>
<form method="post" class="return-form">
<p>{{words.returnHint}}</p>
{{#each returnForm.items}}<p><label>{{../words.item}} {{item}} ({{../words.returnUpTo}} {{left}})
<input type="number" name="item-{{item}}" min="0" max="{{left}}" value="0" data-item="{{item}}"></label></p>
{{/each}}<p><label>{{words.returnReason}}<br><textarea name="reason" required maxlength="2000" rows="3" cols="40"></textarea></label></p>
<fieldset><legend>{{words.returnResolution}}</legend>
<label><input type="radio" name="resolution" value="refund" checked> {{words.returnRefund}}</label>
<label><input type="radio" name="resolution" value="exchange"> {{words.returnExchange}}</label></fieldset>
<p><button type="submit">{{words.returnSubmit}}</button></p></form>{{/if}}`,
  { strict: true },
);

const RETURN_ANSWER = Handlebars.compile(
  `<h1>{{heading}}</h1>
{{#if number}}<dl><dt>{{words.returnNumber}}</dt><dd data-return-number="{{number}}">{{number}}</dd></dl>{{/if}}
{{#if message}}<p class="refusal">{{message}}</p>{{/if}}
<p><a href="/track/{{token}}">{{words.back}}</a></p>`,
  { strict: true },
);

/** The tracking page's return form: the token it posts to, and each item the customer may still send back. */
export interface ReturnForm {
  token: string;
  items: { item: number; left: number }[];
}

const REFUSAL = Handlebars.compile(
  `<h1>{{zhTitle}} · {{enTitle}}</h1><p lang="zh-CN">{{zh}}</p><p lang="en">{{en}}</p>`,
  { strict: true },
);

/** The page for one order in the customer's language; dates in the business's time zone. */
export function renderTrackingPage(
  view: TrackingView,
  language: Language,
  timeZone: string,
  returnForm: ReturnForm | null = null,
): string {
  const words = WORDS[language];
  const format = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short', timeZone });
  const money = new Intl.NumberFormat(language, { style: 'currency', currency: view.currency });
  const fractionDigits = money.resolvedOptions().maximumFractionDigits ?? 2;
  const body = PAGE({
    words,
    status: view.status,
    statusText: words.statuses[view.status],
    steps: view.steps.map(({ step, at }) => ({
      step,
      at,
      name: words.stepNames[step],
      date: format.format(new Date(at)),
    })),
    shipment: view.shipment,
    shipments: view.shipments.map((shipment) => ({
      ...shipment,
      date: format.format(new Date(shipment.shippedAt)),
    })),
    returns: view.returns.map((ret) => ({
      ...ret,
      statusText: words.returnStatuses[ret.status],
      refunded: ret.refunded === null ? null : money.format(ret.refunded / 10 ** fractionDigits),
    })),
    returnForm: returnForm && returnForm.items.length > 0 ? returnForm : null,
  });
  return LAYOUT({ language, title: words.title, body });
}

/**
 * The answer to the tracking page's return form: the return's number, or why it was refused (the API's
 * message, which names the field), with a link back to the page.
 */
export function renderReturnAnswer(
  language: Language,
  token: string,
  answer: { number: string } | { message: string },
): string {
  const words = WORDS[language];
  const requested = 'number' in answer;
  const body = RETURN_ANSWER({
    words,
    token,
    heading: requested ? words.returnRequested : words.returnRefused,
    number: requested ? answer.number : null,
    message: requested ? null : answer.message,
  });
  return LAYOUT({ language, title: words.title, body });
}

/** The page that says why a link shows nothing, in both languages. */
export function renderTrackingRefusal(refusal: TrackingRefusal): string {
  const body = REFUSAL({
    zhTitle: WORDS['zh-CN'].title,
    enTitle: WORDS.en.title,
    zh: REFUSALS[refusal]['zh-CN'],
    en: REFUSALS[refusal].en,
  });
  return LAYOUT({ language: 'zh-CN', title: `${WORDS['zh-CN'].title} · ${WORDS.en.title}`, body });
}
