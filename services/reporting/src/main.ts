import type { EntityManager } from '@mikro-orm/postgresql';
import { createLogger, runService, runUntilSignal, startPeriodic } from '@xhht/infra';
import { overdueSweepMs, startOverdueSweeper } from './reports/report-overdue';
import { refreshClosureForToday } from './progress/progress-rollup';
import { reportingService } from './service';

/** How often reporting checks whether its rollups were summed over today's tree (the day changes). */
const ROLLUP_REFRESH_MS = 15 * 60 * 1000;

runUntilSignal('reporting', async () => {
  const service = await runService(reportingService);
  const logger = createLogger('reporting', service.config.LOG_LEVEL);
  const sweeper = startOverdueSweeper(service.orm, overdueSweepMs(process.env), logger);
  // rollups follow the tree: a change recorded in advance that has taken effect sends them to be summed again
  const rollups = startPeriodic(
    'progress rollup refresh',
    ROLLUP_REFRESH_MS,
    async () => {
      if (await refreshClosureForToday(service.orm.em.fork() as unknown as EntityManager))
        logger.info("progress rollups brought to today's tree");
    },
    logger,
  );
  return {
    async stop() {
      await rollups.stop();
      await sweeper.stop();
      await service.stop();
    },
  };
});
