import type { adminZh } from './admin.zh-CN.ts';

export const adminEn: Record<keyof typeof adminZh, string> = {
};
