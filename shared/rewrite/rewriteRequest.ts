import { ByteRange } from '../ports/ObjectStore';
import { DataFormat } from '../model/dataMapper';
import { MatchColumnSet } from '../ports/QueryExecutor';
import { ObjectUri } from '../model/identifiers';
import { PartialSourceFile } from './partialSourceFile';

/**
 * The contract between rewriteObject and the format rewriters it dispatches to; it lives apart from
 * both so a rewriter imports the shapes without importing the dispatcher that imports it.
 */
export interface RewriteContext {
  mapperId: string;
  /** The object's URI, named in every error. */
  object: ObjectUri;
}

export interface RewriteRequest {
  format: DataFormat;
  /** Local temp copy of the exact source version; never modified (but for the ranges `partialInput` fills in). */
  inputFile: string;
  /**
   * Set when inputFile holds only the ranges read so far (a ranged download): the rewrite asks it for
   * every range it reads. A Parquet rewrite reads the footer, the match columns and the row groups it
   * changes; other formats read everything first.
   */
  partialInput?: PartialSourceFile;
  /** Where the rewritten object goes; not written when no row matched. */
  outputFile: string;
  /** Sets whose typed values the caller loaded with loadMatchTables, in the same order. */
  matchSets: MatchColumnSet[];
  /** Scratch space; everything the rewrite puts there is removed before it returns. */
  tempDirectory: string;
  context: RewriteContext;
  /**
   * False when the caller knows its output without a digest (the store tells the version a replace
   * will write): a splice's check then reads only the kept chunks back and hashes nothing.
   */
  hashOutput?: boolean;
}

export interface RewriteResult {
  rowsBefore: number;
  rowsAfter: number;
  rowsDeleted: number;
  /** 0 when rowsDeleted === 0 (no output written). */
  outputBytes: number;
  /** What the output does not keep physically, one sentence each (e.g. "INT96 column ts written as INT64 TIMESTAMP(MICROS)"). */
  physicalChanges: string[];
  /** Ranges of the output that hold the source's bytes at the same offsets (a row-group splice's kept groups), checked byte for byte. */
  unchangedRanges?: ByteRange[];
  /** The output's SHA-256 (hex), when the rewrite read the whole output back anyway (a splice's check): the caller need not hash it again. */
  outputSha256?: string;
}

/** What one format's rewrite gets: the request plus a private scratch folder. */
export interface FormatRewriteRequest extends RewriteRequest {
  scratchDirectory: string;
}
