/**
 * The public BPMN models drawn by others (../shared/corpus/bpmn, never copied
 * into the project): next to this checkout, or at WF_CORPUS; null when
 * neither is there (a clone elsewhere), and the tests that read it skip.
 */
import fs from 'node:fs';
import path from 'node:path';

const CANDIDATES = [process.env.WF_CORPUS, path.resolve('..', 'shared', 'corpus', 'bpmn'), '/work/shared/corpus/bpmn'];

export const corpusDir = (): string | null => CANDIDATES.find((dir): dir is string => !!dir && fs.existsSync(dir)) ?? null;
