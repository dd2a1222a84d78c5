/** Mapping offsets in an expression string to offsets in the YAML file that holds it. */

/** Text offset → file offset: a per-character table, or the file offset of a verbatim slice. */
export type OffsetMap = readonly number[] | number;

/** Map a text offset through an offset map. */
export function mapOffset(map: OffsetMap | undefined, offset: number): number {
  if (map === undefined) return offset;
  if (typeof map === 'number') return map + offset;
  return map[offset] ?? offset;
}
