/**
 * The 180 public models no one here drew (../shared/corpus/bpmn): none is
 * refused any more for what Camunda 7 tolerates — other tools' extension
 * elements and attributes, an ISO-8859-1 or windows-1252 declaration, a
 * gateway's flow without a condition, settings with no effect here. What
 * still refuses a model is counted, so the number that deploy can only grow.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';
import { parseBpmn } from '../../engine/core/runtime/compiled-definition.ts';
import { decodeXml } from '../../engine/http/xml-body.ts';
import { corpusDir } from '../support/corpus.ts';

/** Every handler known: what is measured is the model, not the handlers this machine registered. */
const POLICY = { isKnownHandler: () => true, handlerInputs: () => null, isKnownCalendar: () => true, isKnownSla: () => true, requireAssignee: false, requireForm: false };
/** Measured on 2026-12-08: 27 deployed before (foreign metadata, encodings and gateway flows refused), 39 after. */
const DEPLOYABLE_AT_LEAST = 39;

describe('the public BPMN corpus, as Camunda 7 would take it', function () {
  this.timeout(60_000);
  const results: Array<{ file: string; errors: Array<{ rule: string; message: { en: string } }> }> = [];

  before(async () => {
    const dir = corpusDir();
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
      const parsed = await parseBpmn(decodeXml(fs.readFileSync(path.join(dir, file)), null), POLICY);
      results.push({ file, errors: parsed.analysed.errors });
    }
  });

  it('reads all 180 models', () => {
    expect(results).to.have.length(180);
  });

  it('refuses none for other tools’ metadata, an encoding declaration, a flow without a condition or a setting with no effect here', () => {
    const tolerated = results.flatMap(({ file, errors }) =>
      errors
        .filter(
          (e) =>
            e.rule === 'gateway-flow-without-condition' ||
            (e.rule === 'unsupported-extension' && /extension element (?!camunda:|wf:)/.test(e.message.en)) ||
            (e.rule === 'invalid-content' && /encoding|unknown attribute <[\w-]+:/.test(e.message.en)) ||
            (e.rule === 'unsupported-attribute' && /(modelerTemplate|historyTimeToLive|exclusive|async)/.test(e.message.en)),
        )
        .map((e) => `${file}: ${e.message.en}`),
    );
    expect(tolerated).to.deep.equal([]);
  });

  it(`deploys at least ${DEPLOYABLE_AT_LEAST} of them`, () => {
    expect(results.filter((r) => !r.errors.length).length).to.be.at.least(DEPLOYABLE_AT_LEAST);
  });
});
