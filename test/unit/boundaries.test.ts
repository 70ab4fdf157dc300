/**
 * The boundaries between the project's parts are checked by the linter
 * (scripts/lint/boundaries.js, the table in eslint.config.js): a forbidden
 * import per boundary is linted here and must be refused; allowed ones pass.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { ESLint } from 'eslint';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** [the file the import is written in, the import, refused?] */
const CASES: Array<[string, string, boolean]> = [
  // engine/core: pure — no I/O packages, no Node built-ins but crypto and zlib, no adapters, configuration or server
  ['engine/core/probe.ts', "import x from 'better-sqlite3';", true],
  ['engine/core/probe.ts', "import x from 'umzug';", true],
  ['engine/core/probe.ts', "import x from 'busboy';", true],
  ['engine/core/probe.ts', "import x from 'smtp-server';", true],
  ['engine/core/probe.ts', "import x from 'express';", true],
  ['engine/core/probe.ts', "import x from 'pg';", true],
  ['engine/core/probe.ts', "import x from 'ioredis';", true],
  ['engine/core/usecases/probe.ts', "import x from 'node:fs';", true],
  ['engine/core/probe.ts', "import x from 'fs';", true],
  ['engine/core/probe.ts', "import x from 'node:http';", true],
  ['engine/core/probe.ts', "import x from 'node:worker_threads';", true],
  ['engine/core/probe.ts', "import { loadConfig } from '../config.ts';", true],
  ['engine/core/probe.ts', "import { createServer } from '../server.ts';", true],
  ['engine/core/probe.ts', "import { SqlStore } from '../store/sql-store.ts';", true],
  ['engine/core/probe.ts', "import { createApp } from '../http/app.ts';", true],
  ['engine/core/probe.ts', "import { BullJobQueue } from '../queue/bullmq.ts';", true],
  ['engine/core/probe.ts', "import { builtinConnectors } from '../../connectors/index.ts';", true],
  ['engine/core/probe.ts', "import { MIGRATIONS } from '../../migrations/index.ts';", true],
  ['engine/core/probe.ts', "const x = await import('node:child_process');", true],
  ['engine/core/probe.ts', "import { createHash } from 'node:crypto';", false],
  ['engine/core/probe.ts', "import { inflateSync } from 'node:zlib';", false],
  ['engine/core/probe.ts', "import { t } from '../../forms/model.ts';", false],
  // forms and definitions: pure, and nothing from engine/
  ['forms/probe.ts', "import { WorkflowError } from '../engine/core/errors.ts';", true],
  ['forms/probe.ts', "import x from 'node:fs';", true],
  ['definitions/bpmn/probe.ts', "import { Services } from '../../engine/core/services.ts';", true],
  ['definitions/bpmn/probe.ts', "import x from 'node:path';", true],
  ['definitions/bpmn/probe.ts', "import { t } from '../../forms/model.ts';", false],
  // connectors: only the connector port, connectors/lib and forms/formats
  ['connectors/sms/probe.ts', "import { Services } from '../../engine/core/services.ts';", true],
  ['connectors/sms/probe.ts', "import { SqlStore } from '../../engine/store/sql-store.ts';", true],
  ['connectors/sms/probe.ts', "import { compileForm } from '../../forms/compile.ts';", true],
  ['connectors/sms/probe.ts', "import { ConnectorError } from '../../engine/core/connectors/port.ts';", false],
  ['connectors/sms/probe.ts', "import { callSigned } from '../lib/http.ts';", false],
  // engine/http: the front door only — no store, no queue, no wiring, no use case or runtime behind the front door
  ['engine/http/probe.ts', "import { SqlStore } from '../store/sql-store.ts';", true],
  ['engine/http/probe.ts', "import { Workflow } from '../core/workflow.ts';", true],
  ['engine/http/probe.ts', "import { handOver } from '../core/usecases/inbox.ts';", true],
  ['engine/http/probe.ts', "import { Services } from '../core/services.ts';", true],
  ['engine/http/probe.ts', "import { frontDoor } from '../core/api/front-door.ts';", false],
  ['engine/http/probe.ts', "import { BullJobQueue } from '../queue/bullmq.ts';", true],
  ['engine/http/probe.ts', "import { wireEngine } from '../wiring.ts';", true],
  // designer: nothing from engine/, only forms/ and its own code
  ['designer/src/probe.ts', "import { WorkflowError } from '../../engine/core/errors.ts';", true],
  ['designer/src/probe.ts', "import x from 'node:fs';", true],
  ['designer/src/probe.ts', "import { compile } from '../../forms/compile.ts';", false],
];

describe('boundaries between the parts, checked by the linter', function () {
  this.timeout(60_000);
  const eslint = new ESLint({ cwd: ROOT });

  for (const [file, code, refused] of CASES) {
    it(`${refused ? 'refuses' : 'allows'} ${code.replace(/^.*from |^const x = await /, '')} in ${file}`, async () => {
      const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath: path.join(ROOT, file) });
      const problems = result!.messages.filter((m) => m.ruleId === 'boundaries/layers');
      if (refused) expect(problems.map((m) => m.message).join('\n')).to.match(/may not import/);
      else expect(problems, problems.map((m) => m.message).join('\n')).to.deep.equal([]);
    });
  }

  it('finds nothing forbidden in the project as it is', async () => {
    const results = await eslint.lintFiles(['engine', 'forms', 'definitions', 'connectors']);
    const problems = results.flatMap((r) => r.messages.filter((m) => m.ruleId === 'boundaries/layers').map((m) => `${path.relative(ROOT, r.filePath)}: ${m.message}`));
    expect(problems).to.deep.equal([]);
  });
});
