import { createHmac } from 'node:crypto';
import { Match, MatchHash } from '../model/match';

/**
 * HMAC-SHA256 of matches under the deployment's key. The canonical form sorts composite columns, so
 * {a, b} and {b, a} hash alike, and tags the kind so "x" and {"v": "x"} differ.
 */
export function matchHasher(key: Buffer): (match: Match) => MatchHash {
  return (match) => createHmac('sha256', key).update(canonicalMatch(match)).digest('hex') as MatchHash;
}

/** HMAC-SHA256 of one match under the deployment's key. */
export function hmacMatch(key: Buffer, match: Match): MatchHash {
  return matchHasher(key)(match);
}

function canonicalMatch(match: Match): string {
  return match.kind === 'simple' ? `s:${match.value}` : `c:${JSON.stringify(Object.entries(match.columns).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
}

/** A short form for people (reports, console): the first 16 hex digits. */
export function shortHash(hash: MatchHash): string {
  return hash.slice(0, 16);
}
