/**
 * A local payment provider (an Alipay/WeChat-style merchant API). It checks
 * each request's signature, creates one order per order number (a repeat of
 * the same request gets the same answer), shows a cashier page the citizen
 * pays on, and sends signed notices — paid, failed, closed at expiry —
 * asynchronously, retried while not acknowledged. It refunds no more than was
 * paid, once per request id, and keeps the statement reconciliation reads.
 *
 * Test-only endpoints: POST /_fail {orderNo, reason} (the bank refuses the
 * citizen's attempt), POST /_expire {orderNo} (the order's time runs out now),
 * POST /_statement {date, type, id, orderNo, amountFen|null} (a line added,
 * changed or, with null, dropped from that day's statement), GET /_orders,
 * POST /_control (faults for the merchant API; `late` delays the notices of the
 * next order created).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { SimRequest, SimResponse, Simulator, SimulatorContext } from '../../engine/core/connectors/port.ts';
import { signedHeaders } from '../lib/signing.ts';
import { hang, json, parseJson, pause, setControl, takeFault, readSignedRequest } from '../lib/simulator-kit.ts';
import { ORDER_NO, chinaDate, type LedgerEntry } from './books.ts';
import { payPage } from './pay-page.ts';

const NOTICE_DELAY_MS = 50;
/** Expiry is checked on the newest orders at every request, as the provider's own sweep would. */
const SWEEP_ORDERS = 200;

interface SimOrder {
  orderNo: string;
  requestId: string;
  amountFen: number;
  subject: string;
  businessKey: string | null;
  createdAt: number;
  expiresAt: number;
  status: 'open' | 'paid' | 'closed';
  noticeDelayMs: number;
  /** Where the page leads back to (the merchant's page for the order). */
  returnUrl?: string;
  transactionId?: string;
  paidAt?: number;
}

type Body = Record<string, unknown>;
const data = (value: object) => value as Record<string, unknown>;
const html = (status: number, body: string): SimResponse => ({ status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });

/** The final state wins over the order as created: it is written first. */
async function load(ctx: SimulatorContext, orderNo: string): Promise<SimOrder | null> {
  const record = (await ctx.records.get('final', orderNo)) ?? (await ctx.records.get('order', orderNo));
  return (record?.data as unknown as SimOrder | undefined) ?? null;
}

function notify(ctx: SimulatorContext, order: SimOrder, status: 'paid' | 'failed' | 'closed', extra: Body = {}): void {
  const body = JSON.stringify({ noticeId: `N${randomUUID()}`, merchantId: ctx.config.settings.merchantId, orderNo: order.orderNo, status, amountFen: order.amountFen, ...extra, at: ctx.now() });
  ctx.notify(ctx.callbackUrl('notice'), body, signedHeaders(ctx.config.secrets.apiKey ?? '', body, ctx.now() + order.noticeDelayMs), order.noticeDelayMs);
}

/** An open order becomes paid or closed once: a payment and the expiry (or a close) race for it, one wins. */
async function finish(ctx: SimulatorContext, order: SimOrder, status: 'paid' | 'closed'): Promise<{ order: SimOrder; changed: boolean }> {
  const now = ctx.now();
  const final: SimOrder = status === 'paid' ? { ...order, status, transactionId: `T${chinaDate(now).replace(/-/g, '')}${randomInt(0, 1e12)}`, paidAt: now } : { ...order, status };
  const { record, inserted } = await ctx.records.putIfAbsent('final', order.orderNo, data(final));
  if (!inserted) return { order: record.data as unknown as SimOrder, changed: false };
  await ctx.records.put('order', order.orderNo, data(final));
  if (status === 'paid') await onStatement(ctx, { type: 'payment', id: final.transactionId!, orderNo: order.orderNo, amountFen: order.amountFen, at: now });
  return { order: final, changed: true };
}

const onStatement = (ctx: SimulatorContext, line: LedgerEntry) => ctx.records.put(`stmt:${chinaDate(line.at)}`, `${line.type}:${line.id}`, data(line));

async function closeExpired(ctx: SimulatorContext): Promise<void> {
  const now = ctx.now();
  for (const record of await ctx.records.list('order', SWEEP_ORDERS)) {
    const order = record.data as unknown as SimOrder;
    if (order.status !== 'open' || order.expiresAt > now) continue;
    const { changed } = await finish(ctx, order, 'closed');
    if (changed) notify(ctx, order, 'closed');
  }
}

// ---- the merchant API (signed) --------------------------------------------------------------

async function createOrder(body: Body, ctx: SimulatorContext, delayNotices: number | null): Promise<SimResponse> {
  const { requestId, orderNo, amountFen, subject, expiresInMinutes } = body;
  if (
    typeof requestId !== 'string' ||
    typeof orderNo !== 'string' ||
    !new RegExp(ORDER_NO).test(orderNo) ||
    !Number.isSafeInteger(amountFen) ||
    (amountFen as number) < 1 ||
    typeof subject !== 'string' ||
    !Number.isInteger(expiresInMinutes)
  ) {
    return json(400, { error: 'INVALID_PARAMETER', message: 'requestId, orderNo, amountFen, subject and expiresInMinutes are required' });
  }
  const now = ctx.now();
  const fresh: SimOrder = {
    orderNo,
    requestId,
    amountFen: amountFen as number,
    subject,
    businessKey: typeof body.businessKey === 'string' ? body.businessKey : null,
    createdAt: now,
    expiresAt: now + (expiresInMinutes as number) * 60_000,
    status: 'open',
    noticeDelayMs: delayNotices ?? NOTICE_DELAY_MS,
    ...(typeof body.returnUrl === 'string' && /^https?:\/\//.test(body.returnUrl) && { returnUrl: body.returnUrl }),
  };
  const { record } = await ctx.records.putIfAbsent('order', orderNo, data(fresh));
  const order = record.data as unknown as SimOrder;
  // The same request again gets the same order; the same number for another order is refused.
  if (order.requestId !== requestId || order.amountFen !== amountFen) return json(409, { error: 'ORDER_NO_USED', message: `order number ${orderNo} belongs to another order` });
  const payUrl = `${String(ctx.config.settings.baseUrl)}/pay/${orderNo}`;
  return json(200, { orderNo, payUrl, qrPayload: `${payUrl}?via=qr`, expiresAt: order.expiresAt });
}

async function refundedSlots(ctx: SimulatorContext, orderNo: string): Promise<{ count: number; fen: number }> {
  let fen = 0;
  for (let n = 1; ; n += 1) {
    const slot = await ctx.records.get('refund-slot', `${orderNo}#${n}`);
    if (!slot) return { count: n - 1, fen };
    fen += Number(slot.data.amountFen);
  }
}

const orderView = async (ctx: SimulatorContext, order: SimOrder) => ({
  orderNo: order.orderNo,
  status: order.status,
  amountFen: order.amountFen,
  ...(order.status === 'paid' && { transactionId: order.transactionId, paidAt: order.paidAt }),
  refundedFen: (await refundedSlots(ctx, order.orderNo)).fen,
});

async function refund(body: Body, ctx: SimulatorContext): Promise<SimResponse> {
  const { requestId, orderNo, amountFen } = body;
  if (typeof requestId !== 'string' || typeof orderNo !== 'string' || !Number.isSafeInteger(amountFen) || (amountFen as number) < 1)
    return json(400, { error: 'INVALID_PARAMETER', message: 'requestId, orderNo and amountFen are required' });
  const order = await load(ctx, orderNo);
  if (!order) return json(404, { error: 'ORDER_NOT_FOUND' });
  if (order.status !== 'paid') return json(409, { error: 'ORDER_NOT_PAID' });
  const { record, inserted } = await ctx.records.putIfAbsent('refund-request', requestId, { state: 'pending' });
  if (!inserted) {
    const seen = record.data as { state: string; answer?: SimResponse };
    return seen.answer ?? json(503, { error: 'REFUND_IN_PROGRESS' });
  }
  // Refunds of an order take numbered slots in turn: two at once cannot both spend the same remainder.
  for (;;) {
    const refunded = await refundedSlots(ctx, orderNo);
    let answer: SimResponse;
    if (refunded.fen + (amountFen as number) > order.amountFen) {
      answer = json(409, { error: 'REFUND_EXCEEDS_PAID', message: `${order.amountFen - refunded.fen} fen left to refund` });
    } else {
      const at = ctx.now();
      const line = { refundId: `R${randomUUID()}`, requestId, amountFen: amountFen as number, at };
      if (!(await ctx.records.putIfAbsent('refund-slot', `${orderNo}#${refunded.count + 1}`, line)).inserted) continue;
      await onStatement(ctx, { type: 'refund', id: line.refundId, orderNo, amountFen: line.amountFen, at });
      answer = json(200, { refundId: line.refundId, orderNo, amountFen: line.amountFen, refundedFen: refunded.fen + line.amountFen, at });
    }
    await ctx.records.put('refund-request', requestId, { state: 'done', answer });
    return answer;
  }
}

async function statement(body: Body, ctx: SimulatorContext): Promise<SimResponse> {
  const date = body.date;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return json(400, { error: 'INVALID_PARAMETER', message: 'date (YYYY-MM-DD) is required' });
  const lines = new Map((await ctx.records.list(`stmt:${date}`, 100_000)).map((r) => [r.key, r.data]));
  for (const fix of await ctx.records.list(`stmt-fix:${date}`, 1000)) {
    if (fix.data.line) lines.set(fix.key, fix.data.line as Record<string, unknown>);
    else lines.delete(fix.key);
  }
  return json(200, { date, lines: [...lines.values()].sort((a, b) => Number(a.at) - Number(b.at)) });
}

async function merchantApi(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const read = readSignedRequest(ctx.config.secrets.apiKey, request, ctx.now());
  if ('refused' in read) return read.refused;
  const body = read.body as Body;
  if (body.merchantId !== ctx.config.settings.merchantId) return json(400, { error: 'INVALID_MERCHANT' });
  const fault = await takeFault(ctx.records);
  if (fault?.fault === 'fail') return json(503, { error: 'SYSTEM_BUSY' });
  if (fault?.fault === 'timeout') return hang();
  if (fault?.fault === 'decline') return json(403, { error: 'MERCHANT_SUSPENDED', message: 'the merchant may not trade now' });
  let answer: SimResponse;
  if (request.path === '/orders') answer = await createOrder(body, ctx, fault?.fault === 'late' ? fault.delayMs : null);
  else if (request.path === '/refunds') answer = await refund(body, ctx);
  else if (request.path === '/statements') answer = await statement(body, ctx);
  else {
    const order = typeof body.orderNo === 'string' ? await load(ctx, body.orderNo) : null;
    if (!order) return json(404, { error: 'ORDER_NOT_FOUND' });
    // Closing is "make sure it can no longer be paid": a paid order stays paid, and the answer says so.
    const current = request.path === '/orders/close' && order.status === 'open' ? (await finish(ctx, order, 'closed')).order : order;
    answer = json(200, await orderView(ctx, current));
  }
  // Done first, answered late: a client that gives up now asks again and gets the same answer.
  if (fault?.fault === 'slow') await pause(fault.delayMs);
  return answer;
}

// ---- the citizen's side, and the test's -----------------------------------------------------

async function cashier(request: SimRequest, ctx: SimulatorContext, orderNo: string): Promise<SimResponse> {
  const order = await load(ctx, orderNo);
  if (!order) return html(404, '<!doctype html><p>订单不存在</p>');
  if (request.method === 'GET') return html(200, payPage(order));
  if (order.status !== 'open') return html(409, payPage(order, order.status === 'paid' ? '该订单已支付，请勿重复付款' : '订单已关闭'));
  const { order: now, changed } = await finish(ctx, order, 'paid');
  if (changed) notify(ctx, now, 'paid', { transactionId: now.transactionId, paidAt: now.paidAt });
  return html(changed ? 200 : 409, payPage(now, changed ? '支付成功' : '该订单已不能支付'));
}

async function testOrder(request: SimRequest, ctx: SimulatorContext): Promise<{ order: SimOrder; body: Body } | SimResponse> {
  const body = (parseJson(request.body) ?? {}) as Body;
  const order = typeof body.orderNo === 'string' ? await load(ctx, body.orderNo) : null;
  if (!order) return json(404, { error: 'ORDER_NOT_FOUND' });
  if (order.status !== 'open') return json(409, { error: 'ORDER_NOT_OPEN', status: order.status });
  return { order, body };
}

async function failAttempt(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const found = await testOrder(request, ctx);
  if ('status' in found) return found;
  notify(ctx, found.order, 'failed', { reason: typeof found.body.reason === 'string' ? found.body.reason : 'BANK_DECLINED' });
  return json(202, { orderNo: found.order.orderNo, status: 'open' });
}

async function expire(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const found = await testOrder(request, ctx);
  if ('status' in found) return found;
  const { order, changed } = await finish(ctx, { ...found.order, expiresAt: ctx.now() }, 'closed');
  if (changed) notify(ctx, order, 'closed');
  return json(200, { orderNo: order.orderNo, status: order.status });
}

async function plantStatementLine(request: SimRequest, ctx: SimulatorContext): Promise<SimResponse> {
  const { date, type, id, orderNo, amountFen } = (parseJson(request.body) ?? {}) as Body;
  if (typeof date !== 'string' || (type !== 'payment' && type !== 'refund') || typeof id !== 'string' || (amountFen !== null && !Number.isSafeInteger(amountFen))) {
    return json(400, { error: 'date, type (payment|refund), id and amountFen (null drops the line) are required' });
  }
  const line = amountFen === null ? null : { type, id, orderNo: String(orderNo ?? ''), amountFen, at: Date.parse(`${date}T12:00:00+08:00`) };
  await ctx.records.put(`stmt-fix:${date}`, `${type}:${id}`, { line });
  return json(200, { date, line });
}

export const paymentSimulator: Simulator = {
  async handle(request, ctx) {
    const route = `${request.method} ${request.path}`;
    if (route === 'POST /_control') return setControl(ctx.records, request);
    await closeExpired(ctx);
    const page = /^\/pay\/([^/]+)$/.exec(request.path);
    if (page && (request.method === 'GET' || request.method === 'POST')) return cashier(request, ctx, decodeURIComponent(page[1]!));
    if (request.method === 'POST' && ['/orders', '/orders/query', '/orders/close', '/refunds', '/statements'].includes(request.path)) return merchantApi(request, ctx);
    if (route === 'POST /_fail') return failAttempt(request, ctx);
    if (route === 'POST /_expire') return expire(request, ctx);
    if (route === 'POST /_statement') return plantStatementLine(request, ctx);
    if (route === 'GET /_orders') return json(200, { items: (await ctx.records.list('order', 500)).map((r) => r.data) });
    return json(404, { error: `no ${route} here` });
  },
};
