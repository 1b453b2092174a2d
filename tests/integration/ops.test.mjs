// Operations: configuration layering and errors, /metrics, graceful drain on SIGTERM, and
// SIGHUP reloads, against the real binary.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, copyFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import {
    BIN, EasyrtcClient, delay, httpRequest, isCmd, makeTestCertificate, signInPeers, uniqueApp, useServer,
} from './harness.mjs';

const scratch = () => mkdtempSync(join(tmpdir(), 'switchboard-ops-'));

// A server this file controls itself, to send it signals while clients are connected.
async function launch(args, env = {}) {
    const proc = spawn(BIN, ['--listen', '127.0.0.1:0', ...args], {
        env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Each test ends this server itself, and its clients with it: nothing to track.
    const srv = { log: '', proc, track() {} };
    srv.exit = new Promise((resolve) => proc.once('close', (code, signal) => resolve({ code, signal })));
    await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "listening on":\n${srv.log}`)), 10000);
        const scan = (chunk) => {
            srv.log += chunk;
            const m = /listening on ([0-9.]+):(\d+)/.exec(srv.log);
            if (m && !srv.port) {
                srv.port = Number(m[2]);
                clearTimeout(timer);
                resolve();
            }
        };
        proc.stdout.on('data', scan);
        proc.stderr.on('data', scan);
    });
    srv.url = `http://127.0.0.1:${srv.port}`;
    return srv;
}

function openPacket(url) {
    return httpRequest(`${url}/socket.io/?EIO=4&transport=polling`).then((r) => JSON.parse(r.body.slice(1)));
}

describe('configuration layers: file < environment < flags', () => {
    const dir = scratch();
    const ini = join(dir, 'switchboard.ini');
    writeFileSync(ini, 'ping-interval-ms = 1111\nping-timeout-ms = 2222\nmax-payload-bytes = 4444\n');

    it('the file sets what nothing else does; the environment beats it; a flag beats both', async () => {
        const srv = await launch(['--config', ini, '--max-payload-bytes', '5555'],
            { SWITCHBOARD_PING_TIMEOUT_MS: '3333' });
        try {
            const open = await openPacket(`http://127.0.0.1:${srv.port}`);
            assert.equal(open.pingInterval, 1111);
            assert.equal(open.pingTimeout, 3333);
            assert.equal(open.maxPayload, 5555);
        } finally {
            srv.proc.kill('SIGTERM');
            assert.deepEqual(await srv.exit, { code: 0, signal: null });
        }
    });

    const cases = [
        [['--ping-interval-ms', 'abc'], /ping-interval-ms/],
        [['--ping-interval-ms', '1'], /ping-interval-ms: must be between/],
        [['--listen', 'nowhere'], /--listen: 'nowhere' is not HOST:PORT/],
        [['--listen', '127.0.0.1:70000'], /--listen: .* bad port/],
        [['--relay-scope', 'galaxy'], /--relay-scope/],
        [['--log-format', 'xml'], /--log-format/],
        [['--log-level', 'loud'], /--log-level/],
        [['--tls-cert', '/nonexistent.pem'], /--tls-cert and --tls-key must be given together/],
        [['--tls-only'], /--tls-only: needs --tls-cert/],
        [['--turn-urls', 'turn:127.0.0.1:3478'], /turn-urls: needs turn-secret/],
        [['--turn-secret', 's'], /turn-secret: needs turn-urls/],
        [['--ice-servers', '[{"urls":"http://x"}]'], /ice servers/],
        [['--config', '/nonexistent.ini'], /--config: \/nonexistent.ini cannot be read/],
        [['--room-auto-create', 'maybe'], /--room-auto-create: 'maybe' is not a boolean/],
        [['--room-delta-delay-ms', '5000'], /room-delta-delay-ms: must be between 0 and 1000/],
    ];
    for (const [args, message] of cases) {
        it(`refuses ${args.join(' ')} naming the setting`, () => {
            const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 10000, env: { PATH: process.env.PATH } });
            assert.equal(r.status, 2, r.stderr);
            assert.match(r.stderr, message);
        });
    }

    it('refuses an unknown key in the config file and a bad per-application setting', () => {
        const bad = join(dir, 'bad.ini');
        writeFileSync(bad, 'ping-interval-ms = 1000\nnot-a-setting = 1\n');
        let r = spawnSync(BIN, ['--config', bad], { encoding: 'utf8', timeout: 10000 });
        assert.equal(r.status, 2);
        assert.match(r.stderr, /not-a-setting: is not a setting/);
        writeFileSync(bad, '[app.demo]\nturn-ttl-s = soon\n');
        r = spawnSync(BIN, ['--config', bad], { encoding: 'utf8', timeout: 10000 });
        assert.equal(r.status, 2);
        assert.match(r.stderr, /app\.demo\.turn-ttl-s/);
    });

    it('a TLS certificate that cannot be read stops start-up with exit 1', () => {
        const r = spawnSync(BIN, ['--listen', '127.0.0.1:0', '--tls-cert', '/nonexistent.pem', '--tls-key', '/nonexistent.key'],
            { encoding: 'utf8', timeout: 10000 });
        assert.equal(r.status, 1);
        assert.match(r.stderr, /cannot start.*nonexistent\.pem/);
    });

    it('[app.NAME] sections give an application its own ICE servers', async () => {
        const perApp = join(dir, 'apps.ini');
        writeFileSync(perApp, '[app.easyrtc.special]\nice-servers = [{"urls":"stun:127.0.0.1:3479"}]\n');
        const srv = await launch(['--config', perApp]);
        try {
            const special = await EasyrtcClient.signIn(srv, { applicationName: 'easyrtc.special' });
            const other = await EasyrtcClient.signIn(srv, { applicationName: 'easyrtc.other' });
            assert.deepEqual(special.token.iceConfig.iceServers, [{ urls: ['stun:127.0.0.1:3479'] }]);
            assert.notDeepEqual(other.token.iceConfig.iceServers, special.token.iceConfig.iceServers);
            special.close();
            other.close();
        } finally {
            srv.proc.kill('SIGTERM');
            assert.deepEqual(await srv.exit, { code: 0, signal: null });
        }
        rmSync(dir, { recursive: true, force: true });
    });
});

// Prometheus text exposition: every sample belongs to a family announced by # TYPE.
function parseMetrics(text) {
    const types = new Map();
    const samples = new Map();
    for (const line of text.split('\n')) {
        if (line === '') continue;
        let m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
        if (m) { types.set(m[1], m[2]); continue; }
        if (line.startsWith('# HELP ')) continue;
        m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="[^"\\]*",?)*\})? (-?[0-9.eE+-]+|NaN|\+Inf)$/.exec(line);
        assert.ok(m, `not an exposition line: ${JSON.stringify(line)}`);
        const family = m[1].replace(/_(bucket|sum|count)$/, '');
        assert.ok(types.has(m[1]) || types.get(family) === 'histogram', `${m[1]} has no # TYPE`);
        samples.set(m[1] + (m[2] ?? ''), Number(m[3]));
    }
    return samples;
}

describe('/metrics', () => {
    const srv = useServer(['--ping-interval-ms', '5000']);
    const scrape = async () => {
        const r = await httpRequest(`${srv.url}/metrics`);
        assert.equal(r.status, 200);
        assert.match(r.headers['content-type'], /^text\/plain; version=0\.0\.4/);
        return parseMetrics(r.body);
    };

    it('is valid exposition format and its values move with connections and relays', async () => {
        const before = await scrape();
        const [a, b] = await signInPeers(srv, uniqueApp('metrics'), ['ann', 'bob']);
        const ack = await a.cmd('candidate', { targetEasyrtcid: b.id, msgData: { type: 'candidate', candidate: 'c', id: '0', label: 0 } });
        assert.equal(ack.msgType, 'ack');
        await b.waitPush(isCmd('candidate'));
        const refused = await a.cmd('offer', { targetEasyrtcid: 'nobody', msgData: { type: 'offer', sdp: 'x' } });
        assert.equal(refused.msgData.errorCode, 'MSG_REJECT_TARGET_EASYRTCID');
        const after = await scrape();
        const moved = (key) => (after.get(key) ?? 0) - (before.get(key) ?? 0);
        assert.equal(moved('switchboard_auth_total{result="ok"}'), 2);
        assert.equal(moved('switchboard_messages_in_total{family="easyrtcCmd",type="candidate"}'), 1);
        assert.equal(moved('switchboard_messages_in_total{family="easyrtcCmd",type="offer"}'), 1);
        assert.equal(moved('switchboard_errors_total{code="MSG_REJECT_TARGET_EASYRTCID"}'), 1);
        assert.ok(moved('switchboard_messages_out_total{kind="push"}') >= 2); // delta + candidate
        assert.ok(moved('switchboard_request_duration_seconds_count') >= 4);
        assert.equal(after.get('switchboard_authenticated_connections'), 2);
        assert.ok(after.get('switchboard_sessions{transport="websocket"}') + after.get('switchboard_sessions{transport="polling"}') >= 2);
        a.close();
        b.close();
        for (let i = 0; i < 50; ++i) {
            if ((await scrape()).get('switchboard_authenticated_connections') === 0) return;
            await delay(100);
        }
        assert.fail('authenticated_connections did not return to 0');
    });
    srv.stopsCleanly();
});

describe('structured logs', () => {
    it('JSON lines: connection open with the client address, close with its reason, refusals, no secrets', async () => {
        const srv = await launch(['--log-format', 'json', '--log-level', 'info']);
        const sdpMarker = 'SDP-MARKER-c0ffee';
        const secretMarker = 'CREDENTIAL-MARKER-f00d';
        try {
            const app = uniqueApp('logs');
            const alice = await EasyrtcClient.signIn(srv, { applicationName: app, username: 'alice' },
                { transports: ['websocket'], extraHeaders: { 'X-Forwarded-For': '203.0.113.7, 10.0.0.2' } });
            const bob = await EasyrtcClient.signIn(srv, { applicationName: app, username: 'bob' },
                { transports: ['polling'] });
            const offer = { type: 'offer', sdp: `v=0\r\ns=${sdpMarker}\r\n` };
            await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: offer });
            assert.equal((await bob.waitPush(isCmd('offer'))).msgData.sdp, offer.sdp);
            const mallory = await EasyrtcClient.connect(srv);
            const refused = await mallory.authenticate({ applicationName: 42, credential: { password: secretMarker } });
            assert.equal(refused.msgType, 'error');
            alice.socket.close();
            for (let i = 0; i < 50 && !/"reason":"client disconnected|"reason":"transport closed/.test(srv.log); ++i) {
                await delay(100);
            }
        } finally {
            srv.proc.kill('SIGTERM');
            assert.deepEqual(await srv.exit, { code: 0, signal: null });
        }
        const events = srv.log.split('\n').filter((l) => l.trim()).map((l) => {
            try { return JSON.parse(l); } catch { assert.fail(`not a JSON line: ${l}`); }
        });
        for (const e of events) {
            assert.equal(typeof e.msg, 'string', JSON.stringify(e));
            assert.equal(typeof e.level, 'string', JSON.stringify(e));
        }
        const opened = events.filter((e) => e.msg === 'connection opened');
        assert.ok(opened.length >= 3, `opened: ${JSON.stringify(opened)}`);
        for (const e of opened) assert.match(e.remote, /^127\.0\.0\.1:\d+$/);
        const proxied = opened.filter((e) => e.forwarded_for === '203.0.113.7, 10.0.0.2');
        assert.equal(proxied.length, 1, JSON.stringify(opened));
        assert.equal(proxied[0].transport, 'websocket');
        const closed = events.filter((e) => e.msg === 'connection closed' && e.conn === proxied[0].conn);
        assert.equal(closed.length, 1, JSON.stringify(events));
        assert.match(closed[0].reason, /client disconnected|transport closed/);
        assert.equal(closed[0].remote, proxied[0].remote);
        assert.ok(events.some((e) => e.msg === 'sign-in refused' && e.code === 'MSG_REJECT_BAD_STRUCTURE'),
            JSON.stringify(events));
        assert.doesNotMatch(srv.log, new RegExp(`${sdpMarker}|${secretMarker}`));
    });
});

describe('SIGTERM drain', () => {
    it('tells every client SERVER_SHUTDOWN, closes them, and exits 0 before the deadline', async () => {
        const srv = await launch(['--drain-timeout-ms', '3000']);
        const app = uniqueApp('drain');
        const clients = [
            await EasyrtcClient.signIn(srv, { applicationName: app, username: 'a' }),
            await EasyrtcClient.signIn(srv, { applicationName: app, username: 'b' }, { transports: ['polling'] }),
        ];
        const disconnected = clients.map((c) => new Promise((resolve) => c.socket.once('disconnect', resolve)));
        const started = Date.now();
        srv.proc.kill('SIGTERM');
        for (const c of clients) {
            const err = await c.waitPush(isCmd('error'), { ms: 3000, what: 'SERVER_SHUTDOWN' });
            assert.equal(err.msgData.errorCode, 'SERVER_SHUTDOWN');
        }
        await Promise.all(disconnected);
        assert.deepEqual(await srv.exit, { code: 0, signal: null });
        assert.ok(Date.now() - started < 3000 + 3000, `exit took ${Date.now() - started} ms`);
        assert.doesNotMatch(srv.log, /AddressSanitizer|runtime error:/);
    });
});

describe('SIGHUP reload', () => {
    const fingerprint = (port) => new Promise((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
            resolve(s.getPeerCertificate().fingerprint256);
            s.end();
        });
        s.once('error', reject);
    });

    it('swaps the TLS certificate while a client stays connected; a bad file keeps the old one', async () => {
        const a = makeTestCertificate();
        const b = makeTestCertificate();
        const dir = scratch();
        const cert = join(dir, 'cert.pem');
        const key = join(dir, 'key.pem');
        copyFileSync(a.certFile, cert);
        copyFileSync(a.keyFile, key);
        const srv = await launch(['--tls-cert', cert, '--tls-key', key]);
        srv.url = `https://127.0.0.1:${srv.port}`;
        try {
            const client = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('hup') });
            const first = await fingerprint(srv.port);

            copyFileSync(b.certFile, cert);
            copyFileSync(b.keyFile, key);
            srv.proc.kill('SIGHUP');
            let second = first;
            for (let i = 0; i < 50 && second === first; ++i) {
                await delay(100);
                second = await fingerprint(srv.port);
            }
            assert.notEqual(second, first, 'the new certificate is served after SIGHUP');
            await client.sync(); // the connection made before the reload still works
            assert.equal(client.socket.connected, true);

            writeFileSync(cert, 'not a certificate');
            srv.proc.kill('SIGHUP');
            for (let i = 0; i < 50 && !/keeping the old TLS certificate/.test(srv.log); ++i) await delay(100);
            assert.match(srv.log, /keeping the old TLS certificate/);
            assert.equal(await fingerprint(srv.port), second);
            client.close();
        } finally {
            srv.proc.kill('SIGTERM');
            assert.deepEqual(await srv.exit, { code: 0, signal: null });
            a.remove();
            b.remove();
            rmSync(dir, { recursive: true, force: true });
        }
    });
});
