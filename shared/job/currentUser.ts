import { userInfo } from 'node:os';

/** Who is running lethe, for the job record and approval events. */
export function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
