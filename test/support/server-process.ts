/** A real server as a child process (engine/main.ts), for tests that kill it. */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerProcess {
  child: ChildProcess;
  base: string;
  /** Signed in as the first administrator: the session cookie and its CSRF token. */
  headers: Record<string, string>;
}

const ADMIN_PASSWORD = 'Crash2026';

/** Servers still running when the test run ends (it stopped early) are killed with it. */
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Start a server on a free port with short leases and polls, sign in as its administrator; resolves once it listens. */
export async function startServer(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'engine/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', DEMO: 'false', LOG_LEVEL: 'info', ADMIN_PASSWORD, SCHEDULER_LEASE_MS: '2000', SCHEDULER_POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('server did not start')), 30_000);
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const entry = JSON.parse(line) as { msg?: string; port?: number };
        if (entry.msg === 'listening' && entry.port) {
          clearTimeout(timeout);
          resolve(entry.port);
        }
      } catch {
        // not a log line
      }
    });
  });
  const base = `http://127.0.0.1:${port}`;
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return { child, base, headers: { cookie, 'x-csrf-token': ((await login.json()) as { csrfToken: string }).csrfToken } };
}

export function kill(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}
