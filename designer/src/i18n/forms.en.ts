import type { formsZh } from './forms.zh-CN.ts';

export const formsEn: Record<keyof typeof formsZh, string> = {
};
