/**
 * The catalog as the service hall (办事大厅) shows it to citizens: the open
 * business classes with their services, and one service's page — its guide,
 * fees, time limit, the identity level it needs, and the steps of its flow as
 * the state names a case passes through on its main path (not BPMN). Only
 * what is open on the web channel and published; nothing an analyst keeps
 * to themselves (operations, inputs, review checks).
 */
import { processKeyOf } from './compile.ts';
import { GUIDE_ITEMS, type Catalog, type Row } from './tables.ts';

export interface HallService {
  number: string;
  name: string;
  processKey: string;
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

export interface ServicePage extends HallService {
  className: string;
  courierFee: number;
  introduction: string | null;
  needsMaterials: boolean;
  returnsMaterials: boolean;
  /** The 13 items in their order, then the service's own; empty items left out. */
  guide: Array<{ item: string; title: { 'zh-CN': string; en: string }; content: string }>;
  /** The state names of the main path, in order. */
  steps: string[];
  offices: Array<{ code: string; name: string; region: string; address: string | null; phone: string | null }>;
}

const active = (row: Row) => row.status !== '0';
const byOrder = (a: Row, b: Row) => (a.order ?? 0) - (b.order ?? 0) || String(a.number ?? a.code ?? '').localeCompare(String(b.number ?? b.code ?? ''));

/** Whether citizens see the service: open, on the web channel, of an active class, and published. */
export function shown(catalog: Catalog, service: Row, published: ReadonlySet<string>): boolean {
  const cls = catalog.classes.find((c) => c.code === service.class);
  return service.status !== '0' && service.web !== false && Boolean(cls && active(cls)) && published.has(service.number);
}

function hallService(service: Row): HallService {
  return {
    number: service.number,
    name: service.name,
    processKey: processKeyOf(service.number),
    type: service.type,
    fee: Number(service.fee ?? 0),
    timeLimitDays: Number(service.timeLimitDays ?? 0),
    identityLevel: Number(service.identityLevel ?? 0),
    category: service.category || null,
    hint: service.hint || null,
    pinyin: service.pinyin || null,
    wubi: service.wubi || null,
  };
}

const imageUrl = (catalog: Catalog, code: unknown): string | null => (code ? (catalog.images.find((i) => i.code === code)?.url ?? null) : null);

export function hallOf(catalog: Catalog, published: ReadonlySet<string>): HallClass[] {
  return catalog.classes
    .filter(active)
    .sort(byOrder)
    .map((cls) => ({
      code: cls.code,
      name: cls.name,
      logo: imageUrl(catalog, cls.logo),
      introduction: cls.introduction || null,
      services: catalog.services
        .filter((s) => s.class === cls.code && shown(catalog, s, published))
        .sort(byOrder)
        .map(hallService),
    }))
    .filter((cls) => cls.services.length > 0);
}

/** One service's page, or null when citizens do not see it. */
export function servicePage(catalog: Catalog, number: string, published: ReadonlySet<string>): ServicePage | null {
  const service = catalog.services.find((s) => s.number === number);
  if (!service || !shown(catalog, service, published)) return null;
  const own = catalog.guides.filter((g) => g.service === number && String(g.content ?? '').trim());
  const known = new Map(GUIDE_ITEMS.map(([item, zh, en], i) => [item, { i, title: { 'zh-CN': zh, en } }]));
  const guide = own
    .sort((a, b) => (known.get(a.item)?.i ?? 100 + (a.order ?? 0)) - (known.get(b.item)?.i ?? 100 + (b.order ?? 0)))
    .map((g) => ({ item: g.item as string, title: known.get(g.item)?.title ?? { 'zh-CN': g.title || g.item, en: g.title || g.item }, content: g.content as string }));
  const named = new Set<string>([...((service.offices as string[] | undefined) ?? []), ...(service.defaultOffice ? [service.defaultOffice as string] : [])]);
  return {
    ...hallService(service),
    className: catalog.classes.find((c) => c.code === service.class)?.name ?? '',
    courierFee: Number(service.courierFee ?? 0),
    introduction: service.introduction || null,
    needsMaterials: service.needsMaterials !== false,
    returnsMaterials: service.returnsMaterials === true,
    guide,
    steps: mainSteps(catalog, number),
    offices: catalog.offices.filter((o) => active(o) && named.has(o.code)).map((o) => ({ code: o.code, name: o.name, region: o.region, address: o.address || null, phone: o.phone || null })),
  };
}

/**
 * The states of the main path through the service's nodes from the first
 * one, following next nodes, decision rules and node events: the longest way
 * to a state flagged as ending well (已办结), or the longest way at all when
 * no state is flagged — corrections, refusals and cancellations being
 * detours or dead ends. Each state once, in order.
 */
export function mainSteps(catalog: Catalog, number: string): string[] {
  const nodes = catalog.nodes.filter((n) => n.service === number && active(n)).sort((a, b) => a.seq - b.seq);
  const bySeq = new Map(nodes.map((n) => [n.seq as number, n]));
  const own = <T extends 'rules' | 'events'>(table: T) => catalog[table].filter((r) => r.service === number && active(r) && r.next !== null && r.next !== undefined);
  const onward = (node: Row): number[] => [
    ...own('rules')
      .filter((r) => r.node === node.seq)
      .map((r) => r.next as number),
    ...(node.next !== null && node.next !== undefined ? [node.next as number] : []),
    ...own('events')
      .filter((e) => e.node === node.seq)
      .map((e) => e.next as number),
  ];
  const stateOf = (node: Row | undefined) => (node?.state ? catalog.states.find((s) => s.code === node.state) : undefined);
  type Way = { seqs: number[]; endsWell: boolean };
  const better = (a: Way, b: Way) => (a.endsWell !== b.endsWell ? a.endsWell : a.seqs.length > b.seqs.length);
  const walk = (seq: number, path: Set<number>): Way => {
    const node = bySeq.get(seq);
    if (!node) return { seqs: [], endsWell: false };
    path.add(seq);
    let best: Way | null = null;
    for (const next of onward(node)) {
      if (path.has(next)) continue; // a jump back
      const rest = walk(next, path);
      if (!best || better(rest, best)) best = rest;
    }
    path.delete(seq);
    return best ? { seqs: [seq, ...best.seqs], endsWell: best.endsWell } : { seqs: [seq], endsWell: stateOf(node)?.flag === 'success' };
  };
  const first = nodes[0];
  if (!first) return [];
  const names = walk(first.seq, new Set())
    .seqs.map((seq) => stateOf(bySeq.get(seq))?.name as string | undefined)
    .filter((name): name is string => Boolean(name));
  return [...new Set(names)];
}
