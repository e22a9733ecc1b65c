import { Job } from '../model/job';
import { Ports } from '../ports/Ports';
import { appendEvent } from '../records/jobEvents';
import { Verification, writeVerification } from '../records/verification';
import { readMapperTable } from '../find/prepareMapperFind';
import { MapperSearch } from '../find/runFindQueries';
import { readMatchSets } from '../records/matchSets';
import { runFinds } from './findPhase';

/**
 * Runs the find again over the lake as it is now, with the typed match columns the find stored:
 * the objects lethe just wrote may no longer show a column's type (an emptied JSON Lines object, a
 * column left all null), so the catalog is asked for locations, not columns. Any object still
 * holding a match is listed; the job fails verification unless that object's rewrite is already
 * counted as failed.
 */
export async function runVerifyPhase(ports: Ports, job: Job): Promise<Verification> {
  await appendEvent(ports.state, job.id, 'VerifyStarted', {});
  const searches: MapperSearch[] = [];
  for (const mapper of job.mappers) {
    searches.push({ ...(await readMapperTable(ports, mapper)), matchSets: await readMatchSets(ports.state, job.id, mapper.id) });
  }
  const outcome = await runFinds(ports, job, searches);
  // Two mappers over one object both find it: it is one object still holding a match.
  const verification: Verification = { ran: true, objectsWithMatches: [...new Set(outcome.objects.map((o) => o.object))] };
  await writeVerification(ports.state, job.id, verification);
  await appendEvent(ports.state, job.id, 'VerifyFinished', { objectsWithMatches: verification.objectsWithMatches.length });
  return verification;
}
