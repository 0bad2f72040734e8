// Starts `ipyun serve --demo` on a free loopback port with a fresh data directory, waits for
// /healthz, and stops it again. The server's stderr is kept to explain failures.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;

/** A free TCP port on 127.0.0.1: listen on port 0, read the port, close. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

/** Removes terminal colour codes from log text. */
export function stripAnsi(text) {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\x1b\[[0-9;]*m/g, '');
}

/**
 * Spawns the server and resolves once `GET /healthz` answers 200.
 * Returns `{ baseUrl, dataDir, stderr(), stop() }`.
 */
export async function startServer(binary = process.env.IPYUN_BIN ?? '../target/debug/ipyun') {
  const bin = resolve(binary);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'ipyun-e2e-'));
  const baseUrl = `http://127.0.0.1:${port}`;
  // SQLite in the fresh directory: a DATABASE_URL in the environment would pick PostgreSQL.
  const env = { ...process.env, NO_COLOR: '1', RUST_LOG: process.env.RUST_LOG ?? 'info' };
  delete env.DATABASE_URL;
  delete env.IPYUN_DATA;
  const child = spawn(bin, ['serve', '--addr', `127.0.0.1:${port}`, '--data', dataDir, '--demo'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  const keep = (chunk) => {
    log += chunk.toString('utf8');
    if (log.length > 2_000_000) log = log.slice(-1_000_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited = null;
  let spawnError = null;
  const exitPromise = new Promise((resolveExit) => {
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      resolveExit(exited);
    });
  });
  child.on('error', (error) => {
    spawnError = error;
  });

  const server = {
    baseUrl,
    dataDir,
    stderr: () => stripAnsi(log),
    /** The last `lines` lines of the server's output. */
    tail: (lines = 60) => stripAnsi(log).trimEnd().split('\n').slice(-lines).join('\n'),
    async stop() {
      if (!exited && !spawnError) {
        child.kill('SIGTERM');
        const stopped = await Promise.race([exitPromise, sleep(STOP_GRACE_MS, null)]);
        if (!stopped) {
          child.kill('SIGKILL');
          await exitPromise;
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (spawnError) {
      await server.stop();
      throw new Error(`could not start ${bin}: ${spawnError.message} (build it with 'cargo build --bin ipyun', or set IPYUN_BIN)`);
    }
    if (exited) {
      const output = server.tail(80);
      await server.stop();
      throw new Error(`ipyun serve exited early (${JSON.stringify(exited)}) before /healthz answered:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const output = server.tail(80);
      await server.stop();
      throw new Error(`ipyun serve did not answer GET /healthz with 200 within ${READY_TIMEOUT_MS / 1000} s:\n${output}`);
    }
    await sleep(250);
  }
}
