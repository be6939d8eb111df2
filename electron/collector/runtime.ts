// How hosts should start the engine process. Kept here so Electron main, tests and the bench agree.

/**
 * V8 flags for the engine: a 1 MB young generation. Each poll at 16k sockets allocates ~20 MB of
 * short-lived objects; with V8's default semi-spaces the process kept ~250 MB resident, with this
 * ~125 MB, for ~1 % more CPU (npm run bench).
 */
export const ENGINE_EXEC_ARGV: readonly string[] = ['--max-semi-space-size=1'];
