import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { composeServices } from '@apollo/composition';
import { repoRoot, subgraphDefinitions } from './subgraphs';
import { generateEventTypes } from './event-types';

/**
 * Composes the services' SDL into schema/supergraph.graphql and generates the event types.
 * With --check nothing is written: exits 1 when composition fails or a checked-in file is stale.
 */
async function main(check: boolean): Promise<number> {
  const result = composeServices(subgraphDefinitions());
  if (result.errors) {
    for (const e of result.errors) console.error(`composition error: ${e.message}`);
    return 1;
  }
  for (const hint of result.hints ?? []) console.error(`hint: ${hint.definition.code}: ${hint.message}`);
  const outputs: [string, string][] = [
    [path.join(repoRoot, 'schema/supergraph.graphql'), result.supergraphSdl],
    [path.join(repoRoot, 'schema/src/generated/events.ts'), await generateEventTypes()],
  ];
  let stale = 0;
  for (const [file, content] of outputs) {
    const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (current === content) continue;
    if (check) {
      console.error(`${path.relative(repoRoot, file)} is stale: run \`npm run compose\` and commit it`);
      stale++;
    } else {
      writeFileSync(file, content);
      console.error(`wrote ${path.relative(repoRoot, file)}`);
    }
  }
  if (check && stale === 0) console.error('supergraph and event types are up to date');
  return stale === 0 ? 0 : 1;
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
