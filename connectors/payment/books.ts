/**
 * Our side of the books, kept in the connector's records: the orders we
 * created (a notice is checked against them) and every amount paid or
 * refunded, by the provider's business date, for the daily reconciliation.
 */
import type { RecordStore } from '../../engine/core/connectors/port.ts';

export type OrderStatus = 'created' | 'paid' | 'closed';

export interface OrderRecord {
  orderNo: string;
  amountFen: number;
  subject: string;
  businessKey: string | null;
  instanceId: string;
  status: OrderStatus;
  transactionId?: string;
  paidAt?: number;
}

/** One movement of money as both sides book it: a payment (by transaction id) or a refund (by refund id). */
export interface LedgerEntry {
  type: 'payment' | 'refund';
  id: string;
  orderNo: string;
  amountFen: number;
  at: number;
}

/** Order numbers are ours (as out_trade_no is the merchant's): P, the date, ten digits. */
export const ORDER_NO = '^P\\d{18}$';
const CHINA_OFFSET_MS = 8 * 3600_000;
/** More movements than this on one day would need paging; far above a bureau's day. */
const MAX_ENTRIES_PER_DAY = 100_000;

/** The business date (Beijing time, as the provider's statements are cut) of a moment. */
export const chinaDate = (ms: number): string => new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);

export async function getOrder(records: RecordStore, orderNo: string): Promise<OrderRecord | null> {
  return ((await records.get('order', orderNo))?.data as OrderRecord | undefined) ?? null;
}

export async function saveOrder(records: RecordStore, order: OrderRecord): Promise<void> {
  await records.put('order', order.orderNo, order as unknown as Record<string, unknown>);
}

/** Book a movement once: the same transaction or refund again (a replayed notice, a retried job) changes nothing. */
export async function book(records: RecordStore, entry: LedgerEntry): Promise<void> {
  await records.putIfAbsent(`ledger:${chinaDate(entry.at)}`, `${entry.type}:${entry.id}`, entry as unknown as Record<string, unknown>);
  if (entry.type === 'refund') await records.putIfAbsent(`refund:${entry.orderNo}`, entry.id, entry as unknown as Record<string, unknown>);
}

export async function ledgerOf(records: RecordStore, date: string): Promise<LedgerEntry[]> {
  return (await records.list(`ledger:${date}`, MAX_ENTRIES_PER_DAY)).map((r) => r.data as unknown as LedgerEntry);
}

/** A second payment for an order already paid (a new transaction id): kept for a refund, never booked. */
export interface PaymentAnomaly {
  orderNo: string;
  transactionId: string;
  amountFen: number;
  paidAt: number;
  /** The transaction that paid the order. */
  bookedTransactionId: string;
  instanceId: string;
  businessKey: string | null;
}

/**
 * The provider took the money for an order (a notice, or a query that found
 * what a lost notice would have said). An order is paid once in our books: a
 * second payment under another transaction id is an anomaly to refund.
 */
export async function recordPaid(records: RecordStore, order: OrderRecord, paid: { transactionId: string; paidAt: number }): Promise<'booked' | 'anomaly'> {
  // The first transaction to claim the order pays it, atomically: two notices at once cannot both book.
  const { record } = await records.putIfAbsent('paid-by', order.orderNo, { transactionId: paid.transactionId });
  const current = (await getOrder(records, order.orderNo)) ?? order;
  const bookedTransactionId = current.status === 'paid' && current.transactionId ? current.transactionId : String(record.data.transactionId);
  if (bookedTransactionId !== paid.transactionId) {
    const anomaly: PaymentAnomaly = { orderNo: order.orderNo, transactionId: paid.transactionId, amountFen: order.amountFen, paidAt: paid.paidAt, bookedTransactionId, instanceId: order.instanceId, businessKey: order.businessKey };
    await records.putIfAbsent('anomaly', `${order.orderNo}:${paid.transactionId}`, anomaly as unknown as Record<string, unknown>);
    return 'anomaly';
  }
  // Booked even when we had closed the order meanwhile: the money is there and needs a refund.
  if (current.status !== 'paid') await saveOrder(records, { ...current, status: 'paid', ...paid });
  await book(records, { type: 'payment', id: paid.transactionId, orderNo: order.orderNo, amountFen: order.amountFen, at: paid.paidAt });
  return 'booked';
}

/** What we refunded on an order so far. */
export async function refundedFen(records: RecordStore, orderNo: string): Promise<number> {
  return (await records.list(`refund:${orderNo}`, 1000)).reduce((sum, r) => sum + Number(r.data.amountFen), 0);
}
