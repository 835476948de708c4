import path from 'node:path';
import { AdminUnitReplicaSchema, eventTopic, hierarchyConsumerGroup, type ServiceDefinition } from '@xhht/infra';
import { createLoaders, type ReportingLoaders } from './context';
import { exportRoutes } from './exports/export-routes';
import { migrations } from './migrations';
import { PlanSchema, PlanTargetSchema } from './plans/plan.entity';
import { countedHierarchyHandlers, countedRecognitionHandlers } from './progress/progress-handlers';
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
    { groupId: hierarchyConsumerGroup('reporting'), topics: [eventTopic('org')], handlers: countedHierarchyHandlers },
    { groupId: 'xhht.reporting.recognitions', topics: [eventTopic('recognition')], handlers: countedRecognitionHandlers },
  ],
  routes: () => [...exportRoutes()],
};
