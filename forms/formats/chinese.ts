// Validators for Chinese form fields. Each returns null when the value is valid,
// otherwise the reason shown after the field label, e.g. "身份证号码：校验位不正确".
// Pure and dependency-free so the same checks run in the browser and on the server.

export type Reason = { 'zh-CN': string; en: string };

const reason = (zh: string, en: string): Reason => ({ 'zh-CN': zh, en });

// GB/T 2260 province-level codes (incl. Taiwan 71, Hong Kong 81, Macao 82).
const PROVINCE_CODES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82',
]);

// 91 only appears in ID numbers: the 2023 foreign permanent resident ID card.
const ID_PROVINCE_CODES = new Set([...PROVINCE_CODES, '91']);

// ---------------------------------------------------------------- ID number

// ISO 7064 MOD 11-2 as specified by GB 11643-1999.
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

function idCheckDigit(first17: string): string {
  const sum = ID_WEIGHTS.reduce((acc, weight, i) => acc + weight * Number(first17[i]), 0);
  return ID_CHECK_CHARS[sum % 11] ?? '';
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isCalendarDate(yyyymmdd: string): boolean {
  const year = Number(yyyymmdd.slice(0, 4));
  const month = Number(yyyymmdd.slice(4, 6));
  const day = Number(yyyymmdd.slice(6, 8));
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

// Local calendar date, because "today" is the user's today, not UTC's.
function toYyyymmdd(date: Date): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  return pad(date.getFullYear(), 4) + pad(date.getMonth() + 1, 2) + pad(date.getDate(), 2);
}

function birthDateProblem(yyyymmdd: string, today: Date): Reason | null {
  if (!isCalendarDate(yyyymmdd)) return reason('出生日期不是有效日期', 'the date of birth is not a valid date');
  if (yyyymmdd < '19000101') return reason('出生日期早于 1900 年', 'the date of birth is before 1900');
  // Same-width digit strings compare like the dates they spell.
  if (yyyymmdd > toYyyymmdd(today)) return reason('出生日期晚于今天', 'the date of birth is after today');
  return null;
}

export function idNumberProblem(value: string, today: Date = new Date()): Reason | null {
  if (/^\d{15}$/.test(value)) {
    return reason('不再使用 15 位旧号码，请填写 18 位身份证号码', 'old 15-digit numbers are not accepted: enter the 18-digit number');
  }
  if (value.length !== 18) return reason('请填写 18 位身份证号码', 'enter the 18-character ID number');
  if (/^\d{17}x$/.test(value)) return reason('校验位请使用大写 X', 'use an uppercase X as the check digit');
  if (!/^\d{17}[\dX]$/.test(value)) {
    return reason('只能包含数字，最后一位可以是 X', 'only digits are allowed, with X as the last character');
  }
  if (!ID_PROVINCE_CODES.has(value.slice(0, 2))) {
    return reason('前两位不是有效的省级行政区代码', 'the first two digits are not a valid province code');
  }
  const birthProblem = birthDateProblem(value.slice(6, 14), today);
  if (birthProblem) return birthProblem;
  if (value[17] !== idCheckDigit(value)) return reason('校验位不正确', 'the check digit is wrong');
  return null;
}

// Shape only, no date or region checks: tests need well-checksummed IDs with bad dates too.
export function makeIdNumber(region: string, birth: string, sequence: number): string {
  if (!/^\d{6}$/.test(region)) throw new RangeError(`region must be 6 digits, got "${region}"`);
  if (!/^\d{8}$/.test(birth)) throw new RangeError(`birth must be YYYYMMDD, got "${birth}"`);
  if (!Number.isInteger(sequence) || sequence < 0 || sequence > 999) {
    throw new RangeError(`sequence must be an integer 0–999, got ${sequence}`);
  }
  const first17 = region + birth + String(sequence).padStart(3, '0');
  return first17 + idCheckDigit(first17);
}

// ---------------------------------------------------------------- mobile

export function mobileProblem(value: string): Reason | null {
  if (!/^\d*$/.test(value)) {
    return reason('请只填写 11 位手机号码，不要加空格或 +86', 'enter just the 11-digit number, without spaces or +86');
  }
  if (value.length !== 11) return reason('应为 11 位数字', 'must have 11 digits');
  if (!/^1[3-9]/.test(value)) return reason('应以 13–19 开头', 'must start with 13 to 19');
  return null;
}

// ---------------------------------------------------------------- plate

const PLATE_PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';

// GA 36-2018: letters exclude I and O (they read as 1 and 0).
const PLATE_CHARS = /^[A-HJ-NP-Z0-9挂学警港澳]*$/;
const REGULAR_PLATE = /^[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警港澳]$/;
const SMALL_NEW_ENERGY_PLATE = /^[DF][A-HJ-NP-Z0-9]\d{4}$/;
const LARGE_NEW_ENERGY_PLATE = /^\d{5}[DF]$/;

function plateNumberProblem(number: string): Reason | null {
  if (!PLATE_CHARS.test(number)) {
    return reason('号码只能包含除 I、O 外的大写字母和数字', 'the number may only hold digits and uppercase letters other than I and O');
  }
  if (number.length === 5) {
    return REGULAR_PLATE.test(number)
      ? null
      : reason('挂、学、警、港、澳只能在末位', '挂, 学, 警, 港 and 澳 may only come last');
  }
  if (number.length === 6) {
    return SMALL_NEW_ENERGY_PLATE.test(number) || LARGE_NEW_ENERGY_PLATE.test(number)
      ? null
      : reason('新能源号牌应为 D 或 F 加 5 位（后 4 位为数字），或 5 位数字加 D 或 F', 'a new-energy number is D or F then 5 characters (the last 4 digits), or 5 digits then D or F');
  }
  return reason('号码应为 5 位（新能源号牌为 6 位）', 'the number must be 5 characters long (6 for new-energy plates)');
}

export function plateProblem(value: string): Reason | null {
  const province = value.charAt(0);
  if (province === '' || !PLATE_PROVINCES.includes(province)) {
    return reason('省份简称不正确', 'unknown province abbreviation');
  }
  if (!/^[A-HJ-NP-Z]$/.test(value.charAt(1))) {
    return reason('发牌机关代号应为除 I、O 外的大写字母', 'the issuing-authority code must be an uppercase letter other than I and O');
  }
  // Only U+00B7, and only between the code and the number.
  const rest = value.slice(2);
  return plateNumberProblem(rest.startsWith('·') ? rest.slice(1) : rest);
}

// ---------------------------------------------------------------- postcode

export function postcodeProblem(value: string): Reason | null {
  if (!/^\d{6}$/.test(value)) return reason('应为 6 位数字', 'must have 6 digits');
  if (value === '000000') return reason('不是有效的邮政编码', 'is not a valid postcode');
  return null;
}

// ---------------------------------------------------------------- region code

export function regionCodeProblem(value: string): Reason | null {
  if (!/^\d{6}$/.test(value)) return reason('应为 6 位数字', 'must have 6 digits');
  if (!PROVINCE_CODES.has(value.slice(0, 2))) {
    return reason('前两位不是有效的省级行政区代码', 'the first two digits are not a valid province code');
  }
  // City part 00 is the province itself, which has no county part.
  if (value.slice(2, 4) === '00' && value.slice(4, 6) !== '00') {
    return reason('市级代码为 00 时，县级代码也应为 00', 'when the city part is 00 the county part must be 00 too');
  }
  return null;
}

// ---------------------------------------------------------------- money

const DEFAULT_MAX_YUAN = 1e12;

// Judges the decimal the user typed, not its binary approximation: 19.99 * 100 is
// 1998.9999999999998. The tolerance grows with the value because above ~1e8 yuan
// the product's rounding error alone exceeds a fixed 1e-6.
function hasAtMostTwoDecimals(value: number): boolean {
  const cents = value * 100;
  const tolerance = Math.max(1e-6, Math.abs(cents) * Number.EPSILON);
  return Math.abs(Math.round(cents) - cents) < tolerance;
}

const formatYuan = (value: number): string => value.toLocaleString('en-US', { maximumFractionDigits: 2 });

export function moneyProblem(value: number, options: { min?: number; max?: number } = {}): Reason | null {
  const { min = 0, max = DEFAULT_MAX_YUAN } = options;
  if (!Number.isFinite(value)) return reason('不是有效的金额', 'is not a valid amount');
  if (value < min) {
    return min === 0
      ? reason('不能为负数', 'must not be negative')
      : reason(`不能少于 ${formatYuan(min)} 元`, `must be at least ${formatYuan(min)} yuan`);
  }
  if (value > max) return reason(`不能超过 ${formatYuan(max)} 元`, `must be at most ${formatYuan(max)} yuan`);
  if (!hasAtMostTwoDecimals(value)) return reason('最多保留两位小数', 'may have at most two decimal places');
  return null;
}
