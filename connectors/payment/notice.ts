/**
 * The asynchronous payment notice — the source of truth, not the browser's
 * redirect. It must be signed with the merchant key, name an order we
 * created, and carry that order's amount; then the money is booked (once) and
 * the waiting case is told, by order number, as message `payment-notice`.
 */
import { t, CallbackRejected, type Callback, type CallbackEvent, type RecordStore } from '../../engine/core/connectors/port.ts';
import { readSignedNotice } from '../lib/signing.ts';
import { getOrder, recordPaid, saveOrder, type OrderRecord } from './books.ts';

const PAYMENT_MESSAGE = 'payment-notice';
/** The provider's answer to a notice it should stop sending, in its protocol. */
const SUCCESS = { status: 200, contentType: 'text/plain', body: 'success' };

interface Notice {
  noticeId: string;
  merchantId: string;
  orderNo: string;
  status: 'paid' | 'failed' | 'closed';
  amountFen: number;
  transactionId?: string;
  paidAt?: number;
  reason?: string;
}

function readPaymentNotice(notice: Record<string, unknown>): Notice {
  const n = notice as Partial<Notice>;
  const shaped =
    typeof n.noticeId === 'string' &&
    typeof n.merchantId === 'string' &&
    typeof n.orderNo === 'string' &&
    (n.status === 'paid' || n.status === 'failed' || n.status === 'closed') &&
    Number.isSafeInteger(n.amountFen) &&
    (n.status !== 'paid' || (typeof n.transactionId === 'string' && Number.isSafeInteger(n.paidAt)));
  if (!shaped) throw new CallbackRejected(t('不是支付通知', 'not a payment notice'));
  return n as Notice;
}

/** Book what the notice says on our order; false when it changes nothing we would tell a flow (a close after the payment, a second payment). */
async function apply(records: RecordStore, order: OrderRecord, notice: Notice): Promise<boolean> {
  if (notice.status === 'paid') return (await recordPaid(records, order, { transactionId: notice.transactionId!, paidAt: notice.paidAt! })) === 'booked';
  if (order.status === 'paid') return false;
  if (notice.status === 'closed' && order.status !== 'closed') await saveOrder(records, { ...order, status: 'closed' });
  return true;
}

function variablesOf(notice: Notice): Record<string, unknown> {
  if (notice.status === 'paid') return { paymentStatus: 'paid', paidAmountFen: notice.amountFen, transactionId: notice.transactionId, paidAt: new Date(notice.paidAt!).toISOString() };
  if (notice.status === 'failed') return { paymentStatus: 'failed', paymentFailure: notice.reason ?? 'unknown' };
  return { paymentStatus: 'closed' };
}

export const paymentNotice: Callback = {
  title: { 'zh-CN': '支付结果通知', en: 'Payment notice' },
  // A citizen may pay before the case reaches its wait (the order was shown while a clerk still worked on it); an order lives at most a day.
  bufferSeconds: 24 * 3600,
  async parse(request, { config, records }): Promise<CallbackEvent> {
    const notice = readPaymentNotice(readSignedNotice(config.secrets.apiKey, request));
    if (notice.merchantId !== config.settings.merchantId) throw new CallbackRejected(t(`通知属于商户 ${notice.merchantId}`, `the notice is for merchant ${notice.merchantId}`));
    const order = await getOrder(records, notice.orderNo);
    if (!order) throw new CallbackRejected(t(`本系统没有创建过订单 ${notice.orderNo}`, `no order ${notice.orderNo} was created here`));
    if (notice.amountFen !== order.amountFen) throw new CallbackRejected(t(`通知金额 ${notice.amountFen} 分，订单 ${order.orderNo} 应付 ${order.amountFen} 分`, `the notice says ${notice.amountFen} fen, order ${order.orderNo} is for ${order.amountFen} fen`));
    const news = await apply(records, order, notice);
    return {
      // An order is paid or closed once, whatever the notice's id; each failed attempt, and each payment under another transaction, is news of its own.
      externalId: notice.status === 'failed' ? `${notice.orderNo}:failed:${notice.noticeId}` : notice.status === 'paid' ? `${notice.orderNo}:paid:${notice.transactionId}` : `${notice.orderNo}:${notice.status}`,
      ...(news && { message: { name: PAYMENT_MESSAGE, correlationKey: notice.orderNo, variables: variablesOf(notice) } }),
      reply: SUCCESS,
    };
  },
};
