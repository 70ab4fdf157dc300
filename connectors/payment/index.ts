/**
 * Payment (支付), Alipay/WeChat style: create an order (amount in fen, subject,
 * the case), get a pay URL and a QR payload; query; close; refund; and the
 * daily reconciliation of our books against the provider's statement. The
 * signed asynchronous notice (notice.ts) is what says an order was paid.
 *
 * The provider protocol: POST {baseUrl}/orders, /orders/query, /orders/close,
 * /refunds, /statements with a JSON body, signed like every gateway here
 * (X-Timestamp, X-Signature: HMAC-SHA256 of timestamp and body with the
 * merchant's API key). The order number is ours (out_trade_no), chosen once per
 * job; the job's idempotency key is the request id, so a retried job creates
 * one order and makes one refund.
 */
import { randomInt } from 'node:crypto';
import { t, ConnectorError, type Connector, type OperationContext } from '../../engine/core/connectors/port.ts';
import { callSigned } from '../lib/http.ts';
import { portalUrlOf } from '../lib/portal.ts';
import { ORDER_NO, book, chinaDate, getOrder, ledgerOf, recordPaid, refundedFen, saveOrder, type OrderRecord } from './books.ts';
import { paymentNotice } from './notice.ts';
import { reconcile, type StatementLine } from './reconcile.ts';
import { paymentSimulator } from './simulator.ts';

export interface PaymentSettings {
  baseUrl: string;
  merchantId: string;
  /** How long an order can be paid when the task does not say. */
  expiresInMinutes: number;
  timeoutMs: number;
  /** The portal: after paying, the provider's page leads back to the case there (its return URL); never what says it is paid. */
  portalUrl?: string;
}

/** An error a clerk or an admin reads on the case: Chinese first, English after. */
const refusal = (zh: string, en: string) => new ConnectorError(`${zh}（${en}）`, false);
const DAY_MS = 24 * 3600_000;
const orderNoInput = { type: 'string', pattern: ORDER_NO };

const settingsOf = (ctx: OperationContext) => ctx.config.settings as unknown as PaymentSettings;

/** One signed call to the provider, recorded on the job's attempt. */
async function call<T>(ctx: OperationContext, path: string, payload: Record<string, unknown>): Promise<T> {
  const settings = settingsOf(ctx);
  const body = JSON.stringify({ merchantId: settings.merchantId, ...payload });
  ctx.report({ request: { path, ...payload } });
  const answer = await callSigned(`${settings.baseUrl}${path}`, ctx.config.secrets.apiKey, body, { signal: ctx.signal, timeoutMs: settings.timeoutMs });
  ctx.report({ response: answer.body });
  if (!answer.body || typeof answer.body !== 'object') throw new ConnectorError(`${path}: the provider answered ${JSON.stringify(answer.body)}`, true);
  return answer.body as T;
}

async function ourOrder(ctx: OperationContext, orderNo: string): Promise<OrderRecord> {
  const order = await getOrder(ctx.records, orderNo);
  if (!order) throw refusal(`订单 ${orderNo} 不是本系统创建的`, `order ${orderNo} was not created here`);
  return order;
}

interface ProviderOrder {
  orderNo: string;
  status: 'open' | 'paid' | 'closed';
  amountFen: number;
  transactionId?: string;
  paidAt?: number;
  refundedFen?: number;
}

/** What the provider says of an order, taken into our books: a payment whose notice was lost is booked now. */
async function takeProviderState(ctx: OperationContext, order: OrderRecord, state: ProviderOrder): Promise<void> {
  if (state.amountFen !== order.amountFen)
    throw refusal(`支付平台的订单金额 ${state.amountFen} 分与本系统的 ${order.amountFen} 分不符`, `the provider has ${state.amountFen} fen for an order of ${order.amountFen} fen`);
  if (state.status === 'paid' && state.transactionId && state.paidAt) await recordPaid(ctx.records, order, { transactionId: state.transactionId, paidAt: state.paidAt });
  else if (state.status === 'closed' && order.status === 'created') await saveOrder(ctx.records, { ...order, status: 'closed' });
}

const isStatementLine = (line: unknown): line is StatementLine => {
  const l = line as Partial<StatementLine> | null;
  return Boolean(l && (l.type === 'payment' || l.type === 'refund') && typeof l.id === 'string' && typeof l.orderNo === 'string' && Number.isSafeInteger(l.amountFen));
};

const newOrderNo = (now: number) => `P${chinaDate(now).replace(/-/g, '')}${String(randomInt(0, 10_000_000_000)).padStart(10, '0')}`;

export function paymentConnector(): Connector {
  return {
    name: 'payment',
    title: t('支付', 'Payment'),
    settings: {
      type: 'object',
      required: ['baseUrl', 'merchantId', 'expiresInMinutes', 'timeoutMs'],
      properties: {
        baseUrl: { type: 'string', format: 'uri' },
        merchantId: { type: 'string', minLength: 1, maxLength: 64 },
        expiresInMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
        timeoutMs: { type: 'integer', minimum: 100, maximum: 60_000 },
        portalUrl: { type: 'string', format: 'uri' },
      },
    },
    secrets: ['apiKey'],
    defaults: (simulator) => ({
      settings: { baseUrl: simulator.baseUrl, merchantId: 'xuchang-police', expiresInMinutes: 30, timeoutMs: 5000, portalUrl: portalUrlOf(simulator.baseUrl) },
      secrets: { apiKey: 'payment-simulator-key' },
    }),
    operations: {
      createOrder: {
        title: t('创建支付订单', 'Create a payment order'),
        input: {
          type: 'object',
          required: ['amountFen', 'subject'],
          properties: {
            amountFen: { type: 'integer', minimum: 1, maximum: 100_000_000 },
            subject: { type: 'string', minLength: 1, maxLength: 128 },
            businessKey: { type: 'string', maxLength: 128 },
            expiresInMinutes: { type: 'integer', minimum: 1, maximum: 1440 },
          },
        },
        async run(input, ctx) {
          // The order number is chosen once per job and the order written before the provider hears of it: a notice never names an order we do not know.
          const { record } = await ctx.records.putIfAbsent('order-request', ctx.idempotencyKey, { orderNo: newOrderNo(ctx.now()) });
          const orderNo = String(record.data.orderNo);
          const order: OrderRecord = {
            orderNo,
            amountFen: Number(input.amountFen),
            subject: String(input.subject),
            businessKey: (input.businessKey as string | undefined) ?? ctx.businessKey,
            instanceId: ctx.instanceId,
            status: 'created',
          };
          await ctx.records.putIfAbsent('order', orderNo, order as unknown as Record<string, unknown>);
          const answer = await call<{ payUrl?: unknown; qrPayload?: unknown; expiresAt?: unknown }>(ctx, '/orders', {
            requestId: ctx.idempotencyKey,
            orderNo,
            amountFen: order.amountFen,
            subject: order.subject,
            businessKey: order.businessKey,
            expiresInMinutes: input.expiresInMinutes ?? settingsOf(ctx).expiresInMinutes,
            ...(settingsOf(ctx).portalUrl && ctx.instanceId && { returnUrl: `${settingsOf(ctx).portalUrl}/cases/${encodeURIComponent(ctx.instanceId)}` }),
          });
          if (typeof answer.payUrl !== 'string' || typeof answer.qrPayload !== 'string' || typeof answer.expiresAt !== 'number')
            throw new ConnectorError('the provider answered without a pay URL', true, answer);
          return { orderNo, payUrl: answer.payUrl, qrPayload: answer.qrPayload, orderExpiresAt: new Date(answer.expiresAt).toISOString() };
        },
      },
      query: {
        title: t('查询订单', 'Query an order'),
        input: { type: 'object', required: ['orderNo'], properties: { orderNo: orderNoInput } },
        async run(input, ctx) {
          const order = await ourOrder(ctx, String(input.orderNo));
          const state = await call<ProviderOrder>(ctx, '/orders/query', { orderNo: order.orderNo });
          await takeProviderState(ctx, order, state);
          return {
            paymentStatus: state.status === 'open' ? 'unpaid' : state.status,
            ...(state.status === 'paid' && { paidAmountFen: state.amountFen, transactionId: state.transactionId, paidAt: new Date(state.paidAt!).toISOString() }),
            refundedAmountFen: state.refundedFen ?? 0,
          };
        },
      },
      close: {
        title: t('关闭订单', 'Close an order'),
        input: { type: 'object', required: ['orderNo'], properties: { orderNo: orderNoInput } },
        async run(input, ctx) {
          const order = await ourOrder(ctx, String(input.orderNo));
          // Closing a paid order is no error: the answer says it was paid (the citizen was quicker than the timer).
          const state = await call<ProviderOrder>(ctx, '/orders/close', { orderNo: order.orderNo });
          await takeProviderState(ctx, order, state);
          return { paymentStatus: state.status };
        },
      },
      refund: {
        title: t('退款', 'Refund'),
        input: {
          type: 'object',
          required: ['orderNo'],
          properties: { orderNo: orderNoInput, amountFen: { type: 'integer', minimum: 1, maximum: 100_000_000 }, reason: { type: 'string', maxLength: 256 } },
        },
        async run(input, ctx) {
          const done = await ctx.records.get('refund-request', ctx.idempotencyKey);
          if (done) return done.data; // this job's refund went through before its answer was lost
          const order = await ourOrder(ctx, String(input.orderNo));
          if (order.status !== 'paid') throw refusal(`订单 ${order.orderNo} 尚未支付，不能退款`, `order ${order.orderNo} is not paid: nothing to refund`);
          const refundable = order.amountFen - (await refundedFen(ctx.records, order.orderNo));
          const amountFen = (input.amountFen as number | undefined) ?? refundable;
          if (refundable <= 0) throw refusal(`订单 ${order.orderNo} 已全额退款`, `order ${order.orderNo} is refunded in full`);
          if (amountFen > refundable) throw refusal(`退款 ${amountFen} 分超过可退金额 ${refundable} 分`, `a refund of ${amountFen} fen is more than the ${refundable} fen left to refund`);
          const answer = await call<{ refundId?: unknown; amountFen?: unknown; refundedFen?: unknown; at?: unknown }>(ctx, '/refunds', {
            requestId: ctx.idempotencyKey,
            orderNo: order.orderNo,
            amountFen,
            reason: input.reason ?? '',
          });
          if (typeof answer.refundId !== 'string' || answer.amountFen !== amountFen || typeof answer.at !== 'number')
            throw new ConnectorError('the provider answered without the refund', true, answer);
          await book(ctx.records, { type: 'refund', id: answer.refundId, orderNo: order.orderNo, amountFen, at: answer.at });
          const result = { refundId: answer.refundId, refundAmountFen: amountFen, refundedTotalFen: Number(answer.refundedFen), refundedAt: new Date(answer.at).toISOString() };
          await ctx.records.put('refund-request', ctx.idempotencyKey, result);
          return result;
        },
      },
      reconcile: {
        title: t('日终对账', 'Daily reconciliation'),
        input: { type: 'object', properties: { date: { type: 'string', format: 'date' } } },
        async run(input, ctx) {
          // Run after midnight, it checks the day that just ended.
          const date = (input.date as string | undefined) ?? chinaDate(ctx.now() - DAY_MS);
          const statement = await call<{ date?: unknown; lines?: unknown }>(ctx, '/statements', { date });
          if (statement.date !== date || !Array.isArray(statement.lines) || !statement.lines.every(isStatementLine))
            throw new ConnectorError(`the provider answered without a readable statement for ${date}`, true, statement);
          const report = reconcile(date, await ledgerOf(ctx.records, date), statement.lines);
          await ctx.records.put('reconciliation', date, report as unknown as Record<string, unknown>);
          return { reconciliation: report, reconciliationBalanced: report.balanced, reconciliationDate: date };
        },
      },
    },
    callbacks: { notice: paymentNotice },
    reports: {
      anomalies: { title: t('异常收款（重复支付，待退款）', 'Anomalies: second payments of a paid order, to refund'), kind: 'anomaly' },
      reconciliations: { title: t('日终对账结果', 'Daily reconciliations'), kind: 'reconciliation' },
    },
    simulator: paymentSimulator,
  };
}
