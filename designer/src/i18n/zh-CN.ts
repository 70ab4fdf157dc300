/** The Chinese catalog: the source of every key. One file per area, so that areas are edited apart. */
import { adminZh } from './admin.zh-CN.ts';
import { designerZh } from './designer.zh-CN.ts';
import { commonZh } from './common.zh-CN.ts';
import { formsZh } from './forms.zh-CN.ts';
import { portalZh } from './portal.zh-CN.ts';
import { workbenchZh } from './workbench.zh-CN.ts';

export const zhCN = { ...commonZh, ...workbenchZh, ...adminZh, ...formsZh, ...portalZh, ...designerZh };
export type MessageKey = keyof typeof zhCN;
