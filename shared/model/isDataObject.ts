/**
 * The folders and name of an object below a table's location (`year=2024/part-0.parquet` ->
 * ['year=2024', 'part-0.parquet']), or undefined when it does not lie below it. Locations are local
 * folders or s3:// prefixes; both separate with `/`.
 */
export function segmentsUnder(location: string, uri: string): string[] | undefined {
  const prefix = location.endsWith('/') ? location : `${location}/`;
  if (!uri.startsWith(prefix) || uri.length === prefix.length) return undefined;
  return uri.slice(prefix.length).split('/');
}

/**
 * Whether an object under a table's location holds the table's data. By the Hadoop, Spark and Hive
 * convention (which Athena follows), a name or folder starting with `_` or `.` is not data:
 * `_SUCCESS`, `.part-0.crc`, `_temporary/`, and lethe's own `.lethe-*` staging files.
 */
export function isDataObject(location: string, uri: string): boolean {
  const segments = segmentsUnder(location, uri);
  return segments !== undefined && segments.every((segment) => !segment.startsWith('_') && !segment.startsWith('.'));
}
