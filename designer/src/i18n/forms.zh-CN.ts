export const formsZh = {
} as const;
