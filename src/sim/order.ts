/** The one order of text in reports: by UTF-16 code units, the same on every machine and locale (byte-stable output). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
