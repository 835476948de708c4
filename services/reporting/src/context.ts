import type { EntityManager } from '@mikro-orm/postgresql';
import { ReplicaScope, type ServiceContext } from '@xhht/infra';
import { childUnitCountLoader } from './hierarchy/unit-statistics';
import { planByIdLoader, targetsByPlanLoader } from './plans/plan.repository';
import { progressLoader } from './progress/progress.resolvers';
import {
  reporterCountLoader,
  reporterLoader,
  reporterStatesLoader,
  requestByIdLoader,
  submissionByIdLoader,
  submissionsByUnitYearLoader,
  transitionsBySubmissionLoader,
} from './reports/report.repository';

export const createLoaders = (em: EntityManager) => ({
  childUnitCount: childUnitCountLoader(em),
  /** Scope questions answered from the hierarchy replica, cached for the request. */
  scope: new ReplicaScope(em),
  planById: planByIdLoader(em),
  targetsByPlan: targetsByPlanLoader(em),
  progress: progressLoader(em),
  reportRequestById: requestByIdLoader(em),
  reportSubmissionById: submissionByIdLoader(em),
  reporter: reporterLoader(em),
  reporterCount: reporterCountLoader(em),
  reporterStates: reporterStatesLoader(em),
  submissionsByUnitYear: submissionsByUnitYearLoader(em),
  transitionsBySubmission: transitionsBySubmissionLoader(em),
});
export type ReportingLoaders = ReturnType<typeof createLoaders>;
export type ReportingContext = ServiceContext<ReportingLoaders>;
