/** What the portal's pages read from the API (engine/http: /api/hall, /api/documents …). */

export interface HallService {
  number: string;
  name: string;
  processKey: string;
  /** 1 online, 2 appointment, 3 query only. */
  type: '1' | '2' | '3';
  fee: number;
  timeLimitDays: number;
  identityLevel: number;
  category: string | null;
  hint: string | null;
  pinyin: string | null;
  wubi: string | null;
}

export interface HallClass {
  code: string;
  name: string;
  logo: string | null;
  introduction: string | null;
  services: HallService[];
}

export interface ServiceDetail extends HallService {
  className: string;
  courierFee: number;
  introduction: string | null;
  needsMaterials: boolean;
  returnsMaterials: boolean;
  guide: Array<{ item: string; title: { 'zh-CN': string; en: string }; content: string }>;
  steps: string[];
  offices: Array<{ code: string; name: string; region: string; address: string | null; phone: string | null }>;
}
