import { scrubEngineMessage } from '../privacy/scrubEngineMessage';
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
    throw new UnreadableObjectError(`mapper "${context.mapperId}": cannot ${step} ${context.object}: ${scrubEngineMessage(errorMessage(error))}`, {
      mapperId: context.mapperId,
      object: context.object,
    });
  }
}
