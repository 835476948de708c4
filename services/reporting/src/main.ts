import { createLogger, runService, runUntilSignal } from '@xhht/infra';
import { overdueSweepMs, startOverdueSweeper } from './reports/report-overdue';
import { reportingService } from './service';

runUntilSignal('reporting', async () => {
  const service = await runService(reportingService);
  const sweeper = startOverdueSweeper(service.orm, overdueSweepMs(process.env), createLogger('reporting', service.config.LOG_LEVEL));
  return {
    async stop() {
      await sweeper.stop();
      await service.stop();
    },
  };
});
