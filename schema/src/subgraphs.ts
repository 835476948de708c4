import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';
import { readSdl, SERVICES } from '@xhht/infra';

export const repoRoot = path.resolve(__dirname, '../..');

/** Default routing URL of each subgraph; the gateway can override each by environment. */
export const SUBGRAPH_PORTS: Record<(typeof SERVICES)[number], number> = { org: 4001, recognition: 4002, reporting: 4003, awards: 4004 };

export function subgraphDefinitions(): { name: string; url: string; typeDefs: DocumentNode }[] {
  return SERVICES.map((name) => ({
    name,
    url: `http://localhost:${SUBGRAPH_PORTS[name]}/graphql`,
    typeDefs: parse(readSdl(path.join(repoRoot, 'services', name, 'src'))),
  }));
}
