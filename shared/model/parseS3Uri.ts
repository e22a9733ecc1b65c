import { InputError } from './errors';

export interface S3Location {
  bucket: string;
  key: string;
}

/** `s3://bucket/key` (s3a:// and s3n:// too, as Hadoop writers spell it) into bucket and key. */
export function parseS3Uri(uri: string): S3Location {
  const match = /^s3[an]?:\/\/([^/]+)\/?(.*)$/.exec(uri);
  if (!match) throw new InputError(`"${uri}" is not an s3:// URI`, { object: uri });
  return { bucket: match[1]!, key: match[2]! };
}

export function formatS3Uri(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
