import { shortHash } from '../privacy/hmacMatch';
import { DeletionReport, describeApplied, describeCoverage, describeNotApplied, reportStatusSentence } from './deletionReport';

const MAX_MATCHES_SHOWN = 1000;

/** A self-contained page an auditor can open anywhere: no scripts, no external assets. */
export function renderReportHtml(report: DeletionReport): string {
  const t = report.totals;
  const rows = (cells: Array<Array<string | number>>) => cells.map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(String(c))}</td>`).join('')}</tr>`).join('\n');
  const head = (names: string[]) => `<thead><tr>${names.map((n) => `<th scope="col">${escapeHtml(n)}</th>`).join('')}</tr></thead>`;
  const matches = report.matches.slice(0, MAX_MATCHES_SHOWN);
  // A table cell is at least as wide as its longest word, and an object path is one long word:
  // overflow-wrap:anywhere lets paths and error text wrap so the page fits the window; the width hints
  // keep the columns that may wrap anywhere from being squeezed to a few letters.
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lethe deletion report ${escapeHtml(report.job.id)}</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}code,td.mono{font-family:ui-monospace,monospace;font-size:13px}.status{font-weight:700}
.ok{color:#116329}.bad{color:#a40e26}body{overflow-wrap:break-word}
.summary td,.mappers td:nth-child(2),.objects td:first-child,.objects td:last-child{overflow-wrap:anywhere}.objects td:first-child{width:30%}.objects td:last-child{width:18%}</style></head><body>
<h1>Deletion report</h1>
<p class="status ${report.job.status === 'COMPLETED' ? 'ok' : 'bad'}">${escapeHtml(reportStatusSentence(report))}</p>
<table class="summary">${rows([
    ['Job', report.job.id],
    ['Status', report.job.status],
    ['Started by', report.job.createdBy],
    ['Started', report.job.createdAt],
    ['Finished', report.job.finishedAt],
    ...(report.job.failure ? [['Failure', report.job.failure]] : []),
    ...(report.job.cleanupFailures ? [['Cleanup failed', report.job.cleanupFailures.join('; ')]] : []),
    ['Match IDs', `${report.matchIds.count} (as ${report.matchIds.hashAlgorithm} hashes; ${report.matchIds.skippedTotal} skipped for a mapper)`],
    ['Find', `${report.find.queries} queries, ${report.find.bytesScanned} bytes scanned`],
    ['Objects', `${t.objectsFound} found, ${t.objectsUpdated} rewritten, ${t.objectsUnchanged} unchanged, ${t.objectsMissing} missing, ${t.objectsFailed} failed`],
    ['Rows deleted', t.rowsDeleted],
    ['Old versions deleted', t.versionsDeleted],
    ['Verification', report.verification.ran ? (report.verification.objectsWithMatches.length === 0 ? 'no match left' : `matches left in ${report.verification.objectsWithMatches.length} objects`) : 'not run'],
  ])}</table>
<h2>Data mappers</h2>
<table class="mappers">${head(['Mapper', 'Location', 'Format', 'Columns', 'Matches', 'Queries', 'Objects', 'Coverage'])}${rows(report.mappers.map((m) => [m.id, m.location, m.format, m.columns.join(', '), m.matches ?? '', m.queries ?? '', m.objects ?? '', describeCoverage(m)]))}</table>
<h2>Objects</h2>
<table class="objects">${head(['Object', 'Mappers', 'Outcome', 'Rows before', 'Rows deleted', 'Source version', 'New version', 'Old versions deleted', 'Physical changes / error'])}
${rows(report.objects.map((o) => [o.object, o.mapperIds.join(', '), o.outcome, o.rowsBefore ?? '', o.rowsDeleted ?? '', o.source?.versionId ?? o.source?.etag ?? '', o.output?.versionId ?? o.output?.etag ?? '', o.versionsDeleted ?? '', o.error ?? (o.physicalChanges ?? []).join('; ')]))}</table>
${report.verification.objectsWithMatches.length > 0 ? `<h2>Matches left after the rewrite</h2><ul>${report.verification.objectsWithMatches.map((o) => `<li><code>${escapeHtml(o)}</code></li>`).join('')}</ul>` : ''}
<h2>Matches (HMAC-SHA256, first 16 hex digits): where each was applied</h2>
${matches.length === 0 ? '<p>None accounted for (the find did not finish).</p>' : `<table>${head(['Match (HMAC)', 'Queue item', 'Applied to (mapper: columns)', 'Not applied (mapper: why)'])}
${rows(matches.map((m) => [shortHash(m.matchHash), m.item, describeApplied(m) || 'nowhere', describeNotApplied(m)]))}</table>`}
${report.matchIds.count > matches.length && matches.length > 0 ? `<p>… and ${report.matchIds.count - matches.length} more in ${escapeHtml(report.matchIds.accounts)}.</p>` : ''}
</body></html>
`;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
