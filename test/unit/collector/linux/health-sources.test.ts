// ping, resolv.conf/resolvectl and Wi-Fi parsers over real captures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fixture } from '../../../helpers.ts';
import { parsePing } from '../../../../electron/collector/ping.ts';
import { parseResolvConf, parseResolvectlStatus } from '../../../../electron/collector/linux/resolv.ts';
import { channelOf, parseIwLink, parseProcNetWireless } from '../../../../electron/collector/linux/iw.ts';
import { normaliseMac } from '../../../../electron/collector/mac-address.ts';

test('ping: replies, statistics and average RTT', () => {
  assert.deepEqual(parsePing(fixture('linux', 'ping-c3-ok--globalping-hwprobe-issue49.txt')), { rttMs: 6.654, transmitted: 3, received: 3 });
  assert.deepEqual(parsePing(fixture('linux', 'ping-O-hostname--jc-ubuntu-18.04.txt')), { rttMs: 30.42, transmitted: 20, received: 20 });
  assert.deepEqual(parsePing(fixture('linux', 'ping-c4-unreachable-partial-loss--moler.txt')), { rttMs: 504.817, transmitted: 4, received: 3 });
});

test('ping: 100 % loss, unreachable and deadline runs give no RTT', () => {
  assert.deepEqual(parsePing(fixture('linux', 'ping-c3-dest-unreachable-100pct-loss--jc-ubuntu-22.04.txt')), { rttMs: null, transmitted: 3, received: 0 });
  assert.deepEqual(parsePing(fixture('linux', 'ping-deadline-100pct-loss-silent--iputils-issue603.txt')), { rttMs: null, transmitted: 39, received: 0 });
  assert.deepEqual(parsePing(fixture('linux', 'ping-deadline-no-replies-inflight--iputils-issue603.txt')), { rttMs: null, transmitted: 40, received: 0 });
  assert.equal(parsePing('ping: connect: Network is unreachable'), undefined);
});

test('resolv.conf: nameservers in order; the systemd-resolved stub is recognisable', () => {
  assert.deepEqual(parseResolvConf(fixture('linux', 'etc-resolv.conf--netwatch-vm.txt')), ['10.255.255.53']);
  assert.deepEqual(parseResolvConf(fixture('linux', 'etc-resolv.conf-systemd-resolved-stub--systemd-issue32092.txt')), ['127.0.0.53']);
  assert.deepEqual(parseResolvConf(fixture('linux', 'etc-resolv.conf-resolvconf-with-127.0.0.53--systemd-issue5745.txt')), ['172.16.0.2', '127.0.0.53']);
});

test('resolvectl status: the current server of the link with +DefaultRoute', () => {
  assert.deepEqual(parseResolvectlStatus(fixture('linux', 'resolvectl-status--systemd-issue18855.txt')), { server: '192.168.1.1', link: 'wlp4s0' });
  assert.equal(parseResolvectlStatus('Global\n  Protocols: +LLMNR\n'), undefined);
});

test('iw dev link: SSID, BSSID, frequency → channel, signal and tx bitrate', () => {
  const w = parseIwLink('wlp0s20f3', fixture('linux', 'iw-dev-link--cinnamon-issue9301.txt'));
  assert.deepEqual(w, {
    interface: 'wlp0s20f3', ssid: 'HOME5', ssidHidden: false, bssid: '64:d1:54:68:93:ae', signalDbm: -44, noiseDbm: null,
    channel: 56, frequencyMhz: 5280, txBitrateMbps: 866.7, associated: true,
  });
  const h = parseIwLink('wlp1s0', fixture('linux', 'iw-dev-link--wifi-heatmapper.txt'));
  assert.equal(h.channel, 1);
  assert.equal(h.frequencyMhz, 2412);
  assert.equal(h.signalDbm, -51);
  // A driver that prints little, with the BSSID masked by the reporter ("xx:xx"): no invented MAC.
  const m = parseIwLink('wlx00', fixture('linux', 'iw-dev-link-minimal-driver--rtl8812au-issue42.txt'));
  assert.equal(m.bssid, null);
  assert.equal(m.ssid, 'xxx');
  assert.equal(m.txBitrateMbps, 216.7);
  assert.equal(parseIwLink('wlan0', 'Not connected.\n').associated, false);
});

test('/proc/net/wireless: level and noise in dBm, -256 meaning "not reported"', () => {
  const w = parseProcNetWireless(fixture('linux', 'proc-net-wireless--telegraf-testdata.txt'));
  assert.deepEqual(w.get('wlan0'), { signalDbm: -50, noiseDbm: null });
  assert.deepEqual(w.get('wlan1'), { signalDbm: -39, noiseDbm: null });
});

test('normaliseMac and channelOf', () => {
  assert.equal(normaliseMac('31:23:3:1a:9f:1d'), '31:23:03:1a:9f:1d');
  assert.equal(normaliseMac('xx:xx'), null);
  assert.equal(channelOf(2484), 14);
  assert.equal(channelOf(5955), 1);
  assert.equal(channelOf(900), null);
});
