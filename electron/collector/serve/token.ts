// Where `netwatch serve`'s token comes from. Without one, any local user could read this machine's
// socket and process table over loopback (the engine runs as root to see them all), so a token is the
// default: a random one per run, shown only in the URL printed on stdout. A token on the command line
// is visible to every local user in `ps`; a file only its owner can read, or the environment, is not.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';

export const TOKEN_ENV = 'NETWATCH_TOKEN';

export interface TokenFlags { token?: string; 'token-file'?: string; 'no-token'?: boolean }

/** `show`: whether the printed URL may carry it (only a token we made up; the user knows theirs). */
export type TokenChoice = { ok: true; token: string | null; show: boolean; warning: string | null } | { ok: false; error: string };

export function chooseToken(v: TokenFlags, env: NodeJS.ProcessEnv): TokenChoice {
  const given = [v.token !== undefined && '--token', v['token-file'] !== undefined && '--token-file', v['no-token'] && '--no-token'].filter(Boolean);
  if (given.length > 1) return { ok: false, error: `${given.join(' and ')} cannot be used together` };
  if (v['no-token']) {
    return { ok: true, token: null, show: false, warning: 'no token: every local user can read this machine\'s connections and processes from the dashboard' };
  }
  if (v['token-file'] !== undefined) return fromFile(v['token-file']);
  if (v.token !== undefined) {
    return { ok: true, token: v.token, show: false, warning: `--token is visible to every local user (ps, /proc/<pid>/cmdline): use --token-file or ${TOKEN_ENV}` };
  }
  const fromEnv = env[TOKEN_ENV];
  if (fromEnv) return { ok: true, token: fromEnv, show: false, warning: null };
  return { ok: true, token: randomBytes(24).toString('base64url'), show: true, warning: null };
}

function fromFile(file: string): TokenChoice {
  let st: fs.Stats;
  let text: string;
  try {
    st = fs.statSync(file);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { ok: false, error: `--token-file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  // Group or others may read it: the token would be no secret (ssh refuses keys the same way).
  if (st.mode & 0o077) return { ok: false, error: `--token-file ${file} is readable by other users (mode ${(st.mode & 0o777).toString(8)}): chmod 600 it` };
  const token = text.trim();
  if (!token) return { ok: false, error: `--token-file ${file} is empty` };
  return { ok: true, token, show: false, warning: null };
}
