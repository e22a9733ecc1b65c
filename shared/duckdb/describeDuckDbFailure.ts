/**
 * DuckDB's reason for a failure, fit for a job record, an event, a report and a log line. Every
 * DuckDB error lethe stores or shows passes through here, in the find and the rewrite alike:
 * - only its first line: the rest is the SQL ("LINE 1: ..."), hints, or for CSV the offending line
 *   itself ("Original Line: ..."), which is a person's row;
 * - quoted local paths (temp copies, lake files) become <file>: the caller names the object;
 * - any other quoted text becomes <value>: conversion and JSON errors quote the value they could not
 *   read, which may be the very person being erased. Only upper-case type names ('BIGINT') stay.
 */
export function describeDuckDbFailure(message: string): string {
  const firstLine = message.split('\n')[0]?.trim() ?? '';
  return firstLine.replace(/(["'])(?:(?!\1).)*\1/g, (quoted) => {
    if (/^["']\//.test(quoted)) return '<file>';
    return /^["'][A-Z0-9_(), ]*["']$/.test(quoted) ? quoted : '<value>';
  });
}
