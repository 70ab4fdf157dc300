/**
 * What the simulated business systems answer to a query (业务查询): each
 * query a function of its parameters alone, so that the same question gets
 * the same answer and tests can say what to expect. Plates of 豫K are local;
 * a plate's violations, an acceptance number's progress, a name's count are
 * derived from the text asked about.
 */
export type QueryAnswer = { variables: Record<string, unknown> } | { error: string; status: number };

/** A small stable number from a text: the same text, the same number. */
function seed(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619) >>> 0;
  return h;
}

const needs = (params: Record<string, unknown>, ...names: string[]) => names.find((n) => typeof params[n] !== 'string' || params[n] === '');

const PROGRESS = ['已受理', '审核中', '制证中', '已制证，待领取', '已领取'];

export const QUERIES: Record<string, Record<string, (params: Record<string, unknown>) => QueryAnswer>> = {
  trafficSystem: {
    violations(p) {
      if (needs(p, 'plateNumber')) return { status: 400, error: 'plateNumber is required' };
      const plate = String(p.plateNumber);
      const n = seed(plate);
      const count = /9$/.test(plate.replace(/[^0-9A-Z]/g, '')) ? 0 : (n % 3) + 1;
      const points = count ? [1, 2, 3, 6, 12][n % 5]! : 0;
      return { variables: { plateLocal: plate.startsWith('豫K'), violationCount: count, violationPoints: points, fineAmount: count * 100 } };
    },
    drivingLicence(p) {
      if (needs(p, 'idNumber', 'name')) return { status: 400, error: 'idNumber and name are required' };
      const id = String(p.idNumber);
      if (id.endsWith('0')) return { variables: { licenceFound: false } };
      const classes = ['C1', 'C2', 'B2', 'A2'];
      return { variables: { licenceFound: true, licenceNumber: id, licenceClass: classes[seed(id) % classes.length], licenceValidTo: `20${30 + (seed(id) % 6)}-06-30` } };
    },
    vehicleLicence(p) {
      if (needs(p, 'plateNumber', 'idNumber')) return { status: 400, error: 'plateNumber and idNumber are required' };
      const plate = String(p.plateNumber);
      if (!plate.startsWith('豫K')) return { variables: { vehicleFound: false } };
      const types = ['小型轿车', '小型越野客车', '轻型货车'];
      return { variables: { vehicleFound: true, vehicleType: types[seed(plate) % types.length], vehicleRegisteredOn: `20${15 + (seed(plate) % 10)}-03-01` } };
    },
    vehicleOwner(p) {
      if (needs(p, 'plateNumber')) return { status: 400, error: 'plateNumber is required' };
      const plate = String(p.plateNumber);
      if (!plate.startsWith('豫K')) return { variables: { ownerFound: false } };
      return { variables: { ownerFound: true, ownerMobile: `139${String(seed(plate) % 1e8).padStart(8, '0')}` } };
    },
    roadConditions(p) {
      const road = typeof p.road === 'string' && p.road ? p.road : '许昌市区';
      const levels = ['畅通', '缓行', '拥堵'];
      return { variables: { trafficRoad: road, trafficLevel: levels[seed(road) % 3], trafficUpdatedAt: '实时' } };
    },
  },
  householdSystem: {
    sameName(p) {
      if (needs(p, 'name')) return { status: 400, error: 'name is required' };
      return { variables: { sameNameCount: (seed(String(p.name)) % 500) + 1 } };
    },
    idCardProgress(p) {
      if (needs(p, 'acceptanceNo')) return { status: 400, error: 'acceptanceNo is required' };
      if (!/^\d{12}$/.test(String(p.acceptanceNo))) return { variables: { progressFound: false } };
      return { variables: { progressFound: true, progress: PROGRESS[seed(String(p.acceptanceNo)) % PROGRESS.length] } };
    },
  },
  exitEntrySystem: {
    progress(p) {
      const number = typeof p.serialNo === 'string' && p.serialNo ? p.serialNo : typeof p.documentNo === 'string' ? p.documentNo : '';
      if (!number) return { status: 400, error: 'serialNo or documentNo is required' };
      return { variables: { progressFound: true, progress: PROGRESS[seed(number) % PROGRESS.length] } };
    },
    fees(p) {
      if (needs(p, 'documentType')) return { status: 400, error: 'documentType is required' };
      const fees: Record<string, number> = { passport: 120, 'hk-macau-permit': 60, 'taiwan-permit': 60, endorsement: 15 };
      const fee = fees[String(p.documentType)];
      return fee === undefined ? { status: 404, error: `no document type ${String(p.documentType)}` } : { variables: { feeAmount: fee, feeType: String(p.documentType) } };
    },
  },
  vehicleSystem: {
    fees(p) {
      if (needs(p, 'idNumber')) return { status: 400, error: 'idNumber is required' };
      const items = [
        { type: 'plate', name: '号牌工本费', amount: 100 },
        { type: 'licence', name: '行驶证工本费', amount: 15 },
        { type: 'driving-licence', name: '驾驶证工本费', amount: 10 },
      ];
      const due = items.filter((_, i) => (seed(String(p.idNumber)) >> i) & 1);
      return { variables: { feeItems: due, feeAmount: due.reduce((sum, i) => sum + i.amount, 0), feeType: due.map((i) => i.type).join(',') } };
    },
  },
};
