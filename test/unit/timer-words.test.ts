/** The designer's timers in words (designer/src/designer/modeler/timers.ts), in Chinese and English. */
import { expect } from 'chai';
import { describeTimer } from '../../designer/src/designer/modeler/timers.ts';
import { designerEn } from '../../designer/src/i18n/designer.en.ts';
import { designerZh } from '../../designer/src/i18n/designer.zh-CN.ts';

const words =
  (catalog: Record<string, string>) =>
  (key: string, values: Record<string, string | number> = {}) =>
    catalog[key]!.replace(/\{(\w+)\}/g, (_, name: string) => String(values[name]));

describe('timers in words', () => {
  const zh = words(designerZh);
  it('reads durations, dates, repetitions and Camunda cron as an analyst says them', () => {
    expect(describeTimer('timeDuration', 'P3D', zh)).to.equal('3 天后');
    expect(describeTimer('timeDuration', 'P1DT2H30M', zh)).to.equal('1 天 2 小时 30 分钟后');
    expect(describeTimer('timeCycle', 'R3/PT10M', zh)).to.equal('每 10 分钟，共 3 次');
    expect(describeTimer('timeCycle', 'R/P1W', zh)).to.equal('每 1 周，不限次数');
    expect(describeTimer('timeCycle', '0 0 9 ? * MON-FRI', zh)).to.equal('每个工作日 09:00');
    expect(describeTimer('timeCycle', '0 30 18 * * *', zh)).to.equal('每天 18:30');
    expect(describeTimer('timeCycle', '0 0 8 1 * ?', zh)).to.equal('每月 1 日 08:00');
    expect(describeTimer('timeDate', '2026-12-31T09:00:00+08:00', zh)).to.equal('2026-12-31 09:00');
    expect(describeTimer('timeDuration', '${reminderAfter}', zh)).to.equal('时间由表达式在运行时决定');
    expect(describeTimer('timeDuration', 'three days', zh)).to.equal('无法识别的时间写法');
    expect(describeTimer('timeCycle', '0 */5 * * * ?', zh)).to.equal('按 cron 表达式 0 */5 * * * ?');
    expect(describeTimer('timeCycle', '0 0 9 ? * MON-FRI', words(designerEn))).to.equal('every working day at 09:00');
  });
});
