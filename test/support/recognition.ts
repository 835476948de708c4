import { eventually, sql, stack } from './stack';

/** Uploads an evidence file through the gateway's host and expects it accepted (201). */
export async function uploadEvidence(token: string, body: Buffer, fileName: string, contentType: string) {
  const res = await fetch(new URL('/files/evidence', stack().gatewayUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': contentType, 'x-file-name': encodeURIComponent(fileName) },
    body,
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; sha256: string };
}

/** Waits until recognition's replica has every id (participant_replica.id or admin_unit_version_replica.unit_id). */
export async function replicated(table: 'participant_replica' | 'admin_unit_version_replica', ids: string[]) {
  const column = table === 'participant_replica' ? 'id' : 'unit_id';
  await eventually(
    async () => {
      const [r] = await sql<{ n: number }>(
        'recognition',
        `select count(distinct ${column})::int as n from ${table} where ${column} = any($1::uuid[])`,
        [ids],
      );
      return r!.n === ids.length ? true : undefined;
    },
    60000,
    `${ids.join(', ')} in ${table}`,
  );
}
