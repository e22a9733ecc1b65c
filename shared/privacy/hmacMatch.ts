import { Match, MatchHash } from '../model/match';
import { createHmacSha256 } from './hmacSha256';

/**
 * HMAC-SHA256 of matches under the deployment's key, for hashing many with one key. The canonical
 * form sorts composite columns, so {a, b} and {b, a} hash alike, and tags the kind so "x" and
 * {"v": "x"} differ.
 */
export function matchHasher(key: Buffer): (match: Match) => MatchHash {
  const hmac = createHmacSha256(key);
  return (match) => hmac(match.kind === 'simple' ? `s:${match.value}` : `c:${JSON.stringify(Object.entries(match.columns).sort(([a], [b]) => (a < b ? -1 : 1)))}`) as MatchHash;
}

/** HMAC-SHA256 of one match under the deployment's key (matchHasher for many). */
export function hmacMatch(key: Buffer, match: Match): MatchHash {
  return matchHasher(key)(match);
}

/** A short form for people (reports, console): the first 16 hex digits. */
export function shortHash(hash: MatchHash): string {
  return hash.slice(0, 16);
}
