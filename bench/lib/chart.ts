/**
 * A horizontal bar chart as plain SVG text: no native chart dependency, readable in any browser and
 * on GitHub. One panel per series; bars coloured by group (ceiling, peer, Mailkeep).
 */

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly group: string;
}

export interface Panel {
  readonly title: string;
  readonly unit: string;
  readonly bars: readonly Bar[];
}

/** Colour per group; anything else is grey. */
const COLOURS: Record<string, string> = { ceiling: '#7f8c8d', peer: '#e67e22', mailkeep: '#2980b9' };
/** Layout in px: label column, bar area, row height, panel gaps. */
const LABEL_WIDTH = 430;
const BAR_WIDTH = 420;
const ROW = 22;
const TITLE = 34;
const GAP = 18;

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function barChart(panels: readonly Panel[], subtitle: string): string {
  const width = LABEL_WIDTH + BAR_WIDTH + 90;
  let y = 40;
  const parts: string[] = [
    `<text x="10" y="22" font-size="15" font-weight="bold">Mailkeep benchmarks</text>`,
    `<text x="${width - 10}" y="22" font-size="11" text-anchor="end" fill="#555">${escape(subtitle)}</text>`,
  ];
  for (const panel of panels) {
    parts.push(`<text x="10" y="${y + 18}" font-size="13" font-weight="bold">${escape(panel.title)}</text>`);
    y += TITLE;
    const max = Math.max(...panel.bars.map((b) => b.value), 1e-9);
    for (const bar of panel.bars) {
      const w = Math.max(1, (bar.value / max) * BAR_WIDTH);
      const colour = COLOURS[bar.group] ?? '#95a5a6';
      parts.push(
        `<text x="${LABEL_WIDTH - 6}" y="${y + 15}" font-size="11" text-anchor="end">${escape(bar.label)}</text>`,
        `<rect x="${LABEL_WIDTH}" y="${y + 3}" width="${w.toFixed(1)}" height="${ROW - 6}" fill="${colour}"/>`,
        `<text x="${LABEL_WIDTH + w + 4}" y="${y + 15}" font-size="11">${bar.value.toFixed(bar.value >= 100 ? 0 : 1)} ${escape(panel.unit)}</text>`,
      );
      y += ROW;
    }
    y += GAP;
  }
  const legend = Object.entries(COLOURS)
    .map(
      ([name, colour], i) =>
        `<rect x="${10 + i * 110}" y="${y}" width="12" height="12" fill="${colour}"/><text x="${26 + i * 110}" y="${y + 10}" font-size="11">${name}</text>`,
    )
    .join('');
  y += 24;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y}" font-family="sans-serif">\n` +
    `<rect width="100%" height="100%" fill="white"/>\n${parts.join('\n')}\n${legend}\n</svg>\n`
  );
}
