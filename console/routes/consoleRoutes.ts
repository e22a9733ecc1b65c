import { Route } from '../consoleRoute';
import { jobDetailRoute, jobStatusRoute, reportRoute } from './jobDetailRoutes';
import { approveJobRoute, cancelJobRoute, jobsPageRoute, rejectJobRoute, startJobRoute } from './jobsRoutes';
import { mappersRoute } from './mappersRoute';
import { overviewRoute } from './overviewRoute';
import { enqueueCompositeRoute, enqueueSimpleRoute, queuePageRoute, removeQueueItemsRoute } from './queueRoutes';

/** Every page and action of the console. POSTs change state; each is CSRF-checked by the server. */
export const consoleRoutes: readonly Route[] = [
  overviewRoute,
  queuePageRoute,
  enqueueSimpleRoute,
  enqueueCompositeRoute,
  removeQueueItemsRoute,
  mappersRoute,
  jobsPageRoute,
  startJobRoute,
  jobDetailRoute,
  jobStatusRoute,
  reportRoute,
  approveJobRoute,
  rejectJobRoute,
  cancelJobRoute,
];
