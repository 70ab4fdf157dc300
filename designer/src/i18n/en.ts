/** The English catalog: every key of the Chinese one (the compiler checks each area). */
import { adminEn } from './admin.en.ts';
import { designerEn } from './designer.en.ts';
import { commonEn } from './common.en.ts';
import { formsEn } from './forms.en.ts';
import { portalEn } from './portal.en.ts';
import { workbenchEn } from './workbench.en.ts';
import type { MessageKey } from './zh-CN.ts';

export const en: Record<MessageKey, string> = { ...commonEn, ...workbenchEn, ...adminEn, ...formsEn, ...portalEn, ...designerEn };
