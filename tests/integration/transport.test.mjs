// Engine.IO / socket.io transport as real clients speak it (issue 2): socket.io-client 4 over
// websocket, polling and the upgrade between them, socket.io-client 2 (EIO=3), heartbeats, raw
// protocol answers, TLS on the same port, and the connection count in /healthz.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
    RawPolling, RawWebSocket, EasyrtcClient, connectSocket, delay, emitAck, authenticateMessage,
    engineOf, healthz, httpRequest, transportName, useServer, vanish, waitEvent, waitForConnections,
    waitForUpgrade,
} from './harness.mjs';

const PING_INTERVAL_MS = 300;
const PING_TIMEOUT_MS = 600; // generous: a loaded 2-core machine running an ASan build must not miss it
const HEARTBEAT_FLAGS = ['--ping-interval-ms', String(PING_INTERVAL_MS), '--ping-timeout-ms', String(PING_TIMEOUT_MS)];
const DEAD_AFTER_MS = PING_INTERVAL_MS + PING_TIMEOUT_MS;
const HOLD_MS = 3 * DEAD_AFTER_MS;

const CLIENTS = [
    { name: 'socket.io-client 4, websocket only', client: 'v4', transports: ['websocket'], expect: 'websocket' },
    { name: 'socket.io-client 4, polling upgraded to websocket', client: 'v4', upgrade: true, expect: 'websocket' },
    { name: 'socket.io-client 4, polling only', client: 'v4', transports: ['polling'], expect: 'polling' },
    { name: 'socket.io-client 2 (EIO=3), polling upgraded to websocket', client: 'v2', upgrade: true, expect: 'websocket' },
    { name: 'socket.io-client 2 (EIO=3), websocket only', client: 'v2', transports: ['websocket'], expect: 'websocket' },
    { name: 'socket.io-client 2 (EIO=3), polling only', client: 'v2', transports: ['polling'], expect: 'polling' },
];

// Connects, checks the transport, stays connected through several heartbeats, and completes an
// ack round trip (easyrtcAuth → token).
async function connectHoldAndAck(srv, c, url = srv.url) {
    const socket = await connectSocket(srv, { url, client: c.client, ...(c.transports && { transports: c.transports }) });
    if (c.upgrade) await waitForUpgrade(socket);
    assert.equal(transportName(socket), c.expect);

    let disconnected = null;
    socket.on('disconnect', (reason) => { disconnected = reason; });
    // EIO=4: the server pings; EIO=3: the client pings and the server answers with a pong.
    let heartbeats = 0;
    engineOf(socket).on(c.client === 'v4' ? 'ping' : 'pong', () => { heartbeats++; });
    await delay(HOLD_MS);
    assert.equal(disconnected, null, `disconnected during ${HOLD_MS} ms: ${disconnected}`);
    assert.ok(socket.connected);
    assert.ok(heartbeats >= 2, `only ${heartbeats} heartbeats in ${HOLD_MS} ms`);
    assert.equal(transportName(socket), c.expect);

    const ack = await emitAck(socket, 'easyrtcAuth', authenticateMessage({ applicationName: 'transport.test' }));
    assert.equal(ack.msgType, 'token', JSON.stringify(ack));
    assert.equal(typeof ack.msgData.easyrtcid, 'string');
    socket.close();
}

// Connects, then stops the client's heartbeat (EIO=4: no pongs; EIO=3: no pings, and no
// client-side timeout either): the server must drop it, and the client must see that.
async function goSilentAndGetDropped(srv, c) {
    const socket = await connectSocket(srv, { client: c.client, ...(c.transports && { transports: c.transports }) });
    if (c.upgrade) await waitForUpgrade(socket);
    const engine = engineOf(socket);
    if (c.client === 'v4') {
        engine._sendPacket = () => {};
    } else {
        engine.ping = () => {};
        engine.onHeartbeat = () => {};
        engine.off('heartbeat');
        clearTimeout(engine.pingTimeoutTimer);
    }
    const reason = await waitEvent(socket, 'disconnect', { ms: DEAD_AFTER_MS + 3000 });
    assert.ok(!['ping timeout', 'io client disconnect'].includes(reason), `disconnect reason: ${reason}`);
}

describe('socket.io clients over plain HTTP', () => {
    const srv = useServer(HEARTBEAT_FLAGS);
    describe('connect and stay', { concurrency: true }, () => {
        for (const c of CLIENTS) {
            it(`${c.name}: connects, outlives pingInterval+pingTimeout, acks`, () => connectHoldAndAck(srv, c));
        }
    });
    describe('go silent', { concurrency: true }, () => {
        for (const c of CLIENTS) {
            it(`${c.name}: dropped by the server when its heartbeat stops`, () => goSilentAndGetDropped(srv, c));
        }
    });
    srv.stopsCleanly();
});

describe('socket.io clients over TLS on the same port', () => {
    const srv = useServer(HEARTBEAT_FLAGS, { tls: true });
    describe('connect and stay', { concurrency: true }, () => {
        for (const c of CLIENTS) {
            it(`${c.name} over https/wss: connects, outlives pingInterval+pingTimeout, acks`, () => connectHoldAndAck(srv, c));
        }
        it('plain websocket and upgrading clients work beside TLS ones', async () => {
            await Promise.all([
                connectHoldAndAck(srv, CLIENTS[0], srv.httpUrl),
                connectHoldAndAck(srv, CLIENTS[1], srv.httpUrl),
            ]);
        });
    });
    it('plain HTTP and HTTPS are both served on the port', async () => {
        assert.equal((await healthz(srv, { url: srv.httpsUrl })).status, 'ok');
        assert.equal((await healthz(srv, { url: srv.httpUrl })).status, 'ok');
    });
    it('a silent wss client is dropped', () => goSilentAndGetDropped(srv, CLIENTS[0]));
    srv.stopsCleanly();
});

describe('--tls-only', () => {
    const srv = useServer([...HEARTBEAT_FLAGS, '--tls-only'], { tls: true });
    it('serves HTTPS and refuses plain HTTP', async () => {
        assert.equal((await healthz(srv, { url: srv.httpsUrl })).status, 'ok');
        const plain = await httpRequest(`${srv.httpUrl}/healthz`).catch((err) => err);
        assert.ok(plain instanceof Error || plain.status >= 400, `plain HTTP got ${plain.status} ${plain.body}`);
        await connectHoldAndAck(srv, CLIENTS[1]);
    });
    srv.stopsCleanly();
});

describe('heartbeat: raw websocket clients', () => {
    const srv = useServer(HEARTBEAT_FLAGS);
    describe('side by side', { concurrency: true }, () => {
        it('EIO=4 websocket that never answers pings is closed after pingInterval+pingTimeout', async () => {
            const raw = await RawWebSocket.connect(srv);
            const connectedAt = Date.now();
            assert.equal(raw.open.pingInterval, PING_INTERVAL_MS);
            assert.equal(raw.open.pingTimeout, PING_TIMEOUT_MS);
            assert.deepEqual(raw.open.upgrades, []);
            const { at } = await raw.waitClosed(DEAD_AFTER_MS + 3000);
            assert.ok(raw.frames.some((f) => f.text === '2'), `no ping before close: ${JSON.stringify(raw.frames)}`);
            const lived = at - connectedAt;
            assert.ok(lived >= DEAD_AFTER_MS - 150, `closed too early, after ${lived} ms`);
        });

        it('EIO=4 websocket that answers pings stays open', async () => {
            const raw = await RawWebSocket.connect(srv);
            raw.ws.on('message', (d) => { if (d.toString() === '2') raw.send('3'); });
            await delay(HOLD_MS);
            assert.equal(raw.closedAt, undefined, 'closed although it answered every ping');
            assert.ok(raw.frames.filter((f) => f.text === '2').length >= 2);
            raw.ws.close();
        });

        it('EIO=3 websocket that never pings is closed after pingInterval+pingTimeout', async () => {
            const raw = await RawWebSocket.connect(srv, { eio: 3 });
            const connectedAt = Date.now();
            assert.equal(raw.connectPacket, '40');
            const { at } = await raw.waitClosed(DEAD_AFTER_MS + 3000);
            assert.ok(at - connectedAt >= DEAD_AFTER_MS - 150, `closed too early, after ${at - connectedAt} ms`);
            assert.ok(!raw.frames.some((f) => f.text === '2'), 'an EIO=3 server must not ping');
        });

        it('EIO=3 server answers a client ping with a pong', async () => {
            const raw = await RawWebSocket.connect(srv, { eio: 3 });
            raw.send('2');
            assert.equal(await raw.next((t) => t.startsWith('3'), 'pong'), '3');
            raw.ws.close();
        });
    });
    srv.stopsCleanly();
});

describe('connection count in /healthz', () => {
    const srv = useServer(HEARTBEAT_FLAGS);

    it('starts at zero', async () => {
        const h = await healthz(srv);
        assert.equal(h.status, 'ok');
        assert.equal(h.connections, 0);
    });

    it('counts every kind of open connection and returns to zero after they vanish', async () => {
        const ws4 = await connectSocket(srv, { transports: ['websocket'] });
        const up4 = await connectSocket(srv);
        await waitForUpgrade(up4);
        const ws2 = await connectSocket(srv, { client: 'v2', transports: ['websocket'] });
        const raw = await RawWebSocket.connect(srv);
        const polling = await RawPolling.handshake(srv);
        await polling.post(['40']);
        await polling.pollUntil((p) => p.startsWith('40'));
        await waitForConnections(srv, 5);

        await Promise.all([ws4, up4, ws2].map(vanish));
        raw.destroy();
        // The polling session simply stops polling.
        await waitForConnections(srv, 0, DEAD_AFTER_MS + 3000);
    });

    it('returns to zero after orderly closes too', async () => {
        const a = await connectSocket(srv, { transports: ['websocket'] });
        const b = await connectSocket(srv, { transports: ['polling'] });
        await waitForConnections(srv, 2);
        a.close();
        b.close();
        await waitForConnections(srv, 0, 2000);
    });
    srv.stopsCleanly();
});

describe('raw protocol answers', () => {
    const srv = useServer([...HEARTBEAT_FLAGS, '--max-payload-bytes', '200000']);

    it('EIO=4 polling handshake returns the open packet', async () => {
        const s = await RawPolling.handshake(srv, { headers: { Origin: 'http://example.test' } });
        assert.match(s.response.headers['content-type'], /^text\/plain/);
        assert.ok(['*', 'http://example.test'].includes(s.response.headers['access-control-allow-origin']),
            `CORS: ${s.response.headers['access-control-allow-origin']}`);
        assert.deepEqual(Object.keys(s.open).sort(), ['maxPayload', 'pingInterval', 'pingTimeout', 'sid', 'upgrades']);
        assert.match(s.open.sid, /^[A-Za-z0-9_-]{16,}$/);
        assert.deepEqual(s.open.upgrades, ['websocket']);
        assert.equal(s.open.pingInterval, PING_INTERVAL_MS);
        assert.equal(s.open.pingTimeout, PING_TIMEOUT_MS);
        assert.equal(s.open.maxPayload, 200000);
        assert.deepEqual(s.leftover, []);
    });

    it('EIO=4 websocket handshake offers no upgrades', async () => {
        const raw = await RawWebSocket.open(srv);
        assert.deepEqual(raw.open.upgrades, []);
        assert.equal(raw.open.maxPayload, 200000);
        raw.ws.close();
    });

    it('unknown sid answers 400 {"code":1,"message":"Session ID unknown"}', async () => {
        const res = await httpRequest(RawPolling.url(srv, 4, '&sid=NoSuchSessionAAAAAAA'));
        assert.equal(res.status, 400);
        assert.match(res.headers['content-type'], /^application\/json/);
        assert.deepEqual(JSON.parse(res.body), { code: 1, message: 'Session ID unknown' });
    });

    it('unknown transport answers 400 {"code":0,"message":"Transport unknown"}', async () => {
        const res = await httpRequest(`${srv.url}/socket.io/?EIO=4&transport=carrier-pigeon`);
        assert.equal(res.status, 400);
        assert.deepEqual(JSON.parse(res.body), { code: 0, message: 'Transport unknown' });
    });

    it('EIO=3 polling handshake is length-framed and the server sends 40 unasked', async () => {
        const res = await httpRequest(RawPolling.url(srv, 3));
        assert.equal(res.status, 200);
        const m = /^(\d+):(0\{.*?\})(?=\d+:|$)/.exec(res.body);
        assert.ok(m, `not <len>:0{...}: ${res.body}`);
        assert.equal(Number(m[1]), m[2].length);
        const s = await RawPolling.handshake(srv, { eio: 3 });
        assert.deepEqual(s.open.upgrades, ['websocket']);
        const seen = await s.pollUntil((p) => p.startsWith('40'));
        assert.ok(seen.includes('40'), `expected a bare 40, got ${JSON.stringify(seen)}`);
    });

    it('EIO=4 polling: POSTs, joined packets, long-poll answers and the held poll carries pings', async () => {
        const s = await RawPolling.handshake(srv);
        await s.post(['40']);
        assert.match((await s.pollUntil((p) => p.startsWith('40'))).find((p) => p.startsWith('40')), /^40\{"sid":"[^"]+"\}$/);
        await s.post([`420${JSON.stringify(['easyrtcAuth', authenticateMessage({ applicationName: 'raw.polling' })])}`]);
        const token = JSON.parse((await s.pollUntil((p) => p.startsWith('430'))).find((p) => p.startsWith('430')).slice(3))[0];
        assert.equal(token.msgType, 'token');
        // Two packets in one POST, joined by the record separator: both are answered.
        await s.post([
            `421${JSON.stringify(['easyrtcCmd', { msgType: 'getIceConfig', msgData: {} }])}`,
            `422${JSON.stringify(['easyrtcCmd', { msgType: 'getRoomList' }])}`,
        ]);
        const acks = await s.pollUntil((p) => p.startsWith('432'));
        assert.equal(JSON.parse(acks.find((p) => p.startsWith('431')).slice(3))[0].msgType, 'iceConfig');
        assert.equal(JSON.parse(acks.find((p) => p.startsWith('432')).slice(3))[0].msgType, 'roomList');
        // Nothing else queued: the next poll is held until the server's ping.
        const started = Date.now();
        const packets = await s.poll(PING_INTERVAL_MS + 3000);
        assert.deepEqual(packets, ['2']);
        assert.ok(Date.now() - started >= 50, 'the poll was not held');
        await s.post(['3']);
    });

    it('socket.io CONNECT to another namespace answers 44', async () => {
        const raw = await RawWebSocket.connect(srv);
        raw.send('40/admin,');
        const err = await raw.next((t) => t.startsWith('44'), 'CONNECT_ERROR');
        assert.ok(err.startsWith('44/admin,'), err);
        assert.equal(typeof JSON.parse(err.slice('44/admin,'.length)).message, 'string');
        raw.ws.close();
    });

    it('binary socket.io packets answer 44', async () => {
        const raw = await RawWebSocket.connect(srv);
        raw.send('451-["easyrtcCmd",{"_placeholder":true,"num":0}]');
        const err = await raw.next((t) => t.startsWith('44'), 'CONNECT_ERROR for a binary event');
        assert.equal(typeof JSON.parse(err.slice(2)).message, 'string');
        raw.ws.close();
    });

    for (const [what, frame] of [
        ['an EVENT that is not JSON', '42["easyrtcCmd",{'],
        ['an EVENT whose payload is not an array', '42{"msgType":"offer"}'],
        ['an unknown socket.io packet type', '49'],
        ['an unknown Engine.IO packet type', '9hello'],
    ]) {
        it(`${what} closes only that connection`, async () => {
            const bystander = await connectSocket(srv, { transports: ['websocket'] });
            const raw = await RawWebSocket.connect(srv);
            raw.send(frame);
            await raw.waitClosed(3000);
            assert.ok(bystander.connected, 'the bystander lost its connection');
            const ack = await emitAck(bystander, 'easyrtcAuth', authenticateMessage({ applicationName: 'bystander' }));
            assert.equal(ack.msgType, 'token');
            bystander.close();
        });
    }

    it('a websocket message over maxPayload closes that connection only', async () => {
        const bystander = await EasyrtcClient.signIn(srv, { applicationName: 'bystander' }, { transports: ['websocket'] });
        const raw = await RawWebSocket.connect(srv);
        raw.send(`42${JSON.stringify(['easyrtcMsg', { msgType: 'x', msgData: 'a'.repeat(210000) }])}`);
        await raw.waitClosed(3000);
        await bystander.sync();
        bystander.close();
    });

    it('GET /healthz answers 200 JSON and unknown paths 404', async () => {
        const h = await httpRequest(`${srv.url}/healthz`);
        assert.equal(h.status, 200);
        assert.match(h.headers['content-type'], /json/);
        const body = JSON.parse(h.body);
        assert.equal(body.status, 'ok');
        assert.equal(typeof body.connections, 'number');
        assert.equal((await httpRequest(`${srv.url}/no/such/path`)).status, 404);
    });
    srv.stopsCleanly();
});

describe('options from the environment', () => {
    const srv = useServer([], { env: { SWITCHBOARD_PING_INTERVAL_MS: '400', SWITCHBOARD_PING_TIMEOUT_MS: '700' } });
    it('SWITCHBOARD_PING_INTERVAL_MS and SWITCHBOARD_PING_TIMEOUT_MS set the open packet', async () => {
        const s = await RawPolling.handshake(srv);
        assert.equal(s.open.pingInterval, 400);
        assert.equal(s.open.pingTimeout, 700);
    });
    srv.stopsCleanly();
});
