import path from 'node:path';
import { AdminUnitReplicaSchema, eventTopic, participantReplicaHandlers, type ServiceDefinition } from '@xhht/infra';
import { createLoaders, type ReportingLoaders } from './context';
import { hierarchyHandlers } from './hierarchy/unit-statistics';
import { migrations } from './migrations';
import { PlanSchema, PlanTargetSchema } from './plans/plan.entity';
import { recognitionFactHandlers } from './read-models/recognition-fact';
import { resolvers } from './resolvers';

/** The reporting subgraph: plans, targets, progress read models and reports. */
export const reportingService: ServiceDefinition<ReportingLoaders> = {
  name: 'reporting',
  sdlDir: path.resolve(__dirname, '../src'),
  resolvers,
  entities: [AdminUnitReplicaSchema, PlanSchema, PlanTargetSchema],
  migrations,
  createLoaders,
  consumers: [
    // hierarchy and participants from one topic, in its order: a participant's unit is known before it arrives
    { groupId: 'xhht.reporting.hierarchy', topics: [eventTopic('org')], handlers: { ...hierarchyHandlers, ...participantReplicaHandlers } },
    { groupId: 'xhht.reporting.recognitions', topics: [eventTopic('recognition')], handlers: recognitionFactHandlers },
  ],
};
