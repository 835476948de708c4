import type { EntityManager } from '@mikro-orm/postgresql';
import { ReplicaScope, type ServiceContext } from '@xhht/infra';
import {
  authorsByInitiativeLoader,
  initiativeByIdLoader,
  initiativesByParticipantLoader,
  initiativesByUnitLoader,
  transitionsByInitiativeLoader,
} from './initiatives/initiative.repository';
import { formAtLoader, formVersionsLoader } from './forms/award-form.repository';
import { recognitionsOfSubjectsLoader } from './recognitions/recognition-replica';
import { roundByIdLoader, roundsOfUnitLoader } from './rounds/award-round.repository';
import {
  fundByIdLoader,
  fundByUnitLoader,
  movementByIdLoader,
  movementPageLoader,
  programmeByCodeLoader,
  yearTotalsLoader,
} from './funds/fund.repository';
import {
  attendanceBySessionLoader,
  conflictsByItemLoader,
  councilByIdLoader,
  councilByUnitLoader,
  itemByIdLoader,
  itemsBySessionLoader,
  memberByIdLoader,
  membersByCouncilLoader,
  openVotesByItemLoader,
  sessionByIdLoader,
  sessionsByCouncilLoader,
} from './councils/council.repository';
import {
  nominationByIdLoader,
  nominationsByPartyLoader,
  nominationsByRoundLoader,
  nominationTransitionsLoader,
} from './nominations/nomination.repository';
import { disciplinesOfSubjectsLoader } from './nominations/discipline.domain';
import {
  awardByIdLoader,
  awardByNominationLoader,
  awardsByDecisionLoader,
  awardsByNomineeLoader,
  decisionByIdLoader,
  decisionsByRoundLoader,
  unitAwardsLoader,
} from './decisions/award-decision.repository';

export const createLoaders = (em: EntityManager, scope = new ReplicaScope(em)) => ({
  /** Scope questions answered from the hierarchy replica, cached for the request. */
  scope,
  initiativeById: initiativeByIdLoader(em),
  initiativeAuthors: authorsByInitiativeLoader(em),
  initiativeTransitions: transitionsByInitiativeLoader(em),
  initiativesByUnit: initiativesByUnitLoader(em),
  initiativesByParticipant: initiativesByParticipantLoader(em),
  formAt: formAtLoader(em),
  formVersions: formVersionsLoader(em),
  recognitionsOfSubjects: recognitionsOfSubjectsLoader(em),
  roundById: roundByIdLoader(em),
  roundsOfUnit: roundsOfUnitLoader(em),
  fundById: fundByIdLoader(em),
  fundByUnit: fundByUnitLoader(em),
  movementById: movementByIdLoader(em),
  movementPage: movementPageLoader(em),
  fundYearTotals: yearTotalsLoader(em),
  programmeByCode: programmeByCodeLoader(em),
  councilById: councilByIdLoader(em),
  councilByUnit: councilByUnitLoader(em),
  councilMemberById: memberByIdLoader(em),
  councilMembers: membersByCouncilLoader(em),
  councilSessionById: sessionByIdLoader(em),
  councilSessions: sessionsByCouncilLoader(em),
  sessionAttendance: attendanceBySessionLoader(em),
  sessionAgenda: itemsBySessionLoader(em),
  agendaItemById: itemByIdLoader(em),
  itemConflicts: conflictsByItemLoader(em),
  itemOpenVotes: openVotesByItemLoader(em),
  nominationById: nominationByIdLoader(em),
  nominationsByRound: nominationsByRoundLoader(em),
  nominationsByParty: nominationsByPartyLoader(em),
  nominationTransitions: nominationTransitionsLoader(em),
  disciplinesOfSubjects: disciplinesOfSubjectsLoader(em),
  decisionById: decisionByIdLoader(em),
  decisionsByRound: decisionsByRoundLoader(em),
  awardById: awardByIdLoader(em),
  awardsByDecision: awardsByDecisionLoader(em),
  awardByNomination: awardByNominationLoader(em),
  awardsByNominee: awardsByNomineeLoader(em),
  unitAwards: unitAwardsLoader(em, scope),
});
export type AwardsLoaders = ReturnType<typeof createLoaders>;
export type AwardsContext = ServiceContext<AwardsLoaders>;
