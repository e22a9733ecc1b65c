import { CaseResult } from './cases/caseResult';

const LABEL_WIDTH = 430;
const BAR_WIDTH = 360;
const ROW_HEIGHT = 58;
const TOP = 44;

/**
 * An SVG bar chart of lethe against its baseline, one block per case. Cases have different units and
 * scales, so each block is drawn to its own scale (the longer bar spans the width) and labelled with
 * both medians and their ratio; a case without a baseline is left out.
 */
export function renderChart(results: readonly CaseResult[], caption: string): string {
  const compared = results.filter((r) => r.baseline !== undefined);
  const height = TOP + compared.length * ROW_HEIGHT + 16;
  const width = LABEL_WIDTH + BAR_WIDTH + 150;
  const blocks = compared.map((result, i) => renderBlock(result, TOP + i * ROW_HEIGHT));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="${width}" height="${height}" fill="#fff"/>`,
    `<text x="8" y="20" font-size="14" font-weight="bold">${escapeXml(caption)}</text>`,
    `<rect x="${LABEL_WIDTH}" y="28" width="10" height="10" fill="#c0392b"/><text x="${LABEL_WIDTH + 14}" y="37">lethe</text>`,
    `<rect x="${LABEL_WIDTH + 70}" y="28" width="10" height="10" fill="#7f8c8d"/><text x="${LABEL_WIDTH + 84}" y="37">baseline</text>`,
    ...blocks,
    '</svg>',
    '',
  ].join('\n');
}

function renderBlock(result: CaseResult, y: number): string {
  const baseline = result.baseline!.median;
  const lethe = result.lethe.median;
  const scale = BAR_WIDTH / Math.max(lethe, baseline, Number.MIN_VALUE);
  const bar = (value: number, row: number, fill: string, label: string) =>
    `<rect x="${LABEL_WIDTH}" y="${y + row * 20}" width="${Math.max(1, value * scale).toFixed(1)}" height="16" fill="${fill}"/>` +
    `<text x="${LABEL_WIDTH + Math.max(1, value * scale) + 4}" y="${y + row * 20 + 12}">${escapeXml(label)}</text>`;
  const verdict = result.met === undefined ? '' : result.met ? ' (goal met)' : ' (goal missed)';
  return [
    `<text x="8" y="${y + 12}">${escapeXml(shorten(result.title, 66))}</text>`,
    `<text x="8" y="${y + 32}" fill="#555">ratio ${result.ratio?.toFixed(2) ?? '-'}, goal ${escapeXml(result.goal)}${verdict}</text>`,
    bar(lethe, 0, '#c0392b', `${figure(lethe)} ${result.unit}`),
    bar(baseline, 1, '#7f8c8d', `${figure(baseline)} ${result.unit}`),
  ].join('\n');
}

function figure(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

function shorten(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
