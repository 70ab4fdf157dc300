import { expect } from 'chai';
import type { Reason } from '../../forms/formats/chinese.ts';
import {
  idNumberProblem, makeIdNumber, mobileProblem, moneyProblem, plateProblem, postcodeProblem, regionCodeProblem,
} from '../../forms/formats/chinese.ts';

// The zh-CN text identifies a reason; also insist the English half is filled in.
function zh(problem: Reason | null): string | null {
  if (problem === null) return null;
  expect(problem.en).to.be.a('string').and.not.equal('');
  return problem['zh-CN'];
}

describe('chinese formats', () => {
  describe('idNumberProblem', () => {
    const today = new Date(2024, 5, 15); // local 2024-06-15

    it('accepts the well-known sample, one built by makeIdNumber and a 91-prefixed foreigner ID', () => {
      expect(idNumberProblem('11010519491231002X', today)).to.equal(null);
      expect(idNumberProblem(makeIdNumber('411002', '19900101', 123), today)).to.equal(null);
      expect(idNumberProblem(makeIdNumber('911234', '19900101', 7), today)).to.equal(null);
    });

    it('defaults today to now', () => {
      expect(idNumberProblem('11010519491231002X')).to.equal(null);
      expect(zh(idNumberProblem(makeIdNumber('110105', '29991231', 1)))).to.equal('出生日期晚于今天');
    });

    it('refuses old 15-digit numbers and other lengths', () => {
      expect(zh(idNumberProblem('110105491231002', today))).to.equal('不再使用 15 位旧号码，请填写 18 位身份证号码');
      expect(zh(idNumberProblem('11010519491231002', today))).to.equal('请填写 18 位身份证号码');
      expect(zh(idNumberProblem('11010519491231002X1', today))).to.equal('请填写 18 位身份证号码');
      expect(zh(idNumberProblem('', today))).to.equal('请填写 18 位身份证号码');
    });

    it('asks for an uppercase X rather than accepting a lowercase one', () => {
      expect(zh(idNumberProblem('11010519491231002x', today))).to.equal('校验位请使用大写 X');
    });

    it('refuses other characters, and X anywhere but last', () => {
      const reason = '只能包含数字，最后一位可以是 X';
      expect(zh(idNumberProblem('1101051949123100AX', today))).to.equal(reason);
      expect(zh(idNumberProblem('X10105194912310021', today))).to.equal(reason);
      expect(zh(idNumberProblem('110105 19491231002', today))).to.equal(reason);
    });

    it('refuses unknown province codes, even with a correct check digit', () => {
      const reason = '前两位不是有效的省级行政区代码';
      expect(zh(idNumberProblem(makeIdNumber('001234', '19900101', 1), today))).to.equal(reason);
      expect(zh(idNumberProblem(makeIdNumber('901234', '19900101', 1), today))).to.equal(reason);
      expect(zh(idNumberProblem(makeIdNumber('191234', '19900101', 1), today))).to.equal(reason);
    });

    it('refuses impossible dates, getting leap years right', () => {
      const birth = (date: string) => zh(idNumberProblem(makeIdNumber('411002', date, 1), today));
      expect(birth('19900230')).to.equal('出生日期不是有效日期');
      expect(birth('19901301')).to.equal('出生日期不是有效日期');
      expect(birth('19900001')).to.equal('出生日期不是有效日期');
      expect(birth('19900100')).to.equal('出生日期不是有效日期');
      expect(birth('19900431')).to.equal('出生日期不是有效日期');
      expect(birth('20230229')).to.equal('出生日期不是有效日期');
      expect(birth('19000229')).to.equal('出生日期不是有效日期');
      expect(birth('20000229')).to.equal(null);
      expect(birth('20240229')).to.equal(null);
      expect(birth('19900131')).to.equal(null);
    });

    it('refuses births before 1900 or after today, today itself being fine', () => {
      const birth = (date: string) => zh(idNumberProblem(makeIdNumber('411002', date, 1), today));
      expect(birth('18991231')).to.equal('出生日期早于 1900 年');
      expect(birth('19000101')).to.equal(null);
      expect(birth('20240616')).to.equal('出生日期晚于今天');
      expect(birth('20250101')).to.equal('出生日期晚于今天');
      expect(birth('20240615')).to.equal(null);
    });

    it('refuses a wrong check digit', () => {
      expect(zh(idNumberProblem('110105194912310021', today))).to.equal('校验位不正确');
      expect(zh(idNumberProblem('11010519491231003X', today))).to.equal('校验位不正确');
      const valid = makeIdNumber('411002', '19900101', 123);
      const wrong = valid.slice(0, 17) + (valid[17] === '0' ? '1' : '0');
      expect(zh(idNumberProblem(wrong, today))).to.equal('校验位不正确');
    });
  });

  describe('makeIdNumber', () => {
    it('pads the sequence and appends the MOD 11-2 check digit, X included', () => {
      expect(makeIdNumber('110105', '19491231', 2)).to.equal('11010519491231002X');
      expect(makeIdNumber('411002', '19900101', 123)).to.match(/^41100219900101123[\dX]$/);
      for (let sequence = 0; sequence <= 999; sequence += 37) {
        expect(idNumberProblem(makeIdNumber('440305', '19851120', sequence))).to.equal(null);
      }
    });

    it('throws on malformed parts', () => {
      expect(() => makeIdNumber('41100', '19900101', 1)).to.throw(RangeError, /region/);
      expect(() => makeIdNumber('411002', '1990011', 1)).to.throw(RangeError, /birth/);
      expect(() => makeIdNumber('411002', '19900101', 1000)).to.throw(RangeError, /sequence/);
      expect(() => makeIdNumber('411002', '19900101', -1)).to.throw(RangeError, /sequence/);
      expect(() => makeIdNumber('411002', '19900101', 1.5)).to.throw(RangeError, /sequence/);
    });
  });

  describe('mobileProblem', () => {
    it('accepts 11 digits starting 13 to 19', () => {
      for (const second of '3456789') expect(mobileProblem(`1${second}812345678`)).to.equal(null);
    });

    it('asks for the bare 11-digit number instead of spaces or +86', () => {
      const reason = '请只填写 11 位手机号码，不要加空格或 +86';
      expect(zh(mobileProblem('+8613812345678'))).to.equal(reason);
      expect(zh(mobileProblem('138 1234 5678'))).to.equal(reason);
      expect(zh(mobileProblem('138-1234-5678'))).to.equal(reason);
    });

    it('refuses the wrong number of digits', () => {
      expect(zh(mobileProblem('1381234567'))).to.equal('应为 11 位数字');
      expect(zh(mobileProblem('138123456789'))).to.equal('应为 11 位数字');
      expect(zh(mobileProblem(''))).to.equal('应为 11 位数字');
    });

    it('refuses numbers outside 13 to 19', () => {
      expect(zh(mobileProblem('12812345678'))).to.equal('应以 13–19 开头');
      expect(zh(mobileProblem('23812345678'))).to.equal('应以 13–19 开头');
    });
  });

  describe('plateProblem', () => {
    it('accepts regular plates with or without the middle dot', () => {
      expect(plateProblem('豫K·A8M21')).to.equal(null);
      expect(plateProblem('豫KA8M21')).to.equal(null);
      expect(plateProblem('京A·12345')).to.equal(null);
    });

    it('accepts special last characters 挂 学 警 港 澳', () => {
      for (const last of '挂学警港澳') expect(plateProblem(`豫K·1234${last}`)).to.equal(null);
    });

    it('accepts small and large new-energy plates (GA 36-2018)', () => {
      expect(plateProblem('豫K·D12345')).to.equal(null);
      expect(plateProblem('豫K·DF1234')).to.equal(null);
      expect(plateProblem('豫KF01234')).to.equal(null);
      expect(plateProblem('豫K·12345D')).to.equal(null);
      expect(plateProblem('豫K·12345F')).to.equal(null);
    });

    it('accepts all 31 province abbreviations', () => {
      const provinces = [...'京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼'];
      expect(new Set(provinces).size).to.equal(31);
      for (const province of provinces) expect(plateProblem(`${province}A·A8M21`)).to.equal(null);
    });

    it('refuses unknown province abbreviations', () => {
      expect(zh(plateProblem('火K·A8M21'))).to.equal('省份简称不正确');
      expect(zh(plateProblem('台K·A8M21'))).to.equal('省份简称不正确');
      expect(zh(plateProblem('KA8M21'))).to.equal('省份简称不正确');
      expect(zh(plateProblem(''))).to.equal('省份简称不正确');
    });

    it('refuses I, O and non-letters as the issuing-authority code', () => {
      const reason = '发牌机关代号应为除 I、O 外的大写字母';
      expect(zh(plateProblem('豫I·A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫O·A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫k·A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫1·A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫·KA8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫'))).to.equal(reason);
    });

    it('refuses invalid characters, including other dots than U+00B7', () => {
      const reason = '号码只能包含除 I、O 外的大写字母和数字';
      expect(zh(plateProblem('豫K•A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫K.A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫K··A8M21'))).to.equal(reason);
      expect(zh(plateProblem('豫K·A8O21'))).to.equal(reason);
      expect(zh(plateProblem('豫K·a8m21'))).to.equal(reason);
    });

    it('refuses the wrong length', () => {
      const reason = '号码应为 5 位（新能源号牌为 6 位）';
      expect(zh(plateProblem('豫K·A8M2'))).to.equal(reason);
      expect(zh(plateProblem('豫K·A8M2123'))).to.equal(reason);
      expect(zh(plateProblem('豫K'))).to.equal(reason);
    });

    it('refuses 挂 学 警 港 澳 anywhere but last', () => {
      expect(zh(plateProblem('豫K·学1234'))).to.equal('挂、学、警、港、澳只能在末位');
    });

    it('refuses 6-character numbers that are not new-energy', () => {
      const reason = '新能源号牌应为 D 或 F 加 5 位（后 4 位为数字），或 5 位数字加 D 或 F';
      expect(zh(plateProblem('豫K·A12345'))).to.equal(reason);
      expect(zh(plateProblem('豫K·D1234A'))).to.equal(reason);
      expect(zh(plateProblem('豫K·1234AD'))).to.equal(reason);
      expect(zh(plateProblem('豫K·12345A'))).to.equal(reason);
    });
  });

  describe('postcodeProblem', () => {
    it('accepts 6 digits', () => {
      expect(postcodeProblem('450000')).to.equal(null);
      expect(postcodeProblem('100871')).to.equal(null);
    });

    it('refuses anything but 6 digits, and 000000', () => {
      expect(zh(postcodeProblem('45000'))).to.equal('应为 6 位数字');
      expect(zh(postcodeProblem('4500000'))).to.equal('应为 6 位数字');
      expect(zh(postcodeProblem('45000a'))).to.equal('应为 6 位数字');
      expect(zh(postcodeProblem('000000'))).to.equal('不是有效的邮政编码');
    });
  });

  describe('regionCodeProblem', () => {
    it('accepts province, city and county codes', () => {
      expect(regionCodeProblem('410000')).to.equal(null);
      expect(regionCodeProblem('411000')).to.equal(null);
      expect(regionCodeProblem('411002')).to.equal(null);
      expect(regionCodeProblem('810000')).to.equal(null);
    });

    it('refuses anything but 6 digits', () => {
      expect(zh(regionCodeProblem('41100'))).to.equal('应为 6 位数字');
      expect(zh(regionCodeProblem('41100A'))).to.equal('应为 6 位数字');
    });

    it('refuses unknown province codes, 91 included', () => {
      expect(zh(regionCodeProblem('001002'))).to.equal('前两位不是有效的省级行政区代码');
      expect(zh(regionCodeProblem('910000'))).to.equal('前两位不是有效的省级行政区代码');
    });

    it('refuses a county part under city part 00', () => {
      expect(zh(regionCodeProblem('410012'))).to.equal('市级代码为 00 时，县级代码也应为 00');
    });
  });

  describe('moneyProblem', () => {
    it('accepts amounts with up to two decimals despite binary floating point', () => {
      expect(moneyProblem(19.99)).to.equal(null);
      expect(moneyProblem(0.1 + 0.2)).to.equal(null);
      expect(moneyProblem(4.35)).to.equal(null);
      expect(moneyProblem(0)).to.equal(null);
      expect(moneyProblem(1e12)).to.equal(null);
    });

    it('accepts two-decimal amounts near the maximum, where v * 100 drifts by more than 1e-6', () => {
      const cents = 595339251024.8 * 100;
      expect(Math.abs(Math.round(cents) - cents)).to.be.greaterThan(1e-6);
      expect(moneyProblem(595339251024.8)).to.equal(null);
      expect(moneyProblem(999999999999.99)).to.equal(null);
    });

    it('refuses more than two decimals', () => {
      const reason = '最多保留两位小数';
      expect(zh(moneyProblem(12.345))).to.equal(reason);
      expect(zh(moneyProblem(1.005))).to.equal(reason);
      expect(zh(moneyProblem(1e-7))).to.equal(reason);
      expect(zh(moneyProblem(595339251024.805))).to.equal(reason);
    });

    it('refuses non-finite amounts', () => {
      expect(zh(moneyProblem(Number.NaN))).to.equal('不是有效的金额');
      expect(zh(moneyProblem(Number.POSITIVE_INFINITY))).to.equal('不是有效的金额');
      expect(zh(moneyProblem(Number.NEGATIVE_INFINITY))).to.equal('不是有效的金额');
    });

    it('refuses negative amounts and more than 1e12 by default', () => {
      expect(zh(moneyProblem(-1))).to.equal('不能为负数');
      expect(zh(moneyProblem(-0.01))).to.equal('不能为负数');
      expect(zh(moneyProblem(1e12 + 0.01))).to.equal('不能超过 1,000,000,000,000 元');
    });

    it('lets min and max override the defaults', () => {
      expect(zh(moneyProblem(9.99, { min: 10 }))).to.equal('不能少于 10 元');
      expect(moneyProblem(10, { min: 10 })).to.equal(null);
      expect(zh(moneyProblem(100.01, { max: 100 }))).to.equal('不能超过 100 元');
      expect(moneyProblem(-5, { min: -10 })).to.equal(null);
      expect(moneyProblem(2e12, { max: 5e12 })).to.equal(null);
      expect(moneyProblem(0.5, { min: 0.5, max: 0.5 })).to.equal(null);
    });
  });
});
