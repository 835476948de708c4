import path from 'node:path';
import { AdminUnitReplicaSchema, adminUnitReplicaHandlers, eventTopic, type ServiceDefinition } from '@xhht/infra';
import { createLoaders, type AwardsLoaders } from './context';
import { migrations } from './migrations';
import { resolvers } from './resolvers';

/** The awards subgraph: award forms, rounds, nominations, councils, decisions and funds. Keeps its own replica of the hierarchy from org's events. */
export const awardsService: ServiceDefinition<AwardsLoaders> = {
  name: 'awards',
  sdlDir: path.resolve(__dirname, '../src'),
  resolvers,
  entities: [AdminUnitReplicaSchema],
  migrations,
  createLoaders,
  consumers: [{ groupId: 'xhht.awards.hierarchy', topics: [eventTopic('org')], handlers: adminUnitReplicaHandlers }],
};
