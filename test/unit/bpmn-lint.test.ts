import { expect } from 'chai';
import type { AnalysedBpmn, Problem } from '../../definitions/bpmn/analyse.ts';
import { WorkflowError } from '../../engine/core/errors.ts';
import { parseBpmn, type LintPolicy } from '../../engine/core/runtime/compiled-definition.ts';
import { fixture } from '../support/harness.ts';

const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
             xmlns:wf="http://workflow.dev/schema/bpmn/1.0"
             id="lint-test" targetNamespace="http://workflow.dev/test">`;

/** A one-process file around `body` (flow elements, one per line). */
const wrap = (body: string, processAttributes = '', definitionsBody = ''): string =>
  `${HEAD}
${definitionsBody}  <process id="p" isExecutable="true"${processAttributes}>
${body}
  </process>
</definitions>
`;

const POLICY: LintPolicy = { isKnownHandler: (name) => name === 'echo' };

async function lint(xml: string, policy: Partial<LintPolicy> = {}): Promise<AnalysedBpmn> {
  return (await parseBpmn(xml, { ...POLICY, ...policy })).analysed;
}

async function malformed(xml: string): Promise<WorkflowError<'WF_ERR_BPMN_MALFORMED'>> {
  try {
    await parseBpmn(xml, POLICY);
  } catch (err) {
    expect(err).to.be.instanceOf(WorkflowError);
    expect((err as WorkflowError).code).to.equal('WF_ERR_BPMN_MALFORMED');
    return err as WorkflowError<'WF_ERR_BPMN_MALFORMED'>;
  }
  return expect.fail('expected WF_ERR_BPMN_MALFORMED');
}

/** 1-based line of the first occurrence of `needle`. */
function lineOf(text: string, needle: string, from = 0): number {
  const index = text.indexOf(needle, from);
  expect(index, `${needle} occurs in the file`).to.be.at.least(0);
  return text.slice(0, index).split('\n').length;
}

/** The one problem with `rule` (and element, when given). */
function only(problems: Problem[], rule: string, elementId?: string): Problem {
  const found = problems.filter((p) => p.rule === rule && (elementId === undefined || p.elementId === elementId));
  expect(found, `${rule}${elementId ? ` on ${elementId}` : ''} in ${JSON.stringify(problems)}`).to.have.length(1);
  const problem = found[0]!;
  expect(problem.message['zh-CN']).to.be.a('string').and.have.length.above(0);
  expect(problem.message.en).to.be.a('string').and.have.length.above(0);
  return problem;
}

const START = '    <startEvent id="start" />';

describe('BPMN lint', () => {
  describe('malformed XML', () => {
    it('throws WF_ERR_BPMN_MALFORMED (400, field xml) with the 1-based line and column', async () => {
      const xml = wrap(`${START}\n    <userTask id="open" camunda:assignee="ann">\n    <endEvent id="end" />`);
      const error = await malformed(xml);
      expect(error.status).to.equal(400);
      expect(error.field).to.equal('xml');
      // The unclosed <userTask> is noticed at </process>, which starts in column 3.
      expect(error.context).to.include({ line: lineOf(xml, '</process>'), column: 3 });
      expect(error.context.detail.en).to.be.a('string').and.have.length.above(0);
      expect(error.context.detail['zh-CN']).to.match(/[\u4e00-\u9fff]/);
      expect(error.localizedMessage('en')).to.include(`line ${lineOf(xml, '</process>')}, column 3`);
      expect(error.localizedMessage('zh-CN')).to.include(`第 ${lineOf(xml, '</process>')} 行第 3 列`);
    });

    it('counts from line 1, column 1 for a problem at the very start', async () => {
      const error = await malformed('just some text, not XML');
      expect(error.context).to.include({ line: 1, column: 1 });
    });

    it('refuses a broken attribute deep in the file, naming its line', async () => {
      const xml = wrap(`${START}\n    <sequenceFlow id="f1" sourceRef="start" targetRef="end" />\n    <endEvent id="end" name="unterminated />`);
      const line = lineOf(xml, 'name="unterminated');
      // The lenient XML reader reports attribute errors as content problems, not as a parse failure.
      const parsed = await parseBpmn(xml, POLICY).then(
        (result) => ({ errors: result.analysed.errors }),
        (err: unknown) => ({ thrown: err as WorkflowError<'WF_ERR_BPMN_MALFORMED'> }),
      );
      if ('thrown' in parsed) {
        expect(parsed.thrown.code).to.equal('WF_ERR_BPMN_MALFORMED');
        expect(parsed.thrown.context.line).to.equal(line);
      } else {
        expect(parsed.errors.map((p) => p.line), JSON.stringify(parsed.errors)).to.include(line);
      }
    });

    it('keeps line numbers right when the file starts with blank lines', async () => {
      const body = '<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="http://x">\n<process id="p" isExecutable="true">\n<startEvent id="s">\n</process>\n</definitions>\n';
      const xml = `\n\n${body}`;
      const error = await malformed(xml);
      expect(error.context.line, 'the line of </process> in the file as sent').to.equal(lineOf(xml, '</process>'));
    });
  });

  describe('structure', () => {
    it('an unknown BPMN element type is an error with its line', async () => {
      const xml = wrap(`${START}\n    <sequenceFlow id="f1" sourceRef="start" targetRef="magic" />\n    <wizardTask id="magic" />`);
      const { errors } = await lint(xml);
      const problem = only(errors, 'unknown-element');
      expect(problem.line).to.equal(lineOf(xml, '<wizardTask'));
      expect(problem.message.en).to.include('WizardTask');
      expect(problem.elementId, 'named by the id on its line').to.equal('magic');
    });

    it('ids over 128 and names over 255 characters are errors: the store could not hold them', async () => {
      const long = `t${'x'.repeat(128)}`;
      const xml = wrap(`${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="${long}" />
    <userTask id="${long}" name="${'名'.repeat(256)}" camunda:assignee="ann" />`);
      const rules = (await lint(xml)).errors.map((e) => `${e.rule}@${e.elementId}`);
      expect(rules).to.include.members([`id-too-long@${long}`, `name-too-long@${long}`]);
      const named = wrap(START, ` name="${'流'.repeat(256)}"`);
      expect((await lint(named)).errors.map((e) => e.rule)).to.include('name-too-long');
    });

    it('another engine’s attributes and compensation are refused, naming the element', async () => {
      const xml = `${HEAD.replace('id="lint-test"', 'xmlns:activiti="http://activiti.org/bpmn" id="lint-test"')}
  <process id="p" isExecutable="true">
    ${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <userTask id="task" activiti:assignee="ann" />
    <serviceTask id="undo" isForCompensation="true" camunda:type="external" camunda:topic="echo" />
  </process>
</definitions>`;
      const rules = (await lint(xml)).errors.map((e) => `${e.rule}@${e.elementId}`);
      expect(rules).to.include.members(['unsupported-attribute@task', 'unsupported-compensation@undo']);
    });

    it('an expression calling a function is an error at deploy, not on every instance', async () => {
      const xml = wrap(`${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="task" />
    <userTask id="task" camunda:assignee="ann" camunda:dueDate="\${dateTime().plusDays(3).toDate()}" />`);
      const problem = only((await lint(xml)).errors, 'invalid-expression');
      expect(problem.elementId).to.equal('task');
      expect(problem.message.en).to.include("Unknown function 'dateTime()'");
    });

    it('an unknown element keeps its line when the file starts with blank lines', async () => {
      const xml = `\n\n${wrap(`${START}\n    <wizardTask id="magic" />`)}`;
      const problem = only((await lint(xml)).errors, 'unknown-element');
      expect(problem.line).to.equal(lineOf(xml, '<wizardTask'));
    });

    it('a duplicate id is an error naming the id, at the line of the duplicate', async () => {
      const xml = wrap(`${START}\n    <sequenceFlow id="f1" sourceRef="start" targetRef="task" />\n    <userTask id="task" camunda:assignee="ann" />\n    <endEvent id="task" />`);
      const problem = only((await lint(xml)).errors, 'duplicate-id');
      expect(problem.elementId).to.equal('task');
      expect(problem.line).to.equal(lineOf(xml, '<endEvent id="task"'));
      expect(problem.message.en).to.include('task');
    });

    it('a file without an executable process, or a process without a start event, is an error', async () => {
      const none = await lint(`${HEAD}\n  <process id="p" isExecutable="false"><startEvent id="s" /></process>\n</definitions>`);
      only(none.errors, 'no-executable-process');
      const noStart = await lint(wrap('    <endEvent id="end" />'));
      expect(only(noStart.errors, 'no-start-event').elementId).to.equal('p');
    });

    it('an event sub-process is rejected', async () => {
      const xml = wrap(`${START}
    <subProcess id="onCancel" triggeredByEvent="true">
      <startEvent id="cancelStart"><messageEventDefinition messageRef="cancelMessage" /></startEvent>
    </subProcess>`, '', '  <message id="cancelMessage" name="cancel" />\n');
      const problem = only((await lint(xml)).errors, 'unsupported-element', 'onCancel');
      expect(problem.line).to.equal(lineOf(xml, 'id="onCancel"'));
      expect(problem.message.en).to.include('Event sub-processes');
    });

    it('an embedded sub-process is fine', async () => {
      const xml = wrap(`${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="inner" />
    <subProcess id="inner">
      <startEvent id="innerStart" />
      <sequenceFlow id="f2" sourceRef="innerStart" targetRef="innerEnd" />
      <endEvent id="innerEnd" />
    </subProcess>`);
      const { errors, warnings } = await lint(xml);
      expect(errors).to.deep.equal([]);
      expect(warnings).to.deep.equal([]);
    });

    it('a standard loop is rejected; multi-instance is accepted', async () => {
      const loop = wrap(`${START}\n    <userTask id="again" camunda:assignee="ann">\n      <standardLoopCharacteristics />\n    </userTask>`);
      const problem = only((await lint(loop)).errors, 'unsupported-loop', 'again');
      expect(problem.line).to.equal(lineOf(loop, 'id="again"'));
      expect(problem.message.en).to.include('multi-instance');

      const multi = wrap(`${START}\n    <userTask id="each" camunda:assignee="\${reviewer}">\n      <multiInstanceLoopCharacteristics camunda:collection="\${reviewers}" camunda:elementVariable="reviewer" />\n    </userTask>`);
      expect((await lint(multi)).errors).to.deep.equal([]);
    });
  });

  describe('gateways and conditions', () => {
    it('a condition on a flow out of a parallel gateway is a warning: it is ignored, as in Camunda', async () => {
      const xml = wrap(`${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="left" sourceRef="fork" targetRef="a"><conditionExpression xsi:type="tFormalExpression">\\${false}</conditionExpression></sequenceFlow>
    <sequenceFlow id="right" sourceRef="fork" targetRef="b" />
    <userTask id="a" camunda:assignee="ann" />
    <userTask id="b" camunda:assignee="ann" />`);
      const { errors, warnings } = await lint(xml);
      expect(errors).to.deep.equal([]);
      expect(warnings.map((w) => `${w.rule}@${w.elementId}`)).to.deep.equal(['parallel-gateway-condition@left']);
    });

    const gateway = (withOutgoingRefs: boolean, defaultFlow = '') => `${START}
    <sequenceFlow id="toDecide" sourceRef="start" targetRef="decide" />
    <exclusiveGateway id="decide"${defaultFlow}>${withOutgoingRefs ? '\n      <outgoing>yes</outgoing>\n      <outgoing>no</outgoing>\n    ' : ''}</exclusiveGateway>
    <sequenceFlow id="yes" sourceRef="decide" targetRef="approved">
      <conditionExpression xsi:type="tFormalExpression">\${approved}</conditionExpression>
    </sequenceFlow>
    <sequenceFlow id="no" sourceRef="decide" targetRef="rejected" />
    <endEvent id="approved" />
    <endEvent id="rejected" />`;

    it('an outgoing flow without condition that is not the default holds, as in Camunda 7: a warning naming the flow and the gateway', async () => {
      const xml = wrap(gateway(true));
      expect((await lint(xml)).errors).to.deep.equal([]);
      const problem = only((await lint(xml)).warnings, 'gateway-flow-without-condition');
      expect(problem.elementId).to.equal('no');
      expect(problem.line).to.equal(lineOf(xml, 'id="no"'));
      expect(problem.message.en).to.include('no').and.include('decide');
      expect(problem.message['zh-CN']).to.include('no').and.include('decide');
    });

    it('finds the flow without condition also when the gateway lists no <outgoing> references (hand-written files)', async () => {
      const xml = wrap(gateway(false));
      const { warnings } = await lint(xml);
      const problem = only(warnings, 'gateway-flow-without-condition');
      expect(problem.elementId).to.equal('no');
    });

    it('the default flow needs no condition', async () => {
      expect((await lint(wrap(gateway(true, ' default="no"')))).errors).to.deep.equal([]);
      expect((await lint(wrap(gateway(false, ' default="no"')))).errors).to.deep.equal([]);
    });

    it('a condition with invalid expression syntax is an error naming the flow', async () => {
      const xml = wrap(gateway(true, ' default="no"').replace('${approved}', '${amount &gt; &amp;&amp; approved}'));
      const problem = only((await lint(xml)).errors, 'invalid-expression');
      expect(problem.elementId).to.equal('yes');
      expect(problem.line).to.equal(lineOf(xml, 'id="yes"'));
      expect(problem.message.en).to.include('${amount > && approved}');
    });

    it('a script condition or a condition that is not ${…} is an error', async () => {
      const script = wrap(gateway(true, ' default="no"').replace('xsi:type="tFormalExpression"', 'xsi:type="tFormalExpression" language="javascript"'));
      expect(only((await lint(script)).errors, 'script-condition').elementId).to.equal('yes');
      const bare = wrap(gateway(true, ' default="no"').replace('${approved}', 'approved == true'));
      expect(only((await lint(bare)).errors, 'condition-not-expression').elementId).to.equal('yes');
    });

    it('a complex gateway is rejected', async () => {
      const xml = wrap(`${START}\n    <sequenceFlow id="f1" sourceRef="start" targetRef="complex" />\n    <complexGateway id="complex" />`);
      const problem = only((await lint(xml)).errors, 'unsupported-element', 'complex');
      expect(problem.line).to.equal(lineOf(xml, 'id="complex"'));
      expect(problem.message.en).to.include('Complex gateways');
    });
  });

  describe('tasks and handlers', () => {
    it('a script task is rejected, naming the element', async () => {
      const xml = wrap(`${START}\n    <scriptTask id="calc" scriptFormat="javascript">\n      <script>1 + 1</script>\n    </scriptTask>`);
      const problem = only((await lint(xml)).errors, 'unsupported-element', 'calc');
      expect(problem.line).to.equal(lineOf(xml, 'id="calc"'));
      expect(problem.message.en).to.include('Script tasks');
      expect(problem.message['zh-CN']).to.include('脚本任务');
    });

    it('a camunda:class service task is rejected', async () => {
      const xml = wrap(`${START}\n    <serviceTask id="charge" camunda:class="com.example.Charge" />`);
      const problem = only((await lint(xml)).errors, 'unsupported-implementation', 'charge');
      expect(problem.line).to.equal(lineOf(xml, 'id="charge"'));
      expect(problem.message.en).to.include('camunda:class');
    });

    it('camunda:expression and DMN business rule tasks are rejected', async () => {
      const expression = wrap(`${START}\n    <serviceTask id="calc" camunda:expression="\${calculator.run()}" />`);
      only((await lint(expression)).errors, 'unsupported-implementation', 'calc');
      const dmn = wrap(`${START}\n    <businessRuleTask id="decide" camunda:decisionRef="discounts" />`);
      only((await lint(dmn)).errors, 'unsupported-implementation', 'decide');
    });

    it('an external task topic with no registered handler is an error naming the topic', async () => {
      const xml = wrap(`${START}\n    <serviceTask id="sms" camunda:type="external" camunda:topic="sms-gateway" />`);
      const problem = only((await lint(xml)).errors, 'unknown-handler', 'sms');
      expect(problem.line).to.equal(lineOf(xml, 'id="sms"'));
      expect(problem.message.en).to.include('sms-gateway');
    });

    describe('connector operations', () => {
      const CONNECTORS: Partial<LintPolicy> = {
        isKnownHandler: (name) => ['sms.send', 'sms.sendCode'].includes(name),
        handlerNames: () => ['echo', 'sms.send', 'sms.sendCode'],
        handlerInputs: (name) => (name === 'sms.send' ? { required: ['phone'], known: ['phone', 'template', 'variables'] } : null),
      };
      const task = (topic: string, inputs: string[]) =>
        wrap(`${START}
    <serviceTask id="notify" camunda:type="external" camunda:topic="${topic}">
      <extensionElements><camunda:inputOutput>${inputs.map((name) => `<camunda:inputParameter name="${name}">x</camunda:inputParameter>`).join('')}</camunda:inputOutput></extensionElements>
    </serviceTask>`);

      it('an unknown operation of a known connector names the operations it has', async () => {
        const problem = only((await lint(task('sms.sned', ['phone']), CONNECTORS)).errors, 'unknown-handler', 'notify');
        expect(problem.message['zh-CN']).to.equal('连接器 sms 没有操作 sned，可用的操作：send, sendCode');
        expect(problem.message.en).to.include('its operations: send, sendCode');
      });

      it('a required input that is not mapped is an error; an input the operation does not read is a warning', async () => {
        const missing = only((await lint(task('sms.send', ['template']), CONNECTORS)).errors, 'handler-input-missing', 'notify');
        expect(missing.message.en).to.include('phone');
        const { errors, warnings } = await lint(task('sms.send', ['phone', 'tempalte']), CONNECTORS);
        expect(errors).to.deep.equal([]);
        expect(only(warnings, 'handler-input-unknown', 'notify').message.en).to.include('tempalte');
        expect((await lint(task('sms.send', ['phone', 'template', 'variables']), CONNECTORS)).warnings).to.deep.equal([]);
      });

      it('a handler that declares no inputs is not checked', async () => {
        const { errors, warnings } = await lint(task('sms.sendCode', []), CONNECTORS);
        expect([...errors, ...warnings]).to.deep.equal([]);
      });
    });

    it('registered handlers are accepted as external topic or delegate expression', async () => {
      const xml = wrap(`${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="viaTopic" />
    <serviceTask id="viaTopic" camunda:type="external" camunda:topic="echo" />
    <sequenceFlow id="f2" sourceRef="viaTopic" targetRef="viaDelegate" />
    <serviceTask id="viaDelegate" camunda:delegateExpression="\${echo}" />
    <sequenceFlow id="f3" sourceRef="viaDelegate" targetRef="end" />
    <endEvent id="end" />`);
      const { errors, processes } = await lint(xml);
      expect(errors).to.deep.equal([]);
      expect(processes[0]!.serviceTasks.viaTopic!.handler).to.equal('echo');
      expect(processes[0]!.serviceTasks.viaDelegate!.handler).to.equal('echo');
    });

    it('a service task naming no handler is an error', async () => {
      const xml = wrap(`${START}\n    <serviceTask id="nothing" />`);
      only((await lint(xml)).errors, 'service-task-no-handler', 'nothing');
    });

    it('camunda:executionListener and camunda:taskListener are rejected', async () => {
      const xml = wrap(`${START}
    <sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <userTask id="review" camunda:assignee="ann">
      <extensionElements>
        <camunda:executionListener class="com.example.Audit" event="start" />
      </extensionElements>
    </userTask>
    <sequenceFlow id="f2" sourceRef="review" targetRef="approve" />
    <userTask id="approve" camunda:assignee="bob">
      <extensionElements>
        <camunda:taskListener event="create" expression="\${notify}" />
      </extensionElements>
    </userTask>`);
      const { errors } = await lint(xml);
      const execution = only(errors, 'unsupported-extension', 'review');
      expect(execution.line).to.equal(lineOf(xml, 'id="review"'));
      expect(execution.message.en).to.include('Listeners are not run');
      only(errors, 'unsupported-extension', 'approve');
    });

    it('an unsupported camunda attribute is an error naming it', async () => {
      const xml = wrap(`${START}\n    <userTask id="review" camunda:assignee="ann" camunda:followUpDate="P1D" />`);
      const problem = only((await lint(xml)).errors, 'unsupported-attribute', 'review');
      expect(problem.message.en).to.include('camunda:followUpDate');
    });
  });

  describe('timers', () => {
    const timer = (kind: string, value: string) =>
      wrap(`${START}\n    <sequenceFlow id="f1" sourceRef="start" targetRef="wait" />\n    <intermediateCatchEvent id="wait">\n      <timerEventDefinition><${kind}>${value}</${kind}></timerEventDefinition>\n    </intermediateCatchEvent>`);

    it('a cron timer is rejected, naming the value', async () => {
      const xml = timer('timeCycle', '0 0 9 * * ?');
      const problem = only((await lint(xml)).errors, 'invalid-timer', 'wait');
      expect(problem.line).to.equal(lineOf(xml, 'id="wait"'));
      expect(problem.message.en).to.include('0 0 9 * * ?').and.include('cron');
    });

    it('ISO 8601 durations, cycles and dates and ${…} expressions are accepted', async () => {
      for (const [kind, value] of [
        ['timeDuration', 'PT15M'],
        ['timeDuration', 'P2DT3H'],
        ['timeCycle', 'R3/PT1H'],
        ['timeDate', '2030-01-01T09:00:00Z'],
        ['timeDuration', '${reminderDelay}'],
      ] as const) {
        expect((await lint(timer(kind, value))).errors, `${kind} ${value}`).to.deep.equal([]);
      }
    });

    it('a timer with no or two definitions is an error', async () => {
      only((await lint(timer('timeDuration', ''))).errors, 'invalid-timer', 'wait');
      const two = wrap(`${START}\n    <intermediateCatchEvent id="wait">\n      <timerEventDefinition><timeDuration>PT1M</timeDuration><timeDate>2030-01-01T00:00:00Z</timeDate></timerEventDefinition>\n    </intermediateCatchEvent>`);
      only((await lint(two)).errors, 'invalid-timer', 'wait');
    });
  });

  describe('user task policy', () => {
    const unassigned = `${START}\n    <sequenceFlow id="f1" sourceRef="start" targetRef="anyone" />\n    <userTask id="anyone" name="Anyone" />`;

    it('a user task without assignee or candidates is a warning by default', async () => {
      const xml = wrap(unassigned);
      const { errors, warnings } = await lint(xml);
      expect(errors).to.deep.equal([]);
      const warning = only(warnings, 'user-task-unassigned', 'anyone');
      expect(warning.line).to.equal(lineOf(xml, 'id="anyone"'));
    });

    it('is an error when the requireAssignee policy is on', async () => {
      const { errors, warnings } = await lint(wrap(unassigned), { requireAssignee: true });
      only(errors, 'user-task-unassigned', 'anyone');
      expect(warnings).to.deep.equal([]);
    });

    it('is an error when the process says wf:requireAssignee="true", and the process may relax the policy', async () => {
      const strict = await lint(wrap(unassigned, ' wf:requireAssignee="true"'));
      only(strict.errors, 'user-task-unassigned', 'anyone');
      const relaxed = await lint(wrap(unassigned, ' wf:requireAssignee="false"'), { requireAssignee: true });
      expect(relaxed.errors).to.deep.equal([]);
      only(relaxed.warnings, 'user-task-unassigned', 'anyone');
    });

    it('candidate users or groups are enough', async () => {
      const xml = wrap(`${START}\n    <userTask id="team" camunda:candidateGroups="sales" />\n    <userTask id="people" camunda:candidateUsers="ann, bob" />`, ' wf:requireAssignee="true"');
      const { errors, warnings } = await lint(xml);
      expect(errors).to.deep.equal([]);
      expect(warnings).to.deep.equal([]);
    });

    it('requireForm: a user task without formKey is an error with the policy or wf:requireForm="true"', async () => {
      const xml = `${START}\n    <userTask id="formless" camunda:assignee="ann" />\n    <userTask id="withForm" camunda:assignee="ann" camunda:formKey="forms/approve" />`;
      expect((await lint(wrap(xml))).errors).to.deep.equal([]);
      const byPolicy = await lint(wrap(xml), { requireForm: true });
      expect(byPolicy.errors.map((p) => [p.rule, p.elementId])).to.deep.equal([['user-task-no-form', 'formless']]);
      const byProcess = await lint(wrap(xml, ' wf:requireForm="true"'));
      const problem = only(byProcess.errors, 'user-task-no-form', 'formless');
      expect(problem.message.en).to.include('formKey');
    });
  });

  describe('whole files', () => {
    it('reports every problem of a file at once, each with its element and line', async () => {
      const xml = fixture('lint-many-problems');
      const { errors } = await lint(xml);
      const at = (id: string) => lineOf(xml, `id="${id}"`);
      const seen = errors.map((p) => `${p.rule}@${p.elementId}:${p.line}`);
      expect(seen).to.include.members([
        `unsupported-element@compute:${at('compute')}`,
        `unsupported-implementation@javaCall:${at('javaCall')}`,
        `invalid-expression@toWait:${at('toWait')}`,
        `invalid-timer@nightly:${at('nightly')}`,
        `unsupported-loop@repeat:${at('repeat')}`,
        `unsupported-extension@repeat:${at('repeat')}`,
      ]);
      for (const problem of errors) {
        expect(problem.elementId, problem.rule).to.be.a('string');
        expect(problem.line, problem.rule).to.equal(at(problem.elementId!));
      }
    });

    describe('a Camunda Modeler 5 file', () => {
      const xml = fixture('camunda-modeler-expense');

      it('lints clean: no errors; the one Camunda setting with no effect here listed as ignored', async () => {
        expect(xml).to.include('modeler:executionPlatform="Camunda Platform"').and.include('<bpmndi:BPMNDiagram');
        const { errors, warnings, processes, definitionsId } = await lint(xml);
        expect(errors).to.deep.equal([]);
        expect(warnings.map((w) => `${w.rule}@${w.elementId}: ${w.message.en}`)).to.deep.equal(['ignored-attribute@camunda-expense: camunda:historyTimeToLive has no effect here and is ignored']);
        expect(definitionsId).to.equal('Definitions_0x4k2qa');
        expect(processes.map((p) => p.id)).to.deep.equal(['camunda-expense']);
      });

      it('yields the model the runtime needs', async () => {
        const [model] = (await lint(xml)).processes;
        expect(model!.name).to.equal('Expense claim');
        expect(model!.startEvents).to.deep.equal([
          { id: 'StartEvent_1', kind: 'none', timer: null, messageName: null, signalName: null, formKey: null, form: null, initiatorVariable: 'applicant' },
        ]);
        expect(model!.userTasks.Activity_review).to.deep.include({
          assignee: '${applicant}',
          candidateGroups: 'accounting, managers',
          formKey: 'camunda-forms:deployment:review.form',
          dueDate: 'P3D',
          priority: '60',
        });
        expect(model!.userTasks.Activity_approve).to.include({ candidateGroups: 'directors', assignee: null });
        expect(Object.values(model!.serviceTasks).map((s) => [s.id, s.handler])).to.have.deep.members([
          ['Activity_remind', 'echo'],
          ['Activity_pay', 'echo'],
        ]);
        expect(model!.inputOutput.Activity_review!.inputs).to.deep.equal([{ name: 'claimAmount', value: { kind: 'text', text: '${amount}' } }]);
        expect(model!.inputOutput.Activity_pay!.inputs.map((i) => i.name)).to.deep.equal(['payee', 'sum']);
        expect(model!.conditions).to.have.members(['${amount > 1000}', '${amount <= 1000}']);
        expect(model!.names.Event_reminder).to.equal('48 hours passed');
      });

      it('points problems at the lines of the process elements, not of their diagram shapes', async () => {
        // A stricter server: no handlers registered, forms required, assignees required.
        const { errors } = await lint(xml, { isKnownHandler: () => false, requireForm: true, requireAssignee: true });
        expect(errors.map((p) => [p.rule, p.elementId, p.line])).to.deep.equal([
          ['unknown-handler', 'Activity_remind', lineOf(xml, '<bpmn:serviceTask id="Activity_remind"')],
          ['unknown-handler', 'Activity_pay', lineOf(xml, '<bpmn:serviceTask id="Activity_pay"')],
        ]);
        expect(lineOf(xml, '<bpmn:serviceTask id="Activity_pay"')).to.be.below(lineOf(xml, 'bpmnElement="Activity_pay"'));

        const broken = xml.replace('${amount &lt;= 1000}', '${amount &lt;=}');
        const problem = only((await lint(broken)).errors, 'invalid-expression', 'Flow_small');
        expect(problem.line).to.equal(lineOf(broken, '<bpmn:sequenceFlow id="Flow_small"'));
      });
    });
  });
});
