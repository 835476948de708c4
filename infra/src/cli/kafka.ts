import { createLogger } from '../logger';
import { KafkaBroker } from '../stack/kafka-broker';
import { PROFILES, localBrokerSettings } from '../stack/stack';

/** `npm run kafka -- fetch|start|stop|status`: the local broker of the dev profile on its own. */
async function main(): Promise<void> {
  const command = process.argv[2] ?? 'status';
  const broker = new KafkaBroker({ ...localBrokerSettings(PROFILES.dev), logger: createLogger('kafka') });
  if (command === 'fetch') broker.ensureJars();
  else if (command === 'start') await broker.start();
  else if (command === 'stop') await broker.stop();
  else if (command === 'status') console.log(broker.running() ? `running on ${broker.brokers.join(',')}` : 'stopped');
  else {
    console.error('Usage: npm run kafka -- fetch|start|stop|status');
    process.exit(2);
  }
}

main().catch((err: Error) => {
  console.error(err.message);
  process.exit(1);
});
