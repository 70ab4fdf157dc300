import { expect } from 'chai';
import type { TaskRecord } from '../../engine/core/model.ts';
import { describeOnBothStores, type TestContext } from '../support/harness.ts';

const page = { offset: 0, limit: 200 };
const REVIEWERS = ['ann', 'bob', 'cid'];

const reviewTasks = async (c: TestContext, instanceId: string): Promise<TaskRecord[]> =>
  (await c.activeTasks(instanceId)).filter((t) => t.activityId === 'review');

const completeAs = async (c: TestContext, instanceId: string, assignee: string, variables = {}) => {
  const task = (await reviewTasks(c, instanceId)).find((t) => t.assignee === assignee);
  expect(task, `an active review task for ${assignee}`).to.not.equal(undefined);
  await c.wf.complete(task!.id, variables, assignee);
};

const tasksOf = async (c: TestContext, instanceId: string, activityId: string) =>
  (await c.wf.listTasks({ instanceId }, page)).items.filter((t) => t.activityId === activityId);

describeOnBothStores('parallel multi-instance user task', (ctx) => {
  beforeEach(() => ctx().deploy('st-mi-parallel'));

  it('Given three reviewers, when the instance starts, then there is one task per reviewer, assigned to that reviewer', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-parallel', { reviewers: REVIEWERS });
    const tasks = await reviewTasks(c, instance.id);
    expect(tasks.map((t) => t.assignee).sort()).to.deep.equal(REVIEWERS);
    expect(new Set(tasks.map((t) => t.id)).size).to.equal(3);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['review', 'review', 'review']);
  });

  it('Given three open review tasks, when two complete, then the flow still waits for the third', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-parallel', { reviewers: REVIEWERS });
    await completeAs(c, instance.id, 'bob');
    await completeAs(c, instance.id, 'ann');
    expect((await reviewTasks(c, instance.id)).map((t) => t.assignee)).to.deep.equal(['cid']);
    expect(await tasksOf(c, instance.id, 'summarize')).to.deep.equal([]);
  });

  it('Given three open review tasks, when all complete, then the flow continues once and the loop variable stays local', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-parallel', { reviewers: REVIEWERS });
    for (const reviewer of ['cid', 'ann', 'bob']) await completeAs(c, instance.id, reviewer);

    expect(await c.waitingIn(instance.id)).to.deep.equal(['summarize']);
    expect(await tasksOf(c, instance.id, 'summarize')).to.have.length(1);
    expect((await tasksOf(c, instance.id, 'review')).map((t) => t.state)).to.deep.equal(['completed', 'completed', 'completed']);
    expect((await c.instance(instance.id)).variables).to.deep.equal({ reviewers: REVIEWERS });
  });
});

describeOnBothStores('sequential multi-instance user task', (ctx) => {
  beforeEach(() => ctx().deploy('st-mi-sequential'));

  it('Given three reviewers, when the instance starts, then only the first reviewer has a task', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-sequential', { reviewers: REVIEWERS });
    const tasks = await reviewTasks(c, instance.id);
    expect(tasks.map((t) => t.assignee)).to.deep.equal(['ann']);
  });

  it('Given three reviewers, when each task completes, then the next reviewer gets the task in collection order, and the flow continues after the last', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-sequential', { reviewers: REVIEWERS });
    const seen: string[] = [];
    for (let i = 0; i < REVIEWERS.length; i++) {
      const tasks = await reviewTasks(c, instance.id);
      expect(tasks, `one review task at a time (round ${i + 1})`).to.have.length(1);
      seen.push(tasks[0]!.assignee!);
      await c.wf.complete(tasks[0]!.id, {}, tasks[0]!.assignee);
    }
    expect(seen).to.deep.equal(REVIEWERS);
    expect(await c.waitingIn(instance.id)).to.deep.equal(['summarize']);
    expect(await tasksOf(c, instance.id, 'summarize')).to.have.length(1);
  });
});

describeOnBothStores('multi-instance with loopCardinality', (ctx) => {
  beforeEach(() => ctx().deploy('st-mi-cardinality'));

  it('Given loopCardinality 3, when the instance starts, then three tasks are created and the flow continues after all three complete', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-cardinality');
    const tasks = await reviewTasks(c, instance.id);
    expect(tasks).to.have.length(3);
    expect(tasks.every((t) => t.candidateGroups.includes('panel'))).to.equal(true);

    await c.wf.complete(tasks[0]!.id, {}, 'x');
    await c.wf.complete(tasks[1]!.id, {}, 'y');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['review']);
    await c.wf.complete(tasks[2]!.id, {}, 'z');
    expect(await c.waitingIn(instance.id)).to.deep.equal(['summarize']);
  });
});

describeOnBothStores('multi-instance with a completion condition', (ctx) => {
  beforeEach(() => ctx().deploy('st-mi-completion'));

  it('Given ${nrOfCompletedInstances >= 2}, when one of three completes, then the other two stay open', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-completion', { reviewers: REVIEWERS });
    await completeAs(c, instance.id, 'ann');
    expect((await reviewTasks(c, instance.id)).map((t) => t.assignee).sort()).to.deep.equal(['bob', 'cid']);
    expect(await tasksOf(c, instance.id, 'summarize')).to.deep.equal([]);
  });

  it('Given ${nrOfCompletedInstances >= 2}, when two of three complete, then the loop ends early, the remaining task is cancelled and the flow continues once', async () => {
    const c = ctx();
    const instance = await c.start('st-mi-completion', { reviewers: REVIEWERS });
    const cidTask = (await reviewTasks(c, instance.id)).find((t) => t.assignee === 'cid')!;
    await completeAs(c, instance.id, 'ann');
    await completeAs(c, instance.id, 'bob');

    expect(await c.waitingIn(instance.id)).to.deep.equal(['summarize']);
    expect(await c.wf.getTask(cidTask.id)).to.include({ state: 'cancelled' });
    expect(await tasksOf(c, instance.id, 'summarize')).to.have.length(1);
    const states = (await tasksOf(c, instance.id, 'review')).map((t) => `${t.assignee}:${t.state}`).sort();
    expect(states).to.deep.equal(['ann:completed', 'bob:completed', 'cid:cancelled']);
    const history = (await c.wf.history(instance.id, page)).items;
    expect(history.filter((h) => h.kind === 'task.cancel' && h.activityId === 'review').map((h) => h.taskId)).to.deep.equal([cidTask.id]);
    expect(history.filter((h) => h.kind === 'task.create' && h.activityId === 'summarize')).to.have.length(1);

    const error = await c.wf.complete(cidTask.id, {}, 'cid').catch((e: unknown) => e);
    expect(error).to.include({ code: 'WF_ERR_TASK_NOT_ACTIVE', status: 409 });
  });
});
