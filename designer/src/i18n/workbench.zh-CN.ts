export const workbenchZh = {
} as const;
