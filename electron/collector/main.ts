// Collector entry: Electron utility process or Node child. Never imports electron.
import { defaultConfig, mergeConfig, type EngineConfig } from '../../shared/index.ts';
import { nodeOs } from './os.ts';
import { createSources } from './platform.ts';
import { forkPort, parentPort } from './port.ts';
import { Engine } from './engine/engine.ts';
import { ViewHub, electronViewPort } from './views.ts';

const port = parentPort() ?? forkPort();
if (!port) {
  console.error('netwatch collector: no host port (start it with utilityProcess.fork or child_process.fork, or use the netwatch CLI)');
  process.exit(2);
}

// Initial config may come in the environment so the first tick already uses it.
function initialConfig(): { config: EngineConfig; problem?: string } {
  try {
    return { config: mergeConfig(defaultConfig(), JSON.parse(process.env['NETWATCH_CONFIG'] ?? '{}')) };
  } catch (e) {
    return { config: defaultConfig(), problem: `NETWATCH_CONFIG ignored: ${(e as Error).message}` };
  }
}
const initial = initialConfig();
// Visibility is the host's word alone (Electron main counts the windows really shown; serve counts its
// stream clients). An attached view port says nothing: a hidden popover keeps its port.
const hub = new ViewHub((q) => engine.queryConnections(q), (q) => engine.queryUsage(q));
const engine = new Engine({
  // A packaged app ships the helpers beside its resources and says where (NETWATCH_HELPER, NETWATCH_CAPTURE).
  sources: createSources(nodeOs, undefined, {
    ...(process.env['NETWATCH_HELPER'] ? { helperPath: process.env['NETWATCH_HELPER'] } : {}),
    ...(process.env['NETWATCH_CAPTURE'] ? { capturePath: process.env['NETWATCH_CAPTURE'] } : {}),
  }),
  os: nodeOs,
  config: initial.config,
  // The usage history's database: the host says where (Electron: userData; serve: --db or the data folder).
  historyPath: process.env['NETWATCH_HISTORY'] || null,
  emit: (m) => {
    port.post(m);
    if (m.type === 'snapshot') hub.broadcast(m);
  },
});
if (initial.problem) port.post({ type: 'rejected', reason: initial.problem });
engine.setVisible(process.env['NETWATCH_VISIBLE'] === '1');
port.onMessage((m, ports) => {
  const type = (m as { type?: string })?.type;
  if (type === 'attach-view' && ports[0]) { hub.attach(electronViewPort(ports[0])); return; }
  engine.handle(m);
  if (type === 'stop') setImmediate(() => process.exit(0));
});
port.onClose(() => { engine.stop(); process.exit(0); });
for (const sig of ['SIGTERM', 'SIGINT'] as const) process.on(sig, () => { engine.stop(); process.exit(0); });
engine.start();
