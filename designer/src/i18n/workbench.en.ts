import type { workbenchZh } from './workbench.zh-CN.ts';

export const workbenchEn: Record<keyof typeof workbenchZh, string> = {
};
