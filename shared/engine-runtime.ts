// How hosts start the engine process, kept in shared/ because three runtimes start it: Electron main
// (a utility process), `netwatch serve` and the tests/bench (Node children). They pass the same V8
// flags in two spellings.

/**
 * V8 flags for the engine: a 1 MB young generation. With V8's default semi-spaces the engine at 16k
 * sockets sat at 85 MB tray only and 87 MB with a view open after 60 s; with this, 78 and 78 MB, for
 * ~10 % more of its (small) CPU (2026-11-22, after 60 s; earlier, when a poll allocated ~20 MB, the
 * difference was 250 → 125 MB).
 */
export const ENGINE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** For `child_process.fork`: Node takes V8 flags on its own command line. */
export const ENGINE_EXEC_ARGV: readonly string[] = ENGINE_V8_FLAGS;

/**
 * For Electron's `utilityProcess.fork`. Its `execArgv` become Chromium switches of the child
 * (ServiceProcessHost's extra command-line switches); the child hands Node only its debug options
 * (`--inspect*`, NodeBindings::SetNodeCliFlags) and gives V8 only what `--js-flags` holds
 * (JavascriptEnvironment::Initialize). A bare `--max-semi-space-size=1` would be dropped silently.
 */
export function utilityExecArgv(flags: readonly string[] = ENGINE_V8_FLAGS): string[] {
  return flags.length ? [`--js-flags=${flags.join(' ')}`] : [];
}
