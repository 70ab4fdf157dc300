/**
 * A diagram for a compiled flow, so that it opens in any BPMN viewer. Layered
 * left to right: a jump back (a correction returning to review, a retried
 * payment) is found by walking the flow from the start, every other flow
 * goes one column or more to the right; each element takes the row of the
 * element that led to it when that row is free in its column, so that the
 * main path stays one straight line and branches hang below it. Jumps back
 * run under everything, each at its own depth.
 */
export interface Shape {
  id: string;
  kind: 'task' | 'gateway' | 'event';
  tag: string;
  attrs: Array<[string, string]>;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const SIZE = { task: [100, 80], gateway: [50, 50], event: [36, 36] } as const;
const COLUMN = 150;
const ROW = 130;
const TOP = 100;
const LEFT = 80;

export function layout(shapes: Shape[], flows: Array<{ id: string; source: string; target: string }>): { xml(processKey: string): string } {
  const hostOf = new Map(shapes.filter((s) => s.tag === 'boundaryEvent').map((s) => [s.id, s.attrs.find(([k]) => k === 'attachedToRef')![1]]));
  const from = (id: string) => hostOf.get(id) ?? id;
  const placed = shapes.filter((s) => !hostOf.has(s.id));
  const outgoing = new Map<string, string[]>(placed.map((s) => [s.id, []]));
  for (const f of flows) outgoing.get(from(f.source))?.push(f.target);

  // Back edges: to an element still on the walk's path.
  const back = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const next of outgoing.get(id) ?? []) {
      if (state.get(next) === 'open') back.add(`${id}>${next}`);
      else if (!state.has(next)) visit(next);
    }
    state.set(id, 'done');
  };
  for (const s of placed) if (!state.has(s.id)) visit(s.id);

  // Columns: the longest forward path from the start.
  const column = new Map<string, number>();
  const order: string[] = [];
  const seen = new Set<string>();
  const post = (id: string) => {
    seen.add(id);
    for (const next of outgoing.get(id) ?? []) if (!back.has(`${id}>${next}`) && !seen.has(next)) post(next);
    order.push(id);
  };
  for (const s of placed) if (!seen.has(s.id)) post(s.id);
  order.reverse(); // a topological order of the forward flows
  for (const id of order) {
    if (!column.has(id)) column.set(id, 0);
    for (const next of outgoing.get(id) ?? []) if (!back.has(`${id}>${next}`)) column.set(next, Math.max(column.get(next) ?? 0, column.get(id)! + 1));
  }

  // How far each element is from the end: the longest branch is the main path, and keeps the row it comes from.
  const height = new Map<string, number>();
  for (const id of [...order].reverse()) height.set(id, Math.max(0, ...(outgoing.get(id) ?? []).filter((next) => !back.has(`${id}>${next}`)).map((next) => (height.get(next) ?? 0) + 1)));
  const longestFirst = (ids: string[]) => [...ids].sort((a, b) => (height.get(b) ?? 0) - (height.get(a) ?? 0));

  // Rows: the row of the element leading here by its longest branch, when free; else the next free one.
  const row = new Map<string, number>();
  const taken = new Map<number, Set<number>>();
  const take = (id: string, wanted: number) => {
    const used = taken.get(column.get(id)!) ?? new Set<number>();
    let r = wanted;
    while (used.has(r)) r++;
    used.add(r);
    taken.set(column.get(id)!, used);
    row.set(id, r);
  };
  const walk: string[] = [placed[0]!.id];
  take(placed[0]!.id, 0);
  while (walk.length) {
    const id = walk.shift()!;
    for (const next of longestFirst(outgoing.get(id) ?? [])) {
      if (row.has(next)) continue;
      take(next, row.get(id)!);
      walk.push(next);
    }
  }
  for (const s of placed) if (!row.has(s.id)) take(s.id, 0);

  // A task's boundary events sit along its bottom edge, from the right, 44 apart: a task with many is wider, and so is its column.
  const hosted = new Map<string, string[]>();
  for (const [id, host] of hostOf) hosted.set(host, [...(hosted.get(host) ?? []), id]);
  const widthOf = (s: Shape) => (s.kind === 'task' ? Math.max(SIZE.task[0], 44 * (hosted.get(s.id)?.length ?? 0) + 12) : SIZE[s.kind][0]);
  const extra = new Map<number, number>();
  for (const s of placed) extra.set(column.get(s.id)!, Math.max(extra.get(column.get(s.id)!) ?? 0, widthOf(s) - SIZE.task[0]));
  const columnX = (c: number) => LEFT + c * COLUMN + [...extra].reduce((sum, [k, w]) => sum + (k < c ? w : 0), 0);
  const boxes = new Map<string, Box>();
  for (const s of placed) {
    const c = column.get(s.id)!;
    const [w, h] = [widthOf(s), SIZE[s.kind][1]];
    boxes.set(s.id, { x: columnX(c) + (SIZE.task[0] + (extra.get(c) ?? 0) - w) / 2, y: TOP + row.get(s.id)! * ROW + (80 - h) / 2, w, h });
  }
  for (const [host, ids] of hosted) {
    const b = boxes.get(host)!;
    ids.forEach((id, i) => boxes.set(id, { x: b.x + b.w - 46 - i * 44, y: b.y + b.h - 18, w: 36, h: 36 }));
  }
  /** Where a boundary event's name goes: under it, every other one a line lower, so that neighbours' names do not run together. */
  const labelOf = (id: string): Box | null => {
    const siblings = hosted.get(hostOf.get(id) ?? '');
    if (!siblings || siblings.length < 2) return null;
    const b = boxes.get(id)!;
    return { x: b.x - 18, y: b.y + b.h + 2 + (siblings.indexOf(id) % 2) * 16, w: 72, h: 14 };
  };
  const bottom = Math.max(...[...row.values()]) * ROW + TOP + 80;

  let depth = 0;
  let channels = 0;
  const cx = (b: Box) => b.x + b.w / 2;
  const cy = (b: Box) => b.y + b.h / 2;
  const all = [...boxes.entries()];
  /** No element but the ends' own on the horizontal line at y from x1 to x2. */
  const clear = (y: number, x1: number, x2: number, ends: string[]) =>
    all.every(([id, b]) => ends.includes(id) || hostOf.has(id) || y < b.y - 2 || y > b.y + b.h + 2 || b.x + b.w < Math.min(x1, x2) || b.x > Math.max(x1, x2));
  const edges = flows.map((f) => {
    const a = boxes.get(f.source)!;
    const b = boxes.get(f.target)!;
    const ends = [f.source, f.target, from(f.source)];
    let points: Array<[number, number]>;
    if (back.has(`${from(f.source)}>${f.target}`)) {
      const y = bottom + 30 + 16 * depth++;
      points = [
        [cx(a) - 15, a.y + a.h],
        [cx(a) - 15, y],
        [cx(b), y],
        [cx(b), b.y + b.h],
      ];
    } else if (!hostOf.has(f.source) && cy(a) === cy(b) && clear(cy(a), a.x + a.w, b.x, ends)) {
      points = [
        [a.x + a.w, cy(a)],
        [b.x, cy(b)],
      ];
    } else if (cy(b) !== cy(a) && clear(cy(b), cx(a), b.x, ends) && (cy(b) > a.y + a.h || cy(b) < a.y)) {
      // down (or up) from the source, then across into the target's left side
      points = [
        [cx(a), cy(b) > cy(a) ? a.y + a.h : a.y],
        [cx(a), cy(b)],
        [b.x, cy(b)],
      ];
    } else {
      // along the gap above the source's row (below it, from a timer), then down the gap before the target
      const rowTop = TOP + row.get(from(f.source))! * ROW;
      const y = hostOf.has(f.source) ? rowTop + 80 + 22 + 8 * (channels++ % 3) : rowTop - 18 - 8 * (channels++ % 3);
      points = [
        [cx(a), hostOf.has(f.source) ? a.y + a.h : a.y],
        [cx(a), y],
        [b.x - 22, y],
        [b.x - 22, cy(b)],
        [b.x, cy(b)],
      ];
    }
    return { id: f.id, points };
  });

  return {
    xml(processKey) {
      const lines = [`  <bpmndi:BPMNDiagram id="${processKey}-diagram">`, `    <bpmndi:BPMNPlane id="${processKey}-plane" bpmnElement="${processKey}">`];
      for (const s of shapes) {
        const b = boxes.get(s.id)!;
        const marker = s.kind === 'gateway' ? ' isMarkerVisible="true"' : '';
        // A gateway's name goes above it: its branches leave from below.
        const at = s.kind === 'gateway' ? { x: b.x - 25, y: b.y - 22, w: 100, h: 14 } : labelOf(s.id);
        const label = at ? `<bpmndi:BPMNLabel><dc:Bounds x="${at.x}" y="${at.y}" width="${at.w}" height="${at.h}" /></bpmndi:BPMNLabel>` : '';
        lines.push(`      <bpmndi:BPMNShape id="${s.id}_di" bpmnElement="${s.id}"${marker}><dc:Bounds x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" />${label}</bpmndi:BPMNShape>`);
      }
      for (const e of edges) {
        const waypoints = e.points.map(([x, y]) => `<di:waypoint x="${x}" y="${y}" />`).join('');
        lines.push(`      <bpmndi:BPMNEdge id="${e.id}_di" bpmnElement="${e.id}">${waypoints}</bpmndi:BPMNEdge>`);
      }
      lines.push('    </bpmndi:BPMNPlane>', '  </bpmndi:BPMNDiagram>');
      return lines.join('\n');
    },
  };
}
