/**
 * The public BPMN models drawn by others (../shared/corpus/bpmn, never copied
 * into the project): next to this checkout, at /work/shared (a clone
 * elsewhere on this machine), or at WF_CORPUS. Missing, it is an error that
 * says where it was looked for.
 */
import fs from 'node:fs';
import path from 'node:path';

const CANDIDATES = [process.env.WF_CORPUS, path.resolve('..', 'shared', 'corpus', 'bpmn'), '/work/shared/corpus/bpmn'];

export function corpusDir(): string {
  const found = CANDIDATES.find((dir): dir is string => !!dir && fs.existsSync(dir));
  if (!found) throw new Error(`the BPMN corpus is not at ${CANDIDATES.filter(Boolean).join(' or ')}; set WF_CORPUS to where it is`);
  return found;
}
