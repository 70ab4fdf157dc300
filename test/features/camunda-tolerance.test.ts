/**
 * Models from other tools run as Camunda 7 would run them: a gateway's flow
 * without a condition holds (an exclusive gateway takes the first that holds,
 * in order; an inclusive one takes every one that holds); other tools'
 * metadata is ignored with a warning; a Camunda 8 model's job type names the
 * handler.
 */
import { expect } from 'chai';
import { describeOnBothStores } from '../support/harness.ts';

const NS = 'xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"';
const task = (id: string) => `<userTask id="${id}" camunda:assignee="ann"/><sequenceFlow id="${id}-end" sourceRef="${id}" targetRef="end-${id}"/><endEvent id="end-${id}"/>`;

/** amount > 100 → big; a flow without condition → plain; the default → fallback. */
const exclusive = `<definitions ${NS} id="d" targetNamespace="t"><process id="xor-plain" isExecutable="true">
  <startEvent id="s"/><sequenceFlow id="in" sourceRef="s" targetRef="g"/>
  <exclusiveGateway id="g" default="toFallback"/>
  <sequenceFlow id="toBig" sourceRef="g" targetRef="big"><conditionExpression>\${amount > 100}</conditionExpression></sequenceFlow>
  <sequenceFlow id="toPlain" sourceRef="g" targetRef="plain"/>
  <sequenceFlow id="toFallback" sourceRef="g" targetRef="fallback"/>
  ${task('big')}${task('plain')}${task('fallback')}
</process></definitions>`;

const inclusive = `<definitions ${NS} xmlns:signavio="http://www.signavio.com" id="d" targetNamespace="t"><process id="or-plain" isExecutable="true">
  <startEvent id="s"/><sequenceFlow id="in" sourceRef="s" targetRef="g"/>
  <inclusiveGateway id="g"><extensionElements><signavio:signavioMetaData metaKey="bgcolor" metaValue="#ffffff"/></extensionElements></inclusiveGateway>
  <sequenceFlow id="toBig" sourceRef="g" targetRef="big"><conditionExpression>\${amount > 100}</conditionExpression></sequenceFlow>
  <sequenceFlow id="toPlain" sourceRef="g" targetRef="plain"/>
  ${task('big')}${task('plain')}
</process></definitions>`;

const zeebe = `<definitions ${NS} xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="d" targetNamespace="t"><process id="c8-echo" isExecutable="true">
  <startEvent id="s"/><sequenceFlow id="in" sourceRef="s" targetRef="call"/>
  <serviceTask id="call" zeebe:modelerTemplate="io.camunda.connectors.Echo"><extensionElements><zeebe:taskDefinition type="echo"/><zeebe:ioMapping/></extensionElements></serviceTask>
  <sequenceFlow id="out" sourceRef="call" targetRef="e"/><endEvent id="e"/>
</process></definitions>`;

describeOnBothStores('models from other tools, run as Camunda 7 would', (ctx) => {
  const waitingIn = async (instanceId: string) => (await ctx().activeTasks(instanceId)).map((t) => t.activityId).sort();

  it('an exclusive gateway takes the first flow that holds, a flow without a condition holding always; the default only when none does', async () => {
    const c = ctx();
    const deployed = await c.wf.deploy(exclusive, 'tester');
    expect(deployed[0]!.warnings.map((w) => `${w.rule}@${w.elementId}`)).to.deep.equal(['gateway-flow-without-condition@toPlain']);
    expect(await waitingIn((await c.wf.start({ processKey: 'xor-plain', variables: { amount: 500 } }, 'ann')).id)).to.deep.equal(['big']);
    expect(await waitingIn((await c.wf.start({ processKey: 'xor-plain', variables: { amount: 5 } }, 'ann')).id)).to.deep.equal(['plain']);
  });

  it('an inclusive gateway takes every flow that holds; another tool’s metadata is ignored with a warning', async () => {
    const c = ctx();
    const deployed = await c.wf.deploy(inclusive, 'tester');
    expect(deployed[0]!.warnings.map((w) => w.rule).sort()).to.deep.equal(['foreign-extension', 'gateway-flow-without-condition']);
    expect(await waitingIn((await c.wf.start({ processKey: 'or-plain', variables: { amount: 500 } }, 'ann')).id)).to.deep.equal(['big', 'plain']);
    expect(await waitingIn((await c.wf.start({ processKey: 'or-plain', variables: { amount: 5 } }, 'ann')).id)).to.deep.equal(['plain']);
  });

  it('a Camunda 8 service task runs the handler its job type names', async () => {
    const c = ctx();
    await c.wf.deploy(zeebe, 'tester');
    const instance = await c.wf.start({ processKey: 'c8-echo', variables: { note: 'hello' } }, 'ann');
    await c.work();
    expect((await c.wf.getInstance(instance.id)).state).to.equal('completed');
  });
});
