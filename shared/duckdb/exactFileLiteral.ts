import { InputError } from '../model/errors';
import { quoteLiteral } from './sqlText';

/** The characters DuckDB's file readers treat as a glob (it does not expand `{a,b}`). */
const GLOB = /[[\]*?]/;

/**
 * A path as a string literal that DuckDB's readers (read_parquet, read_json, read_csv, sniff_csv,
 * parquet_metadata) open by its exact name. DuckDB globs any name holding `[`, `]`, `*` or `?` and
 * reads the literal name only when the glob matches nothing: `part[1].parquet` beside
 * `part1.parquet` would read part1 twice and never itself. Each such character becomes a one-character
 * class (`[[]`, `[]]`, `[*]`, `[?]`), which matches only that character. DuckDB's glob gives a
 * backslash a meaning of its own that no class can express, so such a name is refused, never misread.
 */
export function exactFileLiteral(file: string): string {
  if (!GLOB.test(file)) return quoteLiteral(file);
  if (file.includes('\\')) {
    throw new InputError(`${file}: a name holding a backslash and one of [ ] * ? cannot be read by its exact name; rename the object`, { object: file });
  }
  return quoteLiteral(file.replace(/[[\]*?]/g, (character) => `[${character}]`));
}
