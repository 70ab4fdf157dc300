import { expect } from 'chai';
import { readNotify, writeNotify } from '../../designer/src/designer/modeler/notify.ts';

describe('wf:notify as the panel’s matrix', () => {
  it('reads the short form as a new task’s channels, and the long form per event', () => {
    expect(readNotify('sms,email')).to.deep.equal({ task: ['sms', 'email'], 'near-due': [], overdue: [], escalation: [] });
    expect(readNotify('task:email; overdue:sms, email;escalation:email')).to.deep.equal({ task: ['email'], 'near-due': [], overdue: ['sms', 'email'], escalation: ['email'] });
    expect(readNotify(undefined).task).to.deep.equal([]);
  });

  it('writes the shortest form the server reads, and nothing when nothing is ticked', () => {
    expect(writeNotify({ task: ['email', 'sms'].sort() as Array<'sms' | 'email'>, 'near-due': [], overdue: [], escalation: [] })).to.equal('email,sms');
    expect(writeNotify({ task: [], 'near-due': ['sms'], overdue: ['sms', 'email'], escalation: [] })).to.equal('near-due:sms; overdue:sms,email');
    expect(writeNotify(readNotify(''))).to.equal(undefined);
    const text = 'task:sms; escalation:email';
    expect(writeNotify(readNotify(text))).to.equal(text);
  });
});
