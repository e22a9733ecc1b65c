import { createHmac } from 'node:crypto';
import { Match, MatchHash } from '../model/match';

/**
 * HMAC-SHA256 of a match under the deployment's key. The canonical form sorts composite columns, so
 * {a, b} and {b, a} hash alike, and tags the kind so "x" and {"v": "x"} differ.
 */
export function hmacMatch(key: Buffer, match: Match): MatchHash {
  const canonical = match.kind === 'simple' ? `s:${match.value}` : `c:${JSON.stringify(Object.entries(match.columns).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
  return createHmac('sha256', key).update(canonical).digest('hex') as MatchHash;
}

/** A short form for people (reports, console): the first 16 hex digits. */
export function shortHash(hash: MatchHash): string {
  return hash.slice(0, 16);
}
