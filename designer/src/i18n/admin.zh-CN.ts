export const adminZh = {
} as const;
