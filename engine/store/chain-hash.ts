/** The step of the hash chains (chains.ts), on its own: the SQLite executor registers it as a SQL function. */
import { createHash } from 'node:crypto';

/** The hash before a chain's first row. */
export const GENESIS = '0'.repeat(64);

/** The hash of one row: the previous row's hash, its number and its content (JSON of the values as stored, in a fixed order). wf_chain_hash in SQL is the same. */
export function chainHash(previous: string, seq: number, content: string): string {
  return createHash('sha256').update(`${previous}\n${seq}\n${content}`).digest('hex');
}
