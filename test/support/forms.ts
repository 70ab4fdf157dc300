/** Demo forms and dictionaries for tests, and sample files whose bytes say what they are. */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RoadPassApplication } from '../../forms/generated/index.ts';
import type { FormDefinition } from '../../forms/index.ts';
import type { DictionaryInput, Workflow } from '../../engine/core/workflow.ts';

const DEFINITIONS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../definitions');

export const demoForm = (key: string): FormDefinition => JSON.parse(fs.readFileSync(path.join(DEFINITIONS, 'forms', `${key}.json`), 'utf8')) as FormDefinition;
export const demoBpmn = (name: string): string => fs.readFileSync(path.join(DEFINITIONS, 'demo', `${name}.bpmn`), 'utf8');

/** Every demo dictionary, then the given forms. */
export async function deployDemoForms(wf: Workflow, ...keys: string[]): Promise<void> {
  for (const file of fs.readdirSync(path.join(DEFINITIONS, 'dictionaries'))) {
    const { key, ...input } = JSON.parse(fs.readFileSync(path.join(DEFINITIONS, 'dictionaries', file), 'utf8')) as DictionaryInput & { key: string };
    await wf.putDictionary(key, input, undefined, 'admin');
  }
  for (const key of keys) await wf.deployForm(demoForm(key), 'analyst');
}

export const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 7)]);
export const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(300, 3)]);
export const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n');
export const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(100, 1)]);

/** A complete, valid road-pass application of a private person, with the given material files. */
export function roadPassApplication(files: { idCard: string[]; licence: string[] }): RoadPassApplication {
  return {
    applicantType: 'personal',
    applicantName: '张三',
    idNumber: '11010519491231002X',
    mobile: '13812345678',
    plateColour: 'blue',
    plateNumber: '豫K·A8M21',
    vehicleType: 'small-car',
    vin: 'LSVAM4187C2184847',
    roads: ['wenfeng-rd'],
    validity: { start: '2026-12-10', end: '2027-01-10' },
    purpose: '运送建筑材料进入市区',
    region: '411002',
    office: 'xc-traffic-1',
    materials: { 'id-card': { files: files.idCard }, 'vehicle-licence': { files: files.licence } },
    returnMethod: 'self',
    declaration: true,
  };
}
