/**
 * What an invoice, a packing slip or a shipping label shows, worked out once for both the HTML and the PDF
 * rendering: labels in the customer's language, money formatted from minor units, the tax included in the
 * total split out at the seller's rate.
 */
import type { Invoice, SellerSetting } from '../../db/repositories';
import type { OrderShipment, OrderSnapshot } from '../../domain/order';

export const DOCUMENT_KINDS = ['invoice', 'packing-slip', 'shipping-label'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
import type { Language } from '../../domain/people';

export type { Language };

export interface DocumentCustomer {
  name: string;
  email: string;
  phone: string | null;
  address: string | null;
  language: Language;
}

const LABELS = {
  'zh-CN': {
    invoice: '发票',
    'packing-slip': '装箱单',
    'shipping-label': '快递面单',
    invoiceNumber: '发票号',
    issuedAt: '开票日期',
    orderNumber: '订单号',
    placedAt: '下单日期',
    seller: '销售方',
    taxId: '税号',
    buyer: '购买方',
    recipient: '收件人',
    sender: '寄件人',
    address: '地址',
    phone: '电话',
    sku: '货号',
    item: '商品',
    quantity: '数量',
    unitPrice: '单价',
    lineTotal: '金额',
    net: '不含税金额',
    tax: '税额',
    total: '价税合计',
    carrier: '承运商',
    trackingNumber: '运单号',
    notYetShipped: '尚未发货',
    packedItems: '件数合计',
  },
  en: {
    invoice: 'Invoice',
    'packing-slip': 'Packing slip',
    'shipping-label': 'Shipping label',
    invoiceNumber: 'Invoice number',
    issuedAt: 'Issued',
    orderNumber: 'Order number',
    placedAt: 'Placed',
    seller: 'Seller',
    taxId: 'Tax ID',
    buyer: 'Bill to',
    recipient: 'Ship to',
    sender: 'From',
    address: 'Address',
    phone: 'Phone',
    sku: 'SKU',
    item: 'Item',
    quantity: 'Qty',
    unitPrice: 'Unit price',
    lineTotal: 'Amount',
    net: 'Net',
    tax: 'Tax',
    total: 'Total',
    carrier: 'Carrier',
    trackingNumber: 'Tracking number',
    notYetShipped: 'not shipped yet',
    packedItems: 'Items',
  },
} as const;

export type Labels = { [K in keyof (typeof LABELS)['en']]: string };

export interface DocumentLine {
  sku: string;
  name: string;
  quantity: number;
  unitPrice: string;
  lineTotal: string;
}

export interface DocumentModel {
  kind: DocumentKind;
  language: Language;
  title: string;
  labels: Labels;
  order: { id: string; number: string; placedAt: string };
  invoice: { number: string; issuedAt: string } | null;
  seller: SellerSetting;
  customer: DocumentCustomer;
  lines: DocumentLine[];
  items: number;
  totals: { net: string; tax: string; taxRate: string; total: string };
  shipment: { carrier: string; trackingNumber: string } | null;
}

/** Formats minor units of a currency in a language, e.g. 12990 CNY → "¥129.90". */
export function moneyFormatter(currency: string, language: Language): (minor: number) => string {
  const format = new Intl.NumberFormat(language, { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return (minor) => format.format(minor / 10 ** digits);
}

/** Splits a tax-inclusive total into net and tax at a rate in basis points (tax rounded half up). */
export function splitTax(total: number, rateBp: number): { net: number; tax: number } {
  const net = Math.round((total * 10_000) / (10_000 + rateBp));
  return { net, tax: total - net };
}

export function documentModel(input: {
  kind: DocumentKind;
  order: OrderSnapshot;
  customer: DocumentCustomer;
  seller: SellerSetting;
  invoice: Invoice | null;
  timeZone: string;
  /**
   * One parcel of an order shipped in parts: the document shows only its lines and its carrier and tracking
   * number (a packing slip or a label per shipment). Without it, the whole order.
   */
  shipment?: OrderShipment;
}): DocumentModel {
  const { kind, customer, shipment } = input;
  const order = shipment ? shipmentOrder(input.order, shipment) : input.order;
  const language = customer.language;
  const money = moneyFormatter(order.currency, language);
  const date = (iso: string) =>
    new Intl.DateTimeFormat('en-CA', { timeZone: input.timeZone, dateStyle: 'short' }).format(new Date(iso));
  // An issued invoice keeps the seller and rate it was issued with.
  const seller = input.invoice?.seller ?? input.seller;
  const rateBp = input.invoice?.taxRateBp ?? input.seller.taxRateBp;
  const { net, tax } = splitTax(order.total, rateBp);
  return {
    kind,
    language,
    title: LABELS[language][kind],
    labels: LABELS[language],
    order: { id: order.orderId, number: order.number, placedAt: date(order.createdAt) },
    invoice: input.invoice ? { number: input.invoice.number, issuedAt: date(input.invoice.issuedAt) } : null,
    seller,
    customer,
    lines: order.lines.map((line) => ({
      sku: line.sku,
      name: line.name,
      quantity: line.quantity,
      unitPrice: money(line.unitPrice),
      lineTotal: money(line.lineTotal),
    })),
    items: order.lines.reduce((sum, line) => sum + line.quantity, 0),
    totals: { net: money(net), tax: money(tax), taxRate: `${rateBp / 100}%`, total: money(order.total) },
    shipment: order.shipment
      ? { carrier: order.shipment.carrier, trackingNumber: order.shipment.trackingNumber }
      : null,
  };
}

/**
 * The order as one of its shipments: that shipment's lines (at the order's prices), their value as the
 * total, and its carrier and tracking number.
 */
function shipmentOrder(order: OrderSnapshot, shipment: OrderShipment): OrderSnapshot {
  const ordered = new Map(order.lines.map((line) => [line.sku, line]));
  const lines = shipment.lines.flatMap(({ sku, quantity }) => {
    const line = ordered.get(sku);
    return line ? [{ ...line, quantity, lineTotal: line.unitPrice * quantity }] : [];
  });
  const { carrier, trackingNumber, shippedAt } = shipment;
  return {
    ...order,
    lines,
    total: lines.reduce((sum, line) => sum + line.lineTotal, 0),
    shipment: { carrier, trackingNumber, shippedAt },
  };
}
