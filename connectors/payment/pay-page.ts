/** The simulated cashier page a citizen opens from the pay URL or the QR code. */

interface PageOrder {
  orderNo: string;
  subject: string;
  amountFen: number;
  status: 'open' | 'paid' | 'closed';
  returnUrl?: string;
}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const yuan = (fen: number) => `¥${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;

const STATUS = { open: '待支付', paid: '已支付', closed: '已关闭' } as const;

export function payPage(order: PageOrder, note = ''): string {
  const action = order.status === 'open' ? `<form method="post"><button type="submit">确认支付 ${yuan(order.amountFen)}</button></form>` : '';
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>收银台</title></head>
<body>
  <h1>${escape(order.subject)}</h1>
  <p>订单号 <code>${escape(order.orderNo)}</code></p>
  <p class="amount">${yuan(order.amountFen)}</p>
  <p class="status">${STATUS[order.status]}</p>
  ${note ? `<p class="note">${escape(note)}</p>` : ''}
  ${action}
  ${order.returnUrl ? `<p><a href="${escape(order.returnUrl)}">${order.status === 'open' ? '返回商户' : '完成，返回商户'}</a></p>` : ''}
</body></html>`;
}
