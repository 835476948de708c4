import path from 'node:path';
import {
  AdminUnitReplicaSchema,
  adminUnitReplicaHandlers,
  eventTopic,
  hierarchyConsumerGroup,
  participantReplicaHandlers,
  type ServiceDefinition,
} from '@xhht/infra';
import { RecognitionAuthorityRuleSchema } from './authority/authority-rule.entity';
import { RecognitionCycleSchema } from './cycles/recognition-cycle.entity';
import { createLoaders, type RecognitionLoaders } from './context';
import { AssessmentEvidenceSchema, EvidenceFileSchema } from './evidence/evidence.entity';
import { evidenceRoutes } from './evidence/evidence-routes';
import { migrations } from './migrations';
import { resolvers } from './resolvers';
import { CriteriaSetSchema } from './criteria/criteria-set.entity';

/** The recognition subgraph: criteria sets, assessments, recognitions and authority rules. Keeps its own replica of the hierarchy from org's events. */
export const recognitionService: ServiceDefinition<RecognitionLoaders> = {
  name: 'recognition',
  sdlDir: path.resolve(__dirname, '../src'),
  resolvers,
  entities: [
    AdminUnitReplicaSchema,
    CriteriaSetSchema,
    EvidenceFileSchema,
    AssessmentEvidenceSchema,
    RecognitionAuthorityRuleSchema,
    RecognitionCycleSchema,
  ],
  migrations,
  createLoaders,
  routes: (services) => [...evidenceRoutes(services)],
  consumers: [
    {
      // hierarchy and participants from one topic, in its order: a participant's unit is known before it arrives
      groupId: hierarchyConsumerGroup('recognition'),
      topics: [eventTopic('org')],
      handlers: { ...adminUnitReplicaHandlers, ...participantReplicaHandlers },
    },
  ],
};
