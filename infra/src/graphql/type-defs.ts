import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse, type DocumentNode } from 'graphql';

/** All *.graphql files under a folder, in path order, as one SDL string (schema-first subgraphs). */
export function readSdl(dir: string): string {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = path.join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.graphql')) files.push(p);
    }
  };
  walk(dir);
  if (files.length === 0) throw new Error(`No .graphql files under ${dir}`);
  return files.map((f) => readFileSync(f, 'utf8')).join('\n');
}

export const loadTypeDefs = (dir: string): DocumentNode => parse(readSdl(dir));
