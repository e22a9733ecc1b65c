import { errorMessage, LetheError, UnreadableObjectError } from '../model/errors';
import { RewriteContext } from './rewriteRequest';

/**
 * Runs a step that reads the source object and turns DuckDB's failure into one UnreadableObjectError
 * naming the object.
 */
export async function readDuckDbFile<T>(context: RewriteContext, step: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof LetheError) throw error;
    throw new UnreadableObjectError(`mapper "${context.mapperId}": cannot ${step} ${context.object}: ${describeDuckDbFailure(errorMessage(error))}`, {
      mapperId: context.mapperId,
      object: context.object,
    });
  }
}

/**
 * DuckDB's reason, fit for a result record and a log line:
 * - only its first line: the rest is the SQL ("LINE 1: ...") or, for CSV, the offending line itself;
 * - local paths (temp copies) become "<file>": the message already names the object;
 * - a conversion error quotes the value it could not convert, which may be the very person being
 *   erased (a column that holds emails in one file and numbers in another), so its quoted text goes.
 */
export function describeDuckDbFailure(message: string): string {
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  const withoutPaths = firstLine.replace(/(["'])\/[^"']*\1/g, '<file>');
  if (!/Conversion Error|Could not convert|Original Line/i.test(message)) return withoutPaths;
  return withoutPaths.replace(/(["'])(?:(?!\1).)*\1/g, (quoted) => (/^["'][A-Z0-9_(), ]*["']$/.test(quoted) ? quoted : '<value>'));
}
