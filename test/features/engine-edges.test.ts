/** Edge cases found in review: each test pins one down. */
import { expect } from 'chai';
import { count } from '../support/databases.ts';
import { describeOnBothStores } from '../support/harness.ts';

const MINUTE = 60_000;
const page = { offset: 0, limit: 500 };

const bpmn = (id: string, body: string) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
             xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="${id}-definitions" targetNamespace="http://workflow.dev/test">
  <process id="${id}" isExecutable="true">
${body}
  </process>
</definitions>`;

describeOnBothStores('engine edges', (ctx) => {
  it('Given a loop that never waits, when an instance starts into it, then it is refused with 422 and nothing is written', async () => {
    const c = ctx();
    await c.wf.deploy(
      bpmn('edge-loop', `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="g" />
    <exclusiveGateway id="g" default="out" />
    <sequenceFlow id="back" sourceRef="g" targetRef="t"><conditionExpression xsi:type="tFormalExpression">\${go}</conditionExpression></sequenceFlow>
    <sequenceFlow id="out" sourceRef="g" targetRef="e" />
    <task id="t" /><sequenceFlow id="f3" sourceRef="t" targetRef="g" />
    <endEvent id="e" />`),
      'analyst',
    );
    const before = await count(c.db, 'wf_history');
    const error = await c.start('edge-loop', { go: true }).catch((e: unknown) => e as { code: string; status: number });
    expect(error).to.include({ code: 'WF_ERR_STEP_FAILED', status: 422 });
    expect(await count(c.db, 'wf_instances')).to.equal(0);
    expect(await count(c.db, 'wf_history')).to.equal(before);
    expect((await c.start('edge-loop', { go: false })).state, 'the way out still works').to.equal('completed');
  });

  it('Given a timer whose path failed into an incident, when the task it was attached to completes, then the incident is resolved with it', async () => {
    const c = ctx();
    await c.wf.deploy(
      bpmn('edge-timer-incident', `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" camunda:assignee="ann" />
    <boundaryEvent id="remind" attachedToRef="t" cancelActivity="false"><timerEventDefinition><timeDuration>PT1M</timeDuration></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="remind" targetRef="g" />
    <exclusiveGateway id="g" />
    <sequenceFlow id="one" sourceRef="g" targetRef="e1"><conditionExpression xsi:type="tFormalExpression">\${x == 1}</conditionExpression></sequenceFlow>
    <sequenceFlow id="two" sourceRef="g" targetRef="e1"><conditionExpression xsi:type="tFormalExpression">\${x == 2}</conditionExpression></sequenceFlow>
    <endEvent id="e1" />
    <sequenceFlow id="f3" sourceRef="t" targetRef="e2" /><endEvent id="e2" />`),
      'analyst',
    );
    const instance = await c.start('edge-timer-incident', { x: 3 });
    for (let i = 0; i < 12; i++) await c.advance(10 * MINUTE); // through the timer's retries
    const [incident] = (await c.wf.listIncidents({ instanceId: instance.id }, page)).items;
    expect(incident).to.include({ kind: 'timer', state: 'open' });
    await c.complete(instance.id, 't', {}, 'ann');
    expect((await c.instance(instance.id)).state).to.equal('completed');
    expect((await c.store.getIncident(incident!.id))!.state).to.equal('resolved');
  });

  it('Given conditions on the flows out of a parallel gateway, when it forks, then every branch runs (as in Camunda)', async () => {
    const c = ctx();
    const [deployed] = await c.wf.deploy(
      bpmn('edge-parallel', `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="fork" />
    <parallelGateway id="fork" />
    <sequenceFlow id="left" sourceRef="fork" targetRef="a"><conditionExpression xsi:type="tFormalExpression">\${false}</conditionExpression></sequenceFlow>
    <sequenceFlow id="right" sourceRef="fork" targetRef="b" />
    <userTask id="a" camunda:assignee="ann" /><userTask id="b" camunda:assignee="ann" />`),
      'analyst',
    );
    expect(deployed!.warnings.map((w) => w.rule)).to.deep.equal(['parallel-gateway-condition']);
    const instance = await c.start('edge-parallel');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['a', 'b']);
  });

  it('Given a parallel multi-instance over 120 items, when it starts, then all 120 tasks open at once; completed in any order (after recovery too), it ends when nrOfActiveInstances reaches 0', async () => {
    const c = ctx();
    await c.wf.deploy(
      bpmn('edge-mi', `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="review" />
    <userTask id="review" camunda:assignee="\${reviewer}">
      <multiInstanceLoopCharacteristics camunda:collection="\${reviewers}" camunda:elementVariable="reviewer">
        <completionCondition xsi:type="tFormalExpression">\${nrOfActiveInstances == 0}</completionCondition>
      </multiInstanceLoopCharacteristics>
    </userTask>
    <sequenceFlow id="f2" sourceRef="review" targetRef="e" /><endEvent id="e" />`),
      'analyst',
    );
    const reviewers = Array.from({ length: 120 }, (_, i) => `expert-${i}`);
    const instance = await c.start('edge-mi', { reviewers });
    const tasks = await c.activeTasks(instance.id);
    expect(tasks).to.have.length(120);
    expect(new Set(tasks.map((t) => t.assignee))).to.have.property('size', 120);
    for (const task of tasks) await c.wf.complete(task.id, {}, task.assignee);
    expect((await c.instance(instance.id)).state).to.equal('completed');
  });

  it('Given a timer start event with a duration, when it elapses, then one instance starts and no more', async () => {
    const c = ctx();
    await c.wf.deploy(bpmn('edge-start-duration', `<startEvent id="s"><timerEventDefinition><timeDuration>PT30M</timeDuration></timerEventDefinition></startEvent><sequenceFlow id="f" sourceRef="s" targetRef="t" /><userTask id="t" camunda:assignee="ann" />`), 'analyst');
    await c.advance(29 * MINUTE);
    expect(await count(c.db, 'wf_instances')).to.equal(0);
    await c.advance(2 * MINUTE);
    expect(await count(c.db, 'wf_instances')).to.equal(1);
    await c.advance(120 * MINUTE);
    expect(await count(c.db, 'wf_instances')).to.equal(1);
  });

  it('Given a timer start event with a date, when the date comes, then one instance starts; a date already passed is a deploy warning', async () => {
    const c = ctx();
    const at = new Date(c.clock.now() + 90 * MINUTE).toISOString();
    await c.wf.deploy(bpmn('edge-start-date', `<startEvent id="s"><timerEventDefinition><timeDate>${at}</timeDate></timerEventDefinition></startEvent><sequenceFlow id="f" sourceRef="s" targetRef="t" /><userTask id="t" camunda:assignee="ann" />`), 'analyst');
    await c.advance(89 * MINUTE);
    expect(await count(c.db, 'wf_instances')).to.equal(0);
    await c.advance(2 * MINUTE);
    expect(await count(c.db, 'wf_instances')).to.equal(1);
    const [past] = await c.wf.deploy(bpmn('edge-start-past', `<startEvent id="s"><timerEventDefinition><timeDate>2020-01-01T00:00:00Z</timeDate></timerEventDefinition></startEvent><sequenceFlow id="f" sourceRef="s" targetRef="t" /><userTask id="t" camunda:assignee="ann" />`), 'analyst');
    expect(past!.warnings.map((w) => `${w.rule}@${w.elementId}`)).to.deep.equal(['start-timer-in-past@s']);
  });

  it('Given an interrupting boundary timer with a date, when the date comes, then the task is cancelled and the boundary path taken', async () => {
    const c = ctx();
    await c.wf.deploy(
      bpmn('edge-boundary-date', `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="t" />
    <userTask id="t" camunda:assignee="ann" />
    <boundaryEvent id="deadline" attachedToRef="t"><timerEventDefinition><timeDate>\${deadline}</timeDate></timerEventDefinition></boundaryEvent>
    <sequenceFlow id="f2" sourceRef="deadline" targetRef="late" /><userTask id="late" camunda:assignee="boss" />
    <sequenceFlow id="f3" sourceRef="t" targetRef="e" /><endEvent id="e" />`),
      'analyst',
    );
    const instance = await c.start('edge-boundary-date', { deadline: new Date(c.clock.now() + 3 * 60 * MINUTE).toISOString() });
    await c.advance(179 * MINUTE);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['deadline', 't']);
    await c.advance(2 * MINUTE);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['late']);
  });

  it('Given an intermediate timer with a cycle, when it fires, then the flow goes on once (a catch event waits for its first occurrence)', async () => {
    const c = ctx();
    await c.wf.deploy(
      bpmn('edge-catch-cycle', `
    <startEvent id="s" /><sequenceFlow id="f1" sourceRef="s" targetRef="wait" />
    <intermediateCatchEvent id="wait"><timerEventDefinition><timeCycle>R3/PT10M</timeCycle></timerEventDefinition></intermediateCatchEvent>
    <sequenceFlow id="f2" sourceRef="wait" targetRef="t" /><userTask id="t" camunda:assignee="ann" />`),
      'analyst',
    );
    const instance = await c.start('edge-catch-cycle');
    await c.advance(9 * MINUTE);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['wait']);
    await c.advance(2 * MINUTE);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['t']);
    await c.advance(60 * MINUTE);
    expect(await c.activeTasks(instance.id)).to.have.length(1);
  });
});
