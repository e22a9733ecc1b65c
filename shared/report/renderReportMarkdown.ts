import { shortHash } from '../privacy/hmacMatch';
import { DeletionReport, describeApplied, describeCoverage, describeNotApplied, reportStatusSentence } from './deletionReport';

export function renderReportMarkdown(report: DeletionReport): string {
  const cell = (value: unknown) => String(value ?? '').replace(/\|/g, '\\|');
  const table = (names: string[], rows: unknown[][]) =>
    [`| ${names.join(' | ')} |`, `|${names.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
  return [
    `# Deletion report ${report.job.id}`,
    '',
    reportStatusSentence(report),
    '',
    `Started by ${report.job.createdBy} at ${report.job.createdAt}, finished ${report.job.finishedAt}. ${report.matchIds.count} match IDs (HMAC-SHA256), ${report.matchIds.skippedTotal} skipped for a mapper.`,
    ...(report.job.cleanupFailures ? ['', `Cleanup failed: ${report.job.cleanupFailures.join('; ')}`] : []),
    '',
    '## Data mappers',
    '',
    table(['Mapper', 'Location', 'Queries', 'Objects found', 'Coverage'], report.mappers.map((m) => [m.id, m.location, m.queries ?? '', m.objects ?? '', describeCoverage(m)])),
    '',
    '## Objects',
    '',
    table(
      ['Object', 'Mappers', 'Outcome', 'Rows deleted', 'Old versions deleted', 'Error'],
      report.objects.map((o) => [o.object, o.mapperIds.join(', '), o.outcome, o.rowsDeleted ?? '', o.versionsDeleted ?? '', o.error ?? '']),
    ),
    '',
    '## Matches: where each was applied',
    '',
    report.matches.length === 0 ? 'None accounted for (the find did not finish).' : table(['Match (HMAC)', 'Queue item', 'Applied to (mapper: columns)', 'Not applied (mapper: why)'], report.matches.map((m) => [shortHash(m.matchHash), m.item, describeApplied(m) || 'nowhere', describeNotApplied(m)])),
    ...(report.matchIds.count > report.matches.length && report.matches.length > 0 ? ['', `… and ${report.matchIds.count - report.matches.length} more in ${report.matchIds.accounts}.`] : []),
    '',
  ].join('\n');
}
