import { shortHash } from '../privacy/hmacMatch';
import { DeletionReport, reportStatusSentence } from './deletionReport';

export function renderReportMarkdown(report: DeletionReport): string {
  const cell = (value: unknown) => String(value ?? '').replace(/\|/g, '\\|');
  const table = (names: string[], rows: unknown[][]) =>
    [`| ${names.join(' | ')} |`, `|${names.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
  return [
    `# Deletion report ${report.job.id}`,
    '',
    reportStatusSentence(report),
    '',
    `Started by ${report.job.createdBy} at ${report.job.createdAt}, finished ${report.job.finishedAt}. ${report.matchIds.count} match IDs (HMAC-SHA256), ${report.matchIds.skipped.length} skipped for a mapper.`,
    '',
    '## Objects',
    '',
    table(
      ['Object', 'Mappers', 'Outcome', 'Rows deleted', 'Old versions deleted', 'Error'],
      report.objects.map((o) => [o.object, o.mapperIds.join(', '), o.outcome, o.rowsDeleted ?? '', o.versionsDeleted ?? '', o.error ?? '']),
    ),
    '',
    '## Skipped match IDs',
    '',
    report.matchIds.skipped.length === 0 ? 'None.' : table(['Match (HMAC)', 'Mapper', 'Reason'], report.matchIds.skipped.map((s) => [shortHash(s.matchHash), s.mapperId, s.reason])),
    '',
  ].join('\n');
}
