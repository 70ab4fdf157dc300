import type { QueryInterface } from 'sequelize';
import * as initial from './0001-initial.ts';
import * as forms from './0002-forms.ts';
import * as connectors from './0003-connectors.ts';
import * as taskClocks from './0004-task-clocks.ts';
import * as org from './0005-org.ts';
import * as tamperEvidence from './0006-tamper-evidence.ts';
import * as taskInitiator from './0007-task-initiator.ts';
import * as catalog from './0008-catalog.ts';
import * as stateNames from './0009-state-names.ts';
import * as documents from './0010-documents.ts';
import * as identityLevels from './0011-identity-levels.ts';

export interface Migration {
  name: string;
  up(params: { context: QueryInterface }): Promise<void>;
}

/** Append-only: a landed migration is never edited; add a new file and list it last. */
export const MIGRATIONS: Migration[] = [
  { name: '0001-initial', up: initial.up },
  { name: '0002-forms', up: forms.up },
  { name: '0003-connectors', up: connectors.up },
  { name: '0004-task-clocks', up: taskClocks.up },
  { name: '0005-org', up: org.up },
  { name: '0006-tamper-evidence', up: tamperEvidence.up },
  { name: '0007-task-initiator', up: taskInitiator.up },
  { name: '0008-catalog', up: catalog.up },
  { name: '0009-state-names', up: stateNames.up },
  { name: '0010-documents', up: documents.up },
  { name: '0011-identity-levels', up: identityLevels.up },
];
