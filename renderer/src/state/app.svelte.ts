// Renderer state: the latest snapshot replaces the old one whole ($state.raw: no deep proxies over
// thousands of objects each second); components only display what is here.
import { defaultSettings, type Bridge, type EngineLink, type FixedSettings, type Settings, type Snapshot } from '../../../shared/index.ts';
import { Fmt } from '../lib/fmt.ts';
import { LongHistory, SignalHistory } from '../lib/series.ts';

/** No snapshot for this long (and at least 3 ticks) and the data is called stale. */
const STALE_MIN_MS = 3000;

export class AppState {
  snapshot = $state.raw<Snapshot | null>(null);
  link = $state.raw<EngineLink>({ state: 'down', reason: 'connecting to the engine' });
  settings = $state.raw<Settings>(defaultSettings());
  /** Settings the host fixed (shown read-only, with the flag that set them). */
  fixed = $state.raw<FixedSettings>({});
  /** Local time the last snapshot arrived: staleness is judged by arrival, not by the engine's clock. */
  receivedAt = $state(0);
  now = $state(Date.now());
  /** Bumped when `long` gains a sample, so charts over it redraw. */
  longVersion = $state(0);
  readonly long = new LongHistory();
  readonly signal = new SignalHistory();
  readonly startedAt = Date.now();

  fmt = $derived(new Fmt(this.settings));
  staleReason = $derived.by((): string | null => {
    if (this.link.state === 'down') return this.link.reason;
    const limit = Math.max(STALE_MIN_MS, 3 * (this.snapshot?.intervalMs ?? 1000));
    if (!this.snapshot) return this.now - this.startedAt > limit ? 'no data from the engine yet' : null;
    const age = this.now - this.receivedAt;
    return age > limit ? `no data from the engine for ${Math.round(age / 1000)} s` : null;
  });

  constructor(readonly bridge: Bridge) {}

  start(): () => void {
    const offSnap = this.bridge.onSnapshot((s) => {
      this.snapshot = s;
      this.receivedAt = Date.now();
      this.now = this.receivedAt;
      this.long.add(s);
      this.signal.add(s);
      this.longVersion++;
    });
    const offLink = this.bridge.onLink((l) => { this.link = l; });
    const tick = setInterval(() => { this.now = Date.now(); }, 1000);
    // Replayed at once where the host already knows them, and again whenever any window saves.
    const offSettings = this.bridge.onSettings((s) => { this.settings = s; });
    void this.bridge.fixedSettings?.().then((f) => { this.fixed = f; }, () => { /* nothing shown as fixed */ });
    return () => { offSnap(); offLink(); offSettings(); clearInterval(tick); };
  }
}
