// How hosts should start the engine process. Kept here so Electron main, tests and the bench agree.

/**
 * V8 flags for the engine: a 1 MB young generation. With V8's default semi-spaces the engine at 16k
 * sockets sat at 85 MB tray only and 87 MB with a view open after 60 s; with this, 78 and 78 MB, for
 * ~10 % more of its (small) CPU (2026-11-22, after 60 s; earlier, when a poll allocated ~20 MB, the
 * difference was 250 → 125 MB).
 */
export const ENGINE_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=1'];
