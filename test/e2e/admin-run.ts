// Runs the real `mythos admin ...` as a child process, the way a sysop's shell would, for the
// admin end-to-end suites.
import { spawn } from 'node:child_process';
import { MYTHOS, ROOT, type ServerProcess } from './harness.js';

export interface AdminRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `node bin/mythos.js admin ARGS`; `input` is written to its stdin (then closed). */
export function runAdmin(args: string[], opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {}): Promise<AdminRun> {
  // The suite's own environment must not choose the server or the token for the command.
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env };
  for (const key of ['MYTHOS_ADMIN_TOKEN', 'MYTHOS_ADMIN_URL', 'MYTHOS_DATA_DIR']) if (!opts.env?.[key]) delete env[key];
  const child = spawn(process.execPath, [MYTHOS, 'admin', ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdin.on('error', () => {});
  child.stdin.end(opts.input ?? '');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mythos admin ${args.join(' ')} did not finish; stdout:\n${stdout}\nstderr:\n${stderr}`));
    }, opts.timeoutMs ?? 60_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The options that point `mythos admin` at a test server, its token read from the data dir. */
export function target(server: ServerProcess): string[] {
  return ['--url', server.httpUrl, '--data-dir', server.dataDir];
}

/** Runs and expects success; returns stdout. */
export async function admin(server: ServerProcess, ...args: string[]): Promise<string> {
  const r = await runAdmin([...args, ...target(server)]);
  if (r.code !== 0) throw new Error(`mythos admin ${args.join(' ')} exited ${r.code}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}
