// Starts the loopback SendGrid fake in its own process (fake-process.ts) and talks to it over
// stdio: its URL, then its counters on demand. Used by bench/send and bench/live.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** The API key the fake accepts. */
export const FAKE_SENDGRID_KEY = 'SG.bench-key.personae';

export interface FakeSendGridProcess {
  url: string;
  pid: number;
  counts(): Promise<{ acceptedMessages: number; byStatus: Record<string, number> }>;
  stop(): void;
}

export async function startFakeSendGridProcess(): Promise<FakeSendGridProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'fake-process.ts')], { env: { ...process.env, SG_KEY: FAKE_SENDGRID_KEY }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  const { url } = JSON.parse(await next());
  return {
    url,
    pid: child.pid!,
    async counts() {
      child.stdin!.write('\n');
      return JSON.parse(await next());
    },
    stop: () => child.stdin!.end(),
  };
}
