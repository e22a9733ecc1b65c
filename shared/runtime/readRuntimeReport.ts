import { InputError, NotFoundError } from '../model/errors';
import { JobId } from '../model/identifiers';
import { DeletionReport } from '../report/deletionReport';
import { renderReportMarkdown } from '../report/renderReportMarkdown';
import { reportKey } from '../records/stateKeys';
import { Runtime } from './Runtime';

export const REPORT_FORMATS = ['json', 'html', 'md'] as const;
export type ReportTextFormat = (typeof REPORT_FORMATS)[number];

/** `lethe job report`: the report a job wrote when it ended, as stored (json, html) or as Markdown. */
export async function readRuntimeReport(runtime: Runtime, jobId: JobId, format: ReportTextFormat = 'json'): Promise<string> {
  if (!REPORT_FORMATS.includes(format)) throw new InputError(`report format ${JSON.stringify(format)}: expected ${REPORT_FORMATS.join(', ')}`);
  const stored = await runtime.ports.state.read(reportKey(jobId, format === 'html' ? 'html' : 'json'));
  if (!stored) throw new NotFoundError(`job ${jobId} has no report yet (it is written when the job ends)`, { jobId });
  const text = stored.body.toString('utf8');
  // The report is lethe's own record, written by writeReport from a DeletionReport.
  return format === 'md' ? renderReportMarkdown(JSON.parse(text) as DeletionReport) : text;
}
