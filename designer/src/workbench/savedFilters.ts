/**
 * Saved filters, per user and per list, kept in this browser (localStorage):
 * a name and the filter values.
 */
export interface SavedFilter<F> {
  name: string;
  filter: F;
}

const keyOf = (userId: string, list: string) => `wf.filters.${userId}.${list}`;

export function loadFilters<F>(userId: string, list: string): Array<SavedFilter<F>> {
  try {
    const saved = JSON.parse(localStorage.getItem(keyOf(userId, list)) ?? '[]') as unknown;
    return Array.isArray(saved) ? (saved as Array<SavedFilter<F>>) : [];
  } catch {
    return [];
  }
}

export function storeFilters<F>(userId: string, list: string, filters: Array<SavedFilter<F>>): void {
  localStorage.setItem(keyOf(userId, list), JSON.stringify(filters));
}
