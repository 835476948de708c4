import path from 'node:path';
import { AdminUnitReplicaSchema, eventTopic, type ServiceDefinition } from '@xhht/infra';
import { createLoaders, type ReportingLoaders } from './context';
import { hierarchyHandlers } from './hierarchy/unit-statistics';
import { migrations } from './migrations';
import { PlanSchema, PlanTargetSchema } from './plans/plan.entity';
import { resolvers } from './resolvers';

/** The reporting subgraph: plans, targets, progress read models and reports. */
export const reportingService: ServiceDefinition<ReportingLoaders> = {
  name: 'reporting',
  sdlDir: path.resolve(__dirname, '../src'),
  resolvers,
  entities: [AdminUnitReplicaSchema, PlanSchema, PlanTargetSchema],
  migrations,
  createLoaders,
  consumers: [{ groupId: 'xhht.reporting.hierarchy', topics: [eventTopic('org')], handlers: hierarchyHandlers }],
};
