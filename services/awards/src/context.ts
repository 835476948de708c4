import type { EntityManager } from '@mikro-orm/postgresql';
import { ReplicaScope, type ServiceContext } from '@xhht/infra';
import {
  authorsByInitiativeLoader,
  initiativeByIdLoader,
  initiativesByParticipantLoader,
  initiativesByUnitLoader,
  transitionsByInitiativeLoader,
} from './initiatives/initiative.repository';

export const createLoaders = (em: EntityManager) => ({
  /** Scope questions answered from the hierarchy replica, cached for the request. */
  scope: new ReplicaScope(em),
  initiativeById: initiativeByIdLoader(em),
  initiativeAuthors: authorsByInitiativeLoader(em),
  initiativeTransitions: transitionsByInitiativeLoader(em),
  initiativesByUnit: initiativesByUnitLoader(em),
  initiativesByParticipant: initiativesByParticipantLoader(em),
});
export type AwardsLoaders = ReturnType<typeof createLoaders>;
export type AwardsContext = ServiceContext<AwardsLoaders>;
