import { createLogger, runService, runUntilSignal } from '@xhht/infra';
import { recognitionService } from './service';
import { expirySweepMs, startExpirySweeper } from './recognitions/expiry';

runUntilSignal('recognition', async () => {
  const service = await runService(recognitionService);
  const sweeper = startExpirySweeper(service.orm, expirySweepMs(process.env), createLogger('recognition', service.config.LOG_LEVEL));
  return {
    async stop() {
      await sweeper.stop();
      await service.stop();
    },
  };
});
