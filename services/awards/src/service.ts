import path from 'node:path';
import {
  AdminUnitReplicaSchema,
  adminUnitReplicaHandlers,
  eventTopic,
  hierarchyConsumerGroup,
  participantReplicaHandlers,
  type ServiceDefinition,
} from '@xhht/infra';
import { createLoaders, type AwardsLoaders } from './context';
import { migrations } from './migrations';
import { recognitionReplicaHandlers } from './recognitions/recognition-replica';
import { resolvers } from './resolvers';
import { targetsReplicaHandlers } from './targets/targets-replica';
import { certificateRoutes } from './certificates/certificate-route';

/** The awards subgraph: award forms, rounds, nominations, councils, decisions and funds. Keeps its own replica of the hierarchy and the participants (nominees) from org's events, and of the recognitions from recognition's. */
export const awardsService: ServiceDefinition<AwardsLoaders> = {
  name: 'awards',
  sdlDir: path.resolve(__dirname, '../src'),
  resolvers,
  entities: [AdminUnitReplicaSchema],
  migrations,
  createLoaders,
  // certificate PDFs, through the gateway with the caller's token
  routes: () => certificateRoutes(),
  consumers: [
    {
      // hierarchy and participants from one topic, in its order: a participant's unit is known before it arrives
      groupId: hierarchyConsumerGroup('awards'),
      topics: [eventTopic('org')],
      handlers: { ...adminUnitReplicaHandlers, ...participantReplicaHandlers },
    },
    // recognitions, for eligibility: a title held, for how many years, at which level
    { groupId: 'xhht.awards.recognitions', topics: [eventTopic('recognition')], handlers: recognitionReplicaHandlers },
    // each unit's year judged against its targets, for eligibility: met its targets for the year
    { groupId: 'xhht.awards.progress', topics: [eventTopic('reporting')], handlers: targetsReplicaHandlers },
  ],
};
