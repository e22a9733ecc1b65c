/**
 * A query engine's reason for a failure (DuckDB's error, Athena's StateChangeReason), fit for a job
 * record, an event, a report and a log line. Every engine error lethe stores or shows passes through
 * here, in the find, the catalog and the rewrite alike:
 * - only its first line: the rest is the SQL ("LINE 1: ..."), hints, or for CSV the offending line
 *   itself ("Original Line: ..."), which is a person's row;
 * - quoted local paths (temp copies, lake files) become <file>: the caller names the object;
 * - any other quoted text becomes <value>: conversion and JSON errors quote the value they could not
 *   read (Athena's HIVE_BAD_DATA likewise), which may be the very person being erased. Only
 *   upper-case type names ('BIGINT') stay.
 */
export function scrubEngineMessage(message: string): string {
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  return firstLine.replace(/(["'])(?:(?!\1).)*\1/g, (quoted) => {
    if (/^["']\//.test(quoted)) return '<file>';
    return /^["'][A-Z0-9_(), ]*["']$/.test(quoted) ? quoted : '<value>';
  });
}
