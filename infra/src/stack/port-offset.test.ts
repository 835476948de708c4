import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** XHHT_PORT_OFFSET shifts every port; one that lands the gateway on a port fetch() refuses is refused up front. */
describe('the port offset', () => {
  const loadStack = (offset: string) =>
    spawnSync(process.execPath, ['-e', `require(${JSON.stringify(path.resolve(__dirname, '../../dist/stack/stack'))})`], {
      env: { ...process.env, XHHT_PORT_OFFSET: offset },
      encoding: 'utf8',
    });

  it('refuses an offset that puts the test gateway on 4190, naming the port', () => {
    const run = loadStack('90');
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/XHHT_PORT_OFFSET=90 puts the test stack on port 4190, which fetch\(\) refuses/);
  });

  it('accepts an ordinary offset', () => {
    expect(loadStack('70').status).toBe(0);
  });
});
