/**
 * Line numbers of element ids in the XML text: moddle keeps none, but people
 * fixing a file need them. The first `id="…"` occurrence wins.
 */
export function lineIndex(xml: string): (id: string) => number | undefined {
  const lines = new Map<string, number>();
  const idAttribute = /\sid\s*=\s*(["'])(.*?)\1/g;
  let line = 1;
  let scanned = 0;
  for (let match = idAttribute.exec(xml); match; match = idAttribute.exec(xml)) {
    for (let i = scanned; i < match.index; i++) if (xml.charCodeAt(i) === 10) line++;
    scanned = match.index;
    const id = match[2]!;
    if (!lines.has(id)) lines.set(id, line);
  }
  return (id) => lines.get(id);
}
