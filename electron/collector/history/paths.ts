// Where the usage history lives when no --db says: the user's data folder (XDG_DATA_HOME on Linux,
// ~/Library/Application Support on macOS), as env-paths computes it. The desktop app uses its own
// userData folder instead (electron/main passes NETWATCH_HISTORY).
import path from 'node:path';
import envPaths from 'env-paths';

export const defaultHistoryPath = (): string => path.join(envPaths('netwatch', { suffix: '' }).data, 'history.sqlite');
