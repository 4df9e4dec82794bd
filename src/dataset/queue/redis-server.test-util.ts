/**
 * Test helper: a throw-away redis-server on a free loopback port, with append-only persistence in a
 * temporary directory (so a restart keeps the queue), optionally with a password.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Debian package's server binary (installed by .ci/run). */
export const REDIS_SERVER = '/usr/bin/redis-server';

/** A running test server. */
export interface TestRedis {
  port: number;
  dir: string;
  /** redis://[:password@]127.0.0.1:port */
  url: string;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s) and wait for it to exit. */
  stop(): Promise<void>;
  /** Start it again on the same port and directory (the append-only file brings the data back). */
  restart(): Promise<void>;
  /** Stop it and remove its directory. */
  remove(): Promise<void>;
}

/** A port the kernel says is free now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve();
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadline) reject(new Error(`redis-server did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** Start a redis-server (append-only, no snapshots) on a free loopback port. */
export async function startTestRedis(options: { password?: string } = {}): Promise<TestRedis> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'qde-redis-'));
  const args = ['--save', '', '--appendonly', 'yes', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir];
  if (options.password !== undefined) args.push('--requirepass', options.password);
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(REDIS_SERVER, args, { stdio: 'ignore' });
    await waitForPort(port, 10_000);
  };
  const stop = async () => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    const done = exited(c);
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 5000);
    await done;
    clearTimeout(timer);
  };
  await start();
  const auth = options.password !== undefined ? `:${encodeURIComponent(options.password)}@` : '';
  return {
    port,
    dir,
    url: `redis://${auth}127.0.0.1:${port}`,
    stop,
    restart: start,
    async remove() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
