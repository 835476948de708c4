import type { MigrationObject } from '@mikro-orm/core';
import { adminUnitReplicaMigrations, participantReplicaMigrations } from '@xhht/infra';
import { Migration20261220000000AwardForms } from './Migration20261220000000AwardForms';
import { Migration20261220010000RecognitionReplica } from './Migration20261220010000RecognitionReplica';
import { Migration20261220020000AwardRounds } from './Migration20261220020000AwardRounds';
import { Migration20261221000000Initiatives } from './Migration20261221000000Initiatives';
import { Migration20261222000000StudyPromotionFunds } from './Migration20261222000000StudyPromotionFunds';
import { Migration20261223000000Nominations } from './Migration20261223000000Nominations';
import { Migration20261224000000Councils } from './Migration20261224000000Councils';
import { Migration20261225000000AwardDecisions } from './Migration20261225000000AwardDecisions';
import { Migration20261226000000TargetsResults } from './Migration20261226000000TargetsResults';
import { Migration20261227000000CouncilNominations } from './Migration20261227000000CouncilNominations';
import { Migration20261228000000WithdrawAndAgendaRemoval } from './Migration20261228000000WithdrawAndAgendaRemoval';
import { Migration20261229000000ReEscalation } from './Migration20261229000000ReEscalation';

export const migrations: MigrationObject[] = [
  ...adminUnitReplicaMigrations,
  ...participantReplicaMigrations,
  { name: 'Migration20261220000000AwardForms', class: Migration20261220000000AwardForms },
  { name: 'Migration20261220010000RecognitionReplica', class: Migration20261220010000RecognitionReplica },
  { name: 'Migration20261220020000AwardRounds', class: Migration20261220020000AwardRounds },
  { name: 'Migration20261221000000Initiatives', class: Migration20261221000000Initiatives },
  { name: 'Migration20261222000000StudyPromotionFunds', class: Migration20261222000000StudyPromotionFunds },
  { name: 'Migration20261223000000Nominations', class: Migration20261223000000Nominations },
  { name: 'Migration20261224000000Councils', class: Migration20261224000000Councils },
  { name: 'Migration20261225000000AwardDecisions', class: Migration20261225000000AwardDecisions },
  { name: 'Migration20261226000000TargetsResults', class: Migration20261226000000TargetsResults },
  { name: 'Migration20261227000000CouncilNominations', class: Migration20261227000000CouncilNominations },
  { name: 'Migration20261228000000WithdrawAndAgendaRemoval', class: Migration20261228000000WithdrawAndAgendaRemoval },
  { name: 'Migration20261229000000ReEscalation', class: Migration20261229000000ReEscalation },
];
