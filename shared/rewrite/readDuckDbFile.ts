import { errorMessage, LetheError, UnreadableObjectError } from '../model/errors';
import { RewriteContext } from './rewriteObject';

/**
 * Runs a step that reads the source object and turns DuckDB's failure into one UnreadableObjectError
 * naming the object. DuckDB appends the SQL it was running ("LINE 1: ..."); that text only holds
 * paths and identifiers, but it buries the reason, so it is cut.
 */
export async function readDuckDbFile<T>(context: RewriteContext, step: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof LetheError) throw error;
    throw new UnreadableObjectError(
      `mapper "${context.mapperId}": cannot ${step} ${context.object}: ${firstParagraph(errorMessage(error))}`,
      { mapperId: context.mapperId, object: context.object },
    );
  }
}

function firstParagraph(message: string): string {
  return message.split(/\n\s*\n|\nLINE \d+:/)[0]?.trim() ?? message;
}
