/**
 * The forms row of the benchmark: validations per second of the 35-field
 * road-pass application through the project's validation path (computed
 * fields, ajv, messages) against bare ajv compiled from the same schema, in
 * alternating rounds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { FormCompiler, normalize, type FormDefinition } from '../../forms/index.ts';
import { addCustomFormats } from '../../forms/formats/index.ts';
import type { RoadPassApplication } from '../../forms/generated/index.ts';
import { addFormKeywords, type DictionarySource } from '../../forms/keywords.ts';
import { median, round3 } from './stats.ts';

const DEFINITIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions');

function dictionaries(): DictionarySource & { exists(key: string): boolean } {
  const values = new Map<string, Set<string>>();
  for (const file of fs.readdirSync(path.join(DEFINITIONS, 'dictionaries'))) {
    const d = JSON.parse(fs.readFileSync(path.join(DEFINITIONS, 'dictionaries', file), 'utf8')) as { key: string; items: Array<{ value: string }> };
    values.set(d.key, new Set(d.items.map((i) => i.value)));
  }
  return { exists: (key) => values.has(key), has: (key, value) => values.get(key)?.has(value) };
}

/** A complete private application (the materials are file ids: their existence is a database check, not validation). */
const APPLICATION: RoadPassApplication = {
  applicantType: 'personal',
  applicantName: '张三',
  idNumber: '11010519491231002X',
  mobile: '13812345678',
  email: 'zhangsan@example.com',
  plateColour: 'blue',
  plateNumber: '豫K·A8M21',
  vehicleType: 'truck-light',
  vin: 'LSVAM4187C2184847',
  ownerName: '张三',
  loadTonnes: 1.5,
  roads: ['wenfeng-rd', 'jian-an-ave'],
  validity: { start: '2026-12-10', end: '2027-01-10' },
  timeSlot: '09:00-16:00',
  purpose: '运送建筑材料进入市区',
  cargo: '水泥',
  remarks: '夜间不通行',
  region: '411002',
  office: 'xc-traffic-1',
  materials: { 'id-card': { files: ['f-1', 'f-2'] }, 'vehicle-licence': { files: ['f-3'] } },
  sendMethod: 'courier',
  returnMethod: 'ems',
  recipientName: '张三',
  recipientMobile: '13812345678',
  recipientIdNumber: '11010519491231002X',
  recipientAddress: '河南省许昌市魏都区文峰路 88 号',
  recipientPostcode: '461000',
  productionFee: 15,
  courierFee: 22,
  declaration: true,
};

/** The same application with a few mistakes a citizen makes. */
const MISTAKES: RoadPassApplication = { ...APPLICATION, idNumber: '110105194912310021', plateNumber: '豫I·A8M21', recipientPostcode: '4610', validity: { start: '2027-01-10', end: '2026-12-10' } };

export interface FormsBench {
  fields: number;
  validationsPerSecond: { project: number; bareAjv: number; projectWithErrors: number; bareAjvWithErrors: number };
  ratio: number;
  ratioWithErrors: number;
  target: number;
}

export async function benchForms(rounds: number, log: (...parts: unknown[]) => void): Promise<FormsBench> {
  const definition = JSON.parse(fs.readFileSync(path.join(DEFINITIONS, 'forms', 'road-pass-application.json'), 'utf8')) as FormDefinition;
  const source = dictionaries();
  const form = new FormCompiler({ dictionaries: source }).compile(definition, 1);
  // Bare ajv: defaults, plus what the schema's own keywords and formats need to compile.
  const ajv = new Ajv2020({ strict: false });
  addFormats.default(ajv);
  addCustomFormats(ajv);
  addFormKeywords(ajv, source);
  const bare = ajv.compile(normalize(definition.schema));
  if (!form.validate(APPLICATION, { mode: 'submit', locale: 'zh-CN' }).valid || !bare(APPLICATION)) throw new Error('the benchmark application must be valid');
  if (form.validate(MISTAKES, { mode: 'submit', locale: 'zh-CN' }).issues.length !== 4) throw new Error('the mistaken application must have four issues');

  const modes = {
    project: () => form.validate(APPLICATION, { mode: 'submit', locale: 'zh-CN' }),
    bareAjv: () => bare(APPLICATION),
    projectWithErrors: () => form.validate(MISTAKES, { mode: 'submit', locale: 'zh-CN' }),
    bareAjvWithErrors: () => bare(MISTAKES),
  };
  const perSecond = (run: () => unknown) => {
    const n = 20_000;
    const started = performance.now();
    for (let i = 0; i < n; i++) run();
    return (n / (performance.now() - started)) * 1000;
  };
  for (const run of Object.values(modes)) perSecond(run); // warm up
  const samples: Record<keyof typeof modes, number[]> = { project: [], bareAjv: [], projectWithErrors: [], bareAjvWithErrors: [] };
  for (let round = 0; round < rounds; round++) {
    for (const [name, run] of Object.entries(modes) as Array<[keyof typeof modes, () => unknown]>) samples[name].push(perSecond(run));
    log(`round ${round + 1}/${rounds} forms: project ${samples.project.at(-1)!.toFixed(0)}/s, bare ajv ${samples.bareAjv.at(-1)!.toFixed(0)}/s`);
  }
  const rate = Object.fromEntries(Object.entries(samples).map(([k, xs]) => [k, Math.round(median(xs))])) as FormsBench['validationsPerSecond'];
  return {
    fields: form.fields.length,
    validationsPerSecond: rate,
    ratio: round3(rate.project / rate.bareAjv),
    ratioWithErrors: round3(rate.projectWithErrors / rate.bareAjvWithErrors),
    target: 0.9,
  };
}
