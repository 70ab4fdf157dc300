import { expect } from 'chai';
import { fillText, firstKnown } from '../../definitions/bpmn/texts.ts';

describe('texts filled from a case', () => {
  it('fills each {name} as a person reads it: lists joined, yes/no; a name without a value stays as written', () => {
    expect(fillText('{name}：{roads}，{paid}，{missing}', { name: '王教授', roads: ['文峰路', '七一路'], paid: true })).to.equal('王教授：文峰路、七一路，是，{missing}');
    expect(fillText('未通过：{message}', { message: { 'zh-CN': '人像不符', en: 'the face does not match' } }), 'a text in two languages, in Chinese').to.equal('未通过：人像不符');
  });

  it('says it the first way whose values are all known — an empty text, nothing or a structure is not known', () => {
    const ways = ['{reply}', '{kbAnswer}'];
    expect(firstKnown(ways, { reply: '请带户口本', kbAnswer: '见办事指南' })).to.equal('请带户口本');
    expect(firstKnown(ways, { reply: '', kbAnswer: '见办事指南' })).to.equal('见办事指南');
    expect(firstKnown(ways, { kbAnswer: { text: 'x' } })).to.equal(null);
    expect(firstKnown(['共 {n} 人'], { n: 0 })).to.equal('共 0 人');
    expect(firstKnown([], { n: 1 })).to.equal(null);
  });

  it('says a way with a condition only while its variable has that value', () => {
    const ways = ['[queueStatus=waiting]排队号 {queueNumber}', '[queueStatus=refused]未能取号：{queueRefusal}'];
    expect(firstKnown(ways, { queueStatus: 'waiting', queueNumber: 'A012' })).to.equal('排队号 A012');
    expect(firstKnown(ways, { queueStatus: 'refused', queueNumber: 'A012', queueRefusal: '当天已约满' })).to.equal('未能取号：当天已约满');
    expect(firstKnown(ways, { queueStatus: 'cancelled', queueNumber: 'A012' }), 'cancelled: no number to show').to.equal(null);
  });
});
