// Shared helpers for the integration suites: run the real switchboard binary on a loopback port,
// talk to it with socket.io-client 4 and 2, raw Engine.IO over websocket and polling, and EasyRTC.
// Every wait has a timeout so a wrong server fails a test instead of hanging it.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { io as ioV4 } from 'socket.io-client';
import WebSocket from 'ws';

const require = createRequire(import.meta.url);
const ioV2 = require('socket.io-client-v2');

export const BIN =
    process.env.SWITCHBOARD_BIN || fileURLToPath(new URL('../../build/switchboard', import.meta.url));

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 5_000;
const DEFAULT_TIMEOUT_MS = 5_000;
const SANITIZER_MARKERS = ['ERROR: AddressSanitizer', 'ERROR: LeakSanitizer', 'runtime error:',
    'WARNING: ThreadSanitizer'];

export const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Resolves with `promise`, or rejects naming `what` after `ms`.
function withTimeout(promise, ms, what) {
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    });
    return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Resolves with the first argument of `event` on a socket.io or ws emitter; rejects on any of
// `failOn` or after `ms`.
export function waitEvent(emitter, event, { ms = DEFAULT_TIMEOUT_MS, failOn = [] } = {}) {
    return new Promise((resolve, reject) => {
        const handlers = [];
        const cleanup = () => {
            clearTimeout(timer);
            for (const [name, fn] of handlers) emitter.off(name, fn);
        };
        const on = (name, fn) => {
            handlers.push([name, fn]);
            emitter.on(name, fn);
        };
        const timer = setTimeout(() => {
            cleanup();
            reject(new Error(`timed out after ${ms} ms waiting for '${event}'`));
        }, ms);
        on(event, (first) => {
            cleanup();
            resolve(first);
        });
        for (const name of failOn) {
            on(name, (err) => {
                cleanup();
                reject(new Error(`'${name}' while waiting for '${event}': ${err?.message ?? err}`));
            });
        }
    });
}

// ---------------------------------------------------------------------------------------------
// TLS

// A throwaway self-signed certificate for localhost and 127.0.0.1, made with the openssl CLI.
export function makeTestCertificate() {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-tls-'));
    const certFile = join(dir, 'cert.pem');
    const keyFile = join(dir, 'key.pem');
    execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-days', '1', '-subj', '/CN=localhost',
        '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout', keyFile, '-out', certFile,
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    return { dir, certFile, keyFile, ca: readFileSync(certFile), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

// ---------------------------------------------------------------------------------------------
// The server process

export class SwitchboardProcess {
    #flags;
    #env;
    #wantTls;
    #proc = null;
    #exit = null; // resolves with {code, signal}
    #exited = null;
    #stopped = false;
    #closers = new Set();
    log = '';

    constructor(flags = [], { env = {}, tls = false } = {}) {
        this.#flags = flags;
        this.#env = env;
        this.#wantTls = tls;
        this.tls = null;
    }

    // The server's process id, to send it signals (SIGHUP reloads).
    get pid() { return this.#proc?.pid; }
    get httpUrl() { return `http://${this.host}:${this.port}`; }
    get httpsUrl() { return `https://${this.host}:${this.port}`; }
    // The URL clients use by default: TLS when the server has a certificate.
    get url() { return this.tls ? this.httpsUrl : this.httpUrl; }
    get wsUrl() { return `${this.tls ? 'wss' : 'ws'}://${this.host}:${this.port}`; }
    get ca() { return this.tls?.ca; }

    async start() {
        const args = ['--listen', '127.0.0.1:0', ...this.#flags];
        if (this.#wantTls) this.tls = makeTestCertificate();
        if (this.tls) args.push('--tls-cert', this.tls.certFile, '--tls-key', this.tls.keyFile);
        // Only what the test asks for: a developer's SWITCHBOARD_* variables must not leak in.
        // A short shutdown drain keeps a straggling connection from outlasting STOP_GRACE_MS;
        // given as a variable, it is simply ignored by a server without that option.
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('SWITCHBOARD_')));
        env.SWITCHBOARD_DRAIN_TIMEOUT_MS = '1000';
        // The ThreadSanitizer run (scripts/test) serves every suite with several I/O threads.
        if (process.env.SWITCHBOARD_TEST_THREADS) env.SWITCHBOARD_THREADS = process.env.SWITCHBOARD_TEST_THREADS;
        const proc = spawn(BIN, args, { env: { ...env, ...this.#env }, stdio: ['ignore', 'pipe', 'pipe'] });
        this.#proc = proc;
        // 'close' rather than 'exit': a sanitizer report may still be in the pipes at exit.
        this.#exit = new Promise((resolve) => proc.once('close', (code, signal) => {
            this.#exited = { code, signal };
            resolve(this.#exited);
        }));
        const echo = process.env.SWITCHBOARD_TEST_LOG === '1';
        let found = false;
        const listening = new Promise((resolve, reject) => {
            proc.once('error', reject);
            const scan = (chunk) => {
                const text = chunk.toString();
                this.log += text;
                if (echo) process.stderr.write(text);
                const m = found ? null : /listening on ([0-9.]+):(\d+)/.exec(this.log);
                if (m) {
                    found = true;
                    resolve({ host: m[1], port: Number(m[2]) });
                }
            };
            proc.stdout.on('data', scan);
            proc.stderr.on('data', scan);
            this.#exit.then(({ code, signal }) =>
                reject(new Error(`exited (code ${code}, signal ${signal}) before listening`)));
        });
        try {
            const { host, port } = await withTimeout(listening, START_TIMEOUT_MS, `"listening on" from ${BIN}`);
            this.host = host;
            this.port = port;
        } catch (err) {
            proc.kill('SIGKILL');
            throw new Error(`${BIN} ${args.join(' ')}: ${err.message}\n--- server log ---\n${this.log}`);
        }
    }

    // Registers a function that closes a client when the server is stopped, so no test leaves
    // handles that keep node alive.
    track(close) {
        this.#closers.add(close);
    }

    // Closes every tracked client, sends SIGTERM (SIGKILL after 5 s) and throws if the process
    // crashed, died early, ignored SIGTERM, or printed a sanitizer report.
    async stop() {
        if (this.#stopped || !this.#proc) return;
        this.#stopped = true;
        for (const close of this.#closers) {
            try { close(); } catch { /* already gone */ }
        }
        this.#closers.clear();
        const problems = [];
        if (this.#exited) {
            problems.push(`server exited during the tests (code ${this.#exited.code}, signal ${this.#exited.signal})`);
        } else {
            this.#proc.kill('SIGTERM');
            const exit = await Promise.race([this.#exit, delay(STOP_GRACE_MS).then(() => null)]);
            if (!exit) {
                problems.push(`server did not exit within ${STOP_GRACE_MS} ms of SIGTERM`);
                this.#proc.kill('SIGKILL');
                await this.#exit;
            } else if (exit.signal !== null && exit.signal !== 'SIGTERM') {
                problems.push(`server died of ${exit.signal}`);
            } else if (exit.code !== null && exit.code !== 0) {
                problems.push(`server exited with code ${exit.code} after SIGTERM`);
            }
        }
        for (const marker of SANITIZER_MARKERS) {
            if (this.log.includes(marker)) problems.push(`server printed "${marker}"`);
        }
        this.tls?.remove();
        if (problems.length) {
            throw new Error(`${problems.join('; ')}\n--- server log ---\n${logExcerpt(this.log)}`);
        }
    }

    assertRunning() {
        assert.equal(this.#exited, null, `server exited: ${JSON.stringify(this.#exited)}\n${logExcerpt(this.log)}`);
    }
}

// A long log (sanitizer stack traces run to megabytes) cut to its start, the first sanitizer
// report and its end.
function logExcerpt(log, part = 4000) {
    if (log.length <= 3 * part) return log;
    const at = Math.min(...SANITIZER_MARKERS.map((m) => log.indexOf(m)).filter((i) => i >= 0));
    const pieces = [log.slice(0, part)];
    if (Number.isFinite(at)) pieces.push(log.slice(Math.max(0, at - 200), at + part));
    pieces.push(log.slice(-part));
    return pieces.join('\n[...]\n');
}

// Inside a describe(): starts a server before its tests and stops it after them. Call
// `srv.stopsCleanly()` last in the describe so a crash shows up as a failing test.
export function useServer(flags = [], options = {}) {
    const srv = new SwitchboardProcess(flags, options);
    before(() => srv.start());
    after(() => srv.stop());
    srv.stopsCleanly = () => it('server stops cleanly on SIGTERM, no crash or sanitizer report', () => srv.stop());
    return srv;
}

// ---------------------------------------------------------------------------------------------
// HTTP

// One request on a fresh connection (no keep-alive pool to outlive the test).
export function httpRequest(url, { method = 'GET', body, headers = {}, ca, timeout = DEFAULT_TIMEOUT_MS } = {}) {
    const u = new URL(url);
    const lib = u.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
        const req = lib.request(u, { method, headers, ca, agent: false }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
        });
        req.setTimeout(timeout, () => req.destroy(new Error(`${method} ${url}: no response within ${timeout} ms`)));
        req.on('error', reject);
        req.end(body);
    });
}

export async function healthz(srv, { url = srv.url } = {}) {
    const res = await httpRequest(`${url}/healthz`, { ca: srv.ca });
    assert.equal(res.status, 200, `GET /healthz: ${res.status} ${res.body}`);
    return JSON.parse(res.body);
}

// Polls /healthz until its connection count equals `count`.
export async function waitForConnections(srv, count, ms = DEFAULT_TIMEOUT_MS) {
    const deadline = Date.now() + ms;
    let last;
    while (Date.now() < deadline) {
        last = await healthz(srv);
        if (last.connections === count) return last;
        await delay(50);
    }
    assert.fail(`/healthz connections stayed ${last?.connections}, expected ${count} within ${ms} ms`);
}

// ---------------------------------------------------------------------------------------------
// socket.io-client

// Connects a socket.io client (`client: 'v4'` or `'v2'` for EIO=3) and waits for `connect`.
export async function connectSocket(srv, { client = 'v4', url = srv.url, ms = DEFAULT_TIMEOUT_MS, ...options } = {}) {
    const io = client === 'v2' ? ioV2 : ioV4;
    const socket = io(url, { reconnection: false, forceNew: true, rejectUnauthorized: false, ...options });
    srv.track(() => socket.close());
    await waitEvent(socket, 'connect', { ms, failOn: ['connect_error', 'error', 'disconnect'] });
    return socket;
}

export const engineOf = (socket) => socket.io.engine;
export const transportName = (socket) => socket.io.engine.transport.name;

// Waits until a socket.io client's engine runs over the websocket.
export async function waitForUpgrade(socket, ms = DEFAULT_TIMEOUT_MS) {
    if (transportName(socket) === 'websocket') return;
    await waitEvent(engineOf(socket), 'upgrade', { ms, failOn: ['upgradeError', 'close'] });
}

// Drops a client's TCP connection without any closing handshake, as a vanished peer would.
// Needs the websocket transport (waits for an upgrade in progress).
export async function vanish(socket) {
    await waitForUpgrade(socket);
    engineOf(socket).transport.ws._socket.destroy();
}

// Emits with an ack callback and resolves with the ack's single argument.
export function emitAck(socket, event, payload, ms = DEFAULT_TIMEOUT_MS) {
    return withTimeout(new Promise((resolve, reject) => {
        socket.emit(event, payload, (...args) => {
            if (args.length !== 1) reject(new Error(`ack for ${event} had ${args.length} arguments: ${JSON.stringify(args)}`));
            else resolve(args[0]);
        });
    }), ms, `ack of ${event} ${JSON.stringify(payload).slice(0, 300)}`);
}

// ---------------------------------------------------------------------------------------------
// EasyRTC

const API_VERSION = '1.1.1-beta';
const USER_CFG = {
    userSettings: {
        sharingAudio: true, sharingVideo: true, sharingData: false, nativeVideoWidth: 640, nativeVideoHeight: 480, language: 'en-US',
    },
};

export function authenticateMessage(fields = {}) {
    return { msgType: 'authenticate', msgData: { apiVersion: API_VERSION, setUserCfg: USER_CFG, ...fields } };
}

let appCounter = 0;
// A fresh application name, so each test sees only its own clients.
export const uniqueApp = (tag = 'app') => `sbtest.${tag}.${process.pid}.${++appCounter}`;

// Predicates over recorded pushes.
export const isCmd = (msgType) => (p) => p.event === 'easyrtcCmd' && p.msg.msgType === msgType;
export const isMsg = (msgType) => (p) => p.event === 'easyrtcMsg' && p.msg.msgType === msgType;
export const isDelta = (room, kind, easyrtcid) => (p) =>
    isCmd('roomData')(p) && p.msg.msgData?.roomData?.[room]?.clientListDelta?.[kind]?.[easyrtcid] !== undefined;

// An EasyRTC client over a socket.io socket: acks every push like easyrtc.js does, records them,
// and lets tests wait for (and consume) pushes matching a predicate.
export class EasyrtcClient {
    pushes = [];
    #waiters = [];

    constructor(socket, name = 'client') {
        this.socket = socket;
        this.name = name;
        for (const event of ['easyrtcCmd', 'easyrtcMsg']) {
            socket.on(event, (msg, ack) => {
                const hadAck = typeof ack === 'function';
                if (hadAck) ack({ msgType: 'ack' });
                this.#record({ event, msg, hadAck, consumed: false });
            });
        }
    }

    static async connect(srv, { name, ...options } = {}) {
        return new EasyrtcClient(await connectSocket(srv, options), name);
    }

    // Connects and signs in; `fields` go into the authenticate msgData.
    static async signIn(srv, fields = {}, options = {}) {
        const client = await EasyrtcClient.connect(srv, { name: fields.username, ...options });
        await client.signIn(fields);
        return client;
    }

    #record(push) {
        this.pushes.push(push);
        for (const w of this.#waiters) {
            if (!push.consumed && w.pred(push)) {
                push.consumed = true;
                w.resolve(push.msg);
            }
        }
        this.#waiters = this.#waiters.filter((w) => !w.done());
    }

    authenticate(fields = {}, ms) {
        return emitAck(this.socket, 'easyrtcAuth', authenticateMessage(fields), ms);
    }

    // Authenticates and asserts a token came back; returns the token's msgData.
    async signIn(fields = {}) {
        const ack = await this.authenticate(fields);
        assert.equal(ack?.msgType, 'token', `${this.name}: authenticate failed: ${JSON.stringify(ack)}`);
        this.token = ack.msgData;
        this.id = ack.msgData.easyrtcid;
        return ack.msgData;
    }

    cmd(msgType, fields = {}, ms) {
        return emitAck(this.socket, 'easyrtcCmd', { msgType, ...fields }, ms);
    }

    msg(fields, ms) {
        return emitAck(this.socket, 'easyrtcMsg', fields, ms);
    }

    // Resolves with the first unconsumed push matching `pred` (already received or yet to come)
    // and marks it consumed.
    waitPush(pred, { ms = DEFAULT_TIMEOUT_MS, what = 'a matching push' } = {}) {
        const found = this.pushes.find((p) => !p.consumed && pred(p));
        if (found) {
            found.consumed = true;
            return Promise.resolve(found.msg);
        }
        let settled = false;
        const promise = new Promise((resolve) => {
            this.#waiters.push({ pred, resolve: (m) => { settled = true; resolve(m); }, done: () => settled });
        });
        return withTimeout(promise, ms, `${this.name}: ${what}; got ${JSON.stringify(this.pushes.map((p) => p.msg)).slice(0, 2000)}`)
            .finally(() => { settled = true; this.#waiters = this.#waiters.filter((w) => !w.done()); });
    }

    // A round trip: every push the server emitted to us before answering it has arrived by then.
    async sync() {
        const ack = await this.cmd('getIceConfig', { msgData: {} });
        assert.equal(ack.msgType, 'iceConfig', `${this.name}: sync failed: ${JSON.stringify(ack)}`);
    }

    unconsumed(pred = () => true) {
        return this.pushes.filter((p) => !p.consumed && pred(p)).map((p) => p.msg);
    }

    // After a sync(), asserts nothing matching `pred` was received and left unconsumed.
    async assertNoPush(pred, what) {
        await this.sync();
        assert.deepEqual(this.unconsumed(pred), [], `${this.name} got unexpected ${what}`);
    }

    // Marks everything received so far as seen.
    clear() {
        for (const p of this.pushes) p.consumed = true;
    }

    vanish() { return vanish(this.socket); }
    close() { this.socket.close(); }
}

// Signs in one client per username, in order, into `applicationName`; then lets every push
// caused by those sign-ins arrive and marks them seen, so tests start from a quiet state.
export async function signInPeers(srv, applicationName, usernames, fields = {}, options = {}) {
    const clients = [];
    for (const username of usernames) {
        clients.push(await EasyrtcClient.signIn(srv, { applicationName, username, ...fields }, options));
    }
    await settle(clients);
    return clients;
}

export async function settle(clients) {
    for (const c of clients) await c.sync();
    for (const c of clients) c.clear();
}

// Asserts an ack is the EasyRTC error `code`: {msgType:"error", serverTime, msgData:{errorCode, errorText}}.
export function assertError(ack, code, context = '') {
    const what = `${context} expected error ${code}, got ${JSON.stringify(ack)}`;
    assert.equal(ack?.msgType, 'error', what);
    assert.equal(ack.msgData?.errorCode, code, what);
    assert.ok(typeof ack.msgData.errorText === 'string' && ack.msgData.errorText.length > 0, `no errorText: ${what}`);
    assert.equal(typeof ack.serverTime, 'number', `no serverTime: ${what}`);
}

export const ACK = { msgType: 'ack' };

// Sends easyrtcCmd stillAlive every `everyMs` until the returned function is called.
export function keepStillAlive(client, everyMs) {
    const timer = setInterval(() => client.cmd('stillAlive', { msgData: {} }).catch(() => {}), everyMs);
    return () => clearInterval(timer);
}

// ---------------------------------------------------------------------------------------------
// Raw Engine.IO

// A websocket speaking raw Engine.IO text frames: records every frame, answers nothing by itself.
export class RawWebSocket {
    frames = [];
    #waiters = [];

    constructor(srv, { eio = 4, query = '' } = {}) {
        this.openedAt = Date.now();
        this.ws = new WebSocket(`${srv.wsUrl}/socket.io/?EIO=${eio}&transport=websocket${query}`, { ca: srv.ca });
        this.ws.on('message', (data) => {
            this.frames.push({ text: data.toString(), at: Date.now() });
            this.#wake();
        });
        this.ws.on('error', () => {}); // surfaced through `closed`
        this.closed = new Promise((resolve) => this.ws.once('close', (code) => {
            this.closedAt = Date.now();
            resolve({ code, at: this.closedAt });
            this.#wake();
        }));
        srv.track(() => this.ws.terminate());
    }

    static async open(srv, options) {
        const raw = new RawWebSocket(srv, options);
        await waitEvent(raw.ws, 'open', { failOn: ['error', 'close'] });
        raw.open = JSON.parse((await raw.next((t) => t.startsWith('0'), 'the open packet')).slice(1));
        return raw;
    }

    // Opens, sends socket.io CONNECT and waits for its answer (EIO=4); with EIO=3 waits for the
    // server's unasked `40`.
    static async connect(srv, { eio = 4, ...options } = {}) {
        const raw = await RawWebSocket.open(srv, { eio, ...options });
        if (eio === 4) raw.send('40');
        raw.connectPacket = await raw.next((t) => t.startsWith('40'), 'socket.io CONNECT');
        return raw;
    }

    #wake() {
        for (const w of this.#waiters) w();
    }

    send(text) { this.ws.send(text); }

    // Resolves with the first frame matching `pred` not yet taken by an earlier next(), and takes it.
    next(pred = () => true, what = 'a frame', ms = DEFAULT_TIMEOUT_MS) {
        let wake;
        let done = false;
        const promise = new Promise((resolve, reject) => {
            wake = () => {
                if (done) return;
                const f = this.frames.find((x) => !x.taken && pred(x.text));
                if (f) {
                    done = true;
                    f.taken = true;
                    resolve(f.text);
                } else if (this.closedAt) {
                    done = true;
                    reject(new Error(`closed while waiting for ${what}`));
                }
            };
            this.#waiters.push(wake);
            wake();
        });
        return withTimeout(promise, ms, `${what}; frames ${JSON.stringify(this.frames.map((f) => f.text)).slice(0, 1000)}`)
            .finally(() => {
                done = true;
                this.#waiters = this.#waiters.filter((w) => w !== wake);
            });
    }

    waitClosed(ms = DEFAULT_TIMEOUT_MS) {
        return withTimeout(this.closed, ms, 'the server to close the websocket');
    }

    // Sends socket.io EVENT with ack id `id` and resolves with the ack's argument.
    async emitAck(id, event, payload) {
        this.send(`42${id}${JSON.stringify([event, payload])}`);
        const frame = await this.next((t) => t.startsWith(`43${id}[`), `ack ${id} of ${event}`);
        return JSON.parse(frame.slice(2 + String(id).length))[0];
    }

    destroy() { this.ws._socket?.destroy(); }
}

// Engine.IO payload codecs for the polling transport.
const encodeV4 = (packets) => packets.join('\x1e');
const decodeV4 = (body) => (body === '' ? [] : body.split('\x1e'));
const encodeV3 = (packets) => packets.map((p) => `${p.length}:${p}`).join('');
function decodeV3(body) {
    const packets = [];
    let i = 0;
    while (i < body.length) {
        const colon = body.indexOf(':', i);
        assert.ok(colon > i, `bad v3 payload at ${i}: ${JSON.stringify(body)}`);
        const len = Number(body.slice(i, colon));
        assert.ok(Number.isInteger(len) && colon + 1 + len <= body.length, `bad v3 length at ${i}: ${JSON.stringify(body)}`);
        packets.push(body.slice(colon + 1, colon + 1 + len));
        i = colon + 1 + len;
    }
    return packets;
}

// An Engine.IO session over raw HTTP long-polling.
export class RawPolling {
    constructor(srv, eio, sid, open, first) {
        this.srv = srv;
        this.eio = eio;
        this.sid = sid;
        this.open = open;
        this.leftover = first; // packets that came with the handshake after the open packet
    }

    static url(srv, eio, extra = '') {
        return `${srv.url}/socket.io/?EIO=${eio}&transport=polling&t=${Date.now().toString(36)}${extra}`;
    }

    static async handshake(srv, { eio = 4, headers } = {}) {
        const res = await httpRequest(RawPolling.url(srv, eio), { ca: srv.ca, headers });
        assert.equal(res.status, 200, `handshake: ${res.status} ${res.body}`);
        const packets = eio === 4 ? decodeV4(res.body) : decodeV3(res.body);
        assert.ok(packets[0]?.startsWith('0{'), `handshake body: ${res.body}`);
        const open = JSON.parse(packets[0].slice(1));
        const session = new RawPolling(srv, eio, open.sid, open, packets.slice(1));
        session.response = res;
        return session;
    }

    #encode(packets) { return this.eio === 4 ? encodeV4(packets) : encodeV3(packets); }
    #decode(body) { return this.eio === 4 ? decodeV4(body) : decodeV3(body); }

    async post(packets) {
        const res = await httpRequest(RawPolling.url(this.srv, this.eio, `&sid=${this.sid}`), {
            method: 'POST', body: this.#encode(packets), ca: this.srv.ca,
            headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
        });
        assert.equal(res.status, 200, `POST: ${res.status} ${res.body}`);
        assert.equal(res.body, 'ok');
    }

    // One long-poll GET; resolves with its packets.
    async poll(ms = DEFAULT_TIMEOUT_MS) {
        const res = await httpRequest(RawPolling.url(this.srv, this.eio, `&sid=${this.sid}`), { ca: this.srv.ca, timeout: ms });
        assert.equal(res.status, 200, `GET: ${res.status} ${res.body}`);
        return this.#decode(res.body);
    }

    // Polls until a packet matching `pred` arrives, answering pings (EIO=4) on the way; returns
    // every packet seen up to and including it.
    async pollUntil(pred, ms = DEFAULT_TIMEOUT_MS) {
        const seen = [...this.leftover];
        this.leftover = [];
        const deadline = Date.now() + ms;
        while (!seen.some(pred)) {
            const left = deadline - Date.now();
            assert.ok(left > 0, `no matching packet within ${ms} ms; got ${JSON.stringify(seen)}`);
            const packets = await this.poll(left);
            if (this.eio === 4 && packets.includes('2')) await this.post(['3']);
            seen.push(...packets);
        }
        return seen;
    }
}
