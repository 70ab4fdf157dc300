/**
 * The daily reconciliation: our books for a date against the provider's
 * statement for it, line by line (payments by transaction id, refunds by
 * refund id), with the totals of both sides.
 */
import type { LedgerEntry } from './books.ts';

export type StatementLine = LedgerEntry;

interface Totals {
  paymentsFen: number;
  refundsFen: number;
  /** Payments less refunds: what should reach the bureau's account. */
  netFen: number;
  lines: number;
}

export interface ReconciliationReport {
  date: string;
  matched: number;
  /** On the provider's statement, not in our books: money we never saw a notice for. */
  missingOnOurSide: StatementLine[];
  /** In our books, not on the statement. */
  missingAtProvider: LedgerEntry[];
  amountMismatches: Array<{ type: LedgerEntry['type']; id: string; orderNo: string; oursFen: number; providerFen: number }>;
  totals: { ours: Totals; provider: Totals };
  /** Nothing missing, nothing different. */
  balanced: boolean;
}

const keyOf = (e: LedgerEntry) => `${e.type}:${e.id}`;

function totalsOf(entries: LedgerEntry[]): Totals {
  const sum = (type: LedgerEntry['type']) => entries.filter((e) => e.type === type).reduce((s, e) => s + e.amountFen, 0);
  const paymentsFen = sum('payment');
  const refundsFen = sum('refund');
  return { paymentsFen, refundsFen, netFen: paymentsFen - refundsFen, lines: entries.length };
}

export function reconcile(date: string, ours: LedgerEntry[], statement: StatementLine[]): ReconciliationReport {
  const theirs = new Map(statement.map((line) => [keyOf(line), line]));
  const mine = new Map(ours.map((entry) => [keyOf(entry), entry]));
  const report: ReconciliationReport = {
    date,
    matched: 0,
    missingOnOurSide: statement.filter((line) => !mine.has(keyOf(line))),
    missingAtProvider: [],
    amountMismatches: [],
    totals: { ours: totalsOf(ours), provider: totalsOf(statement) },
    balanced: false,
  };
  for (const entry of ours) {
    const line = theirs.get(keyOf(entry));
    if (!line) report.missingAtProvider.push(entry);
    else if (line.amountFen !== entry.amountFen) report.amountMismatches.push({ type: entry.type, id: entry.id, orderNo: entry.orderNo, oursFen: entry.amountFen, providerFen: line.amountFen });
    else report.matched += 1;
  }
  report.balanced = !report.missingOnOurSide.length && !report.missingAtProvider.length && !report.amountMismatches.length;
  return report;
}
