import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, openSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';

export interface KafkaBrokerOptions {
  /** Where the broker jars are put by Maven (shared by every local broker). */
  libsDir: string;
  /** KRaft metadata and logs; git-ignored. */
  dataDir: string;
  port: number;
  controllerPort: number;
  logger: Logger;
  heapMb?: number;
}

const POM = path.resolve(__dirname, '../../kafka/pom.xml');

/**
 * A real single-node Apache Kafka broker in KRaft mode, from the official jars on Maven Central.
 * Its pid is kept in the data folder, so any process can stop or restart it.
 */
export class KafkaBroker {
  constructor(private readonly opts: KafkaBrokerOptions) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.opts.port}`];
  }

  private get pidFile(): string {
    return path.join(this.opts.dataDir, 'broker.pid');
  }

  /** Resolves kafka_2.13 and its runtime dependencies with Maven, once. */
  ensureJars(): void {
    const log = this.opts.logger;
    if (existsSync(this.opts.libsDir) && readdirSync(this.opts.libsDir).some((f) => /^kafka_2\.13-.*\.jar$/.test(f))) return;
    for (const [tool, args] of [
      ['java', ['-version']],
      ['mvn', ['-v']],
    ] as const) {
      if (spawnSync(tool, [...args], { stdio: 'ignore' }).status !== 0) {
        throw new Error(`${tool} is required to run the local Kafka broker (Java 17+ and Maven), or set KAFKA_BROKERS`);
      }
    }
    log.info('resolving Apache Kafka jars from Maven Central (first run only)');
    const res = spawnSync(
      'mvn',
      ['-B', '-q', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${this.opts.libsDir}`, '-DincludeScope=runtime'],
      { stdio: ['ignore', 'inherit', 'inherit'] },
    );
    if (res.status !== 0) throw new Error('Maven could not resolve the Kafka broker jars (see output above)');
  }

  private writeConfig(): string {
    const { dataDir, port, controllerPort } = this.opts;
    const file = path.join(dataDir, 'server.properties');
    writeFileSync(
      file,
      [
        'process.roles=broker,controller',
        'node.id=1',
        `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
        'inter.broker.listener.name=PLAINTEXT',
        `log.dirs=${path.join(dataDir, 'logs')}`,
        'num.partitions=1',
        'offsets.topic.replication.factor=1',
        'offsets.topic.num.partitions=6',
        'transaction.state.log.replication.factor=1',
        'transaction.state.log.min.isr=1',
        'group.initial.rebalance.delay.ms=0',
        'auto.create.topics.enable=false',
        'log.retention.check.interval.ms=300000',
        '',
      ].join('\n'),
    );
    writeFileSync(
      path.join(dataDir, 'log4j.properties'),
      [
        'log4j.rootLogger=WARN, stdout',
        'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
        'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
        'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
        'log4j.logger.kafka.server.BrokerServer=INFO',
        '',
      ].join('\n'),
    );
    return file;
  }

  private java(args: string[]): string[] {
    return [
      `-Xmx${this.opts.heapMb ?? 768}m`,
      '-XX:+UseG1GC',
      `-Dlog4j.configuration=file:${path.join(this.opts.dataDir, 'log4j.properties')}`,
      '-cp',
      `${this.opts.libsDir}/*`,
      ...args,
    ];
  }

  /** Formats KRaft storage on first use. */
  private format(config: string): void {
    if (existsSync(path.join(this.opts.dataDir, 'logs', 'meta.properties'))) return;
    // one argument with the option: an id may begin with '-', which the tool would take for an option
    const clusterId = randomBytes(16).toString('base64url');
    const res = spawnSync('java', this.java(['kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId}`, '-c', config]), { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`Kafka storage format failed: ${res.stderr || res.stdout}`);
  }

  running(): number | undefined {
    if (!existsSync(this.pidFile)) return undefined;
    const pid = Number(readFileSync(this.pidFile, 'utf8'));
    try {
      process.kill(pid, 0);
      return pid;
    } catch {
      return undefined;
    }
  }

  /** Starts the broker detached, so a process other than the starter (a test) can stop and restart it. */
  async start(): Promise<void> {
    if (this.running()) {
      await this.waitForPort(60_000);
      return;
    }
    this.ensureJars();
    mkdirSync(this.opts.dataDir, { recursive: true });
    const config = this.writeConfig();
    this.format(config);
    const out = openSync(path.join(this.opts.dataDir, 'broker.log'), 'a');
    const child = spawn('java', this.java(['kafka.Kafka', config]), { stdio: ['ignore', out, out], detached: true });
    child.unref();
    writeFileSync(this.pidFile, String(child.pid));
    this.opts.logger.info({ port: this.opts.port, pid: child.pid }, 'kafka broker starting');
    await this.waitForPort(90_000);
  }

  private async waitForPort(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (!this.running()) {
        throw new Error(`Kafka broker exited; see ${path.join(this.opts.dataDir, 'broker.log')}`);
      }
      const log = readFileSync(path.join(this.opts.dataDir, 'broker.log'), 'utf8');
      if (log.lastIndexOf('Transition from STARTING to STARTED') > log.lastIndexOf('Transition from SHUTDOWN')) {
        if (await portOpen(this.opts.port)) return;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`Kafka broker did not start within ${timeoutMs / 1000}s`);
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 30 s) and waits until it is gone. */
  async stop(): Promise<void> {
    const pid = this.running();
    if (!pid) return;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (this.running()) {
      if (Date.now() > deadline) process.kill(pid, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
    }
    rmSync(this.pidFile, { force: true });
    this.opts.logger.info({ port: this.opts.port }, 'kafka broker stopped');
  }

  /** Deletes the broker's data (stopped brokers only). */
  wipe(): void {
    if (this.running()) throw new Error('stop the broker before wiping its data');
    rmSync(this.opts.dataDir, { recursive: true, force: true });
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
