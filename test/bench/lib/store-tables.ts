// Reading the renderer store's item tables whatever their representation: a plain record
// (key → row) or a Map-like table with get/values/size (renderer/store/table.ts). The store's
// owner may change one for the other; the bench only needs to read rows.
type MapLike<T> = { get(key: string): T | undefined; values(): Iterable<T>; size: number };

function isMapLike<T>(table: unknown): table is MapLike<T> {
  return typeof (table as { get?: unknown } | null)?.get === 'function';
}

export function tableGet<T>(table: unknown, key: string): T | undefined {
  return isMapLike<T>(table) ? table.get(key) : (table as Record<string, T>)[key];
}

export function tableValues<T>(table: unknown): Iterable<T> {
  return isMapLike<T>(table) ? table.values() : Object.values(table as Record<string, T>);
}

export function tableSize(table: unknown): number {
  return isMapLike(table) ? table.size : Object.keys(table as object).length;
}
