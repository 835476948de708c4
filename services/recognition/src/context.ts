import type { EntityManager } from '@mikro-orm/postgresql';
import { ReplicaScope, type ServiceContext } from '@xhht/infra';
import { authorityLoaders } from './authority/authority.loaders';
import { criteriaLoaders } from './criteria/criteria-set.loaders';
import { cycleByIdLoader } from './cycles/cycle.repository';
import { assessmentLoaders } from './assessments/assessment.repository';
import { evidenceFileLoader } from './evidence/evidence.repository';
import { recognitionLoaders } from './recognitions/recognition.loaders';

export const createLoaders = (em: EntityManager, scope = new ReplicaScope(em)) => ({
  /** Scope questions answered from the hierarchy replica, cached for the request. */
  scope,
  ...authorityLoaders(em),
  cycleById: cycleByIdLoader(em),
  ...criteriaLoaders(em),
  ...assessmentLoaders(em),
  evidenceFile: evidenceFileLoader(em),
  ...recognitionLoaders(em, scope),
});
export type RecognitionLoaders = ReturnType<typeof createLoaders>;
export type RecognitionContext = ServiceContext<RecognitionLoaders>;
