// TURN REST credentials from real tokens, checked against a real coturn (issue 5): coturn accepts
// what Switchboard mints, over UDP and TCP, and refuses expired, wrongly signed and altered ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EasyrtcClient, SwitchboardProcess, delay, uniqueApp } from './harness.mjs';
import { mintTurnCredential, randomSecret, socketsOf, startCoturn, turnCredential, uclient } from './coturn.mjs';

const TTL_S = 600;
const nowS = () => Math.floor(Date.now() / 1000);
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const userLine = (username, what) => new RegExp(`user <${escapeRe(username)}>: incoming packet ${what}`);

async function assertAccepted(coturn, url, cred) {
    const r = await uclient(url, cred);
    const context = `${r.output}\n--- coturn log ---\n${coturn.log().slice(-3000)}`;
    assert.equal(r.code, 0, `coturn refused ${cred.username} on ${url}:\n${context}`);
    assert.ok(r.sent > 0 && r.received === r.sent, `nothing relayed for ${cred.username} on ${url}:\n${context}`);
    await coturn.waitLog(userLine(cred.username, 'ALLOCATE processed, success'));
}

async function assertRefused(coturn, url, cred) {
    const r = await uclient(url, cred);
    assert.notEqual(r.code, 0, `coturn accepted ${cred.username} on ${url}:\n${r.output}`);
    assert.match(r.output, /Cannot complete Allocation/);
    await coturn.waitLog(userLine(cred.username, 'message processed, error 401: Unauthorized'));
    assert.doesNotMatch(coturn.log(), userLine(cred.username, 'ALLOCATE processed, success'));
}

// Checks an iceServers list against the configuration (the static STUN entry, then one TURN
// entry) and returns the TURN entry. `window` is [ms before the request, ms after its answer],
// which bounds the expiry the server may have computed.
function turnEntryOf(iceServers, { coturn, user, secret, window: [fromMs, toMs] }) {
    assert.equal(iceServers.length, 2, JSON.stringify(iceServers));
    assert.deepEqual(iceServers[0], { urls: [`stun:${coturn.host}:${coturn.port}`] },
        'STUN entries carry no username or credential');
    const turn = iceServers[1];
    assert.deepEqual(Object.keys(turn).sort(), ['credential', 'urls', 'username'], JSON.stringify(turn));
    assert.deepEqual(turn.urls, coturn.urls);
    const m = /^(\d+):(.+)$/.exec(turn.username);
    assert.ok(m, `username ${turn.username} is not <expiry>:<user>`);
    assert.equal(m[2], user);
    const expiry = Number(m[1]);
    assert.ok(expiry >= Math.floor(fromMs / 1000) + TTL_S && expiry <= Math.floor(toMs / 1000) + TTL_S,
        `expiry ${expiry} is not now + ${TTL_S} s (now ${nowS()})`);
    assert.equal(turn.credential, turnCredential(secret, turn.username), 'credential is not HMAC-SHA1 of the username');
    return turn;
}

async function signIn(srv, fields) {
    const from = Date.now();
    const client = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('turn'), ...fields });
    return { client, window: [from, Date.now()] };
}

async function getIceServers(client) {
    const from = Date.now();
    const ack = await client.cmd('getIceConfig', { msgData: {} });
    assert.equal(ack.msgType, 'iceConfig', JSON.stringify(ack));
    return { iceServers: ack.msgData.iceConfig.iceServers, window: [from, Date.now()] };
}

// Waits until the server's log matches `re` more than `seen` times; returns the new count.
async function waitServerLog(srv, re, seen, ms = 5_000) {
    const count = () => (srv.log.match(new RegExp(re.source, 'g')) ?? []).length;
    const deadline = Date.now() + ms;
    while (count() <= seen) {
        if (Date.now() > deadline) assert.fail(`server log never matched ${re} within ${ms} ms\n${srv.log.slice(-3000)}`);
        await delay(50);
    }
    return count();
}

function turnFlags(coturn, secretFile) {
    return [
        '--ice-servers', JSON.stringify([{ urls: `stun:${coturn.host}:${coturn.port}` }]),
        '--turn-urls', coturn.urls.join(','),
        '--turn-secret-file', secretFile,
        '--turn-ttl-s', String(TTL_S),
    ];
}

describe('TURN REST credentials against a real coturn', () => {
    let coturn;
    let dir;
    const servers = {};

    before(async () => {
        coturn = await startCoturn();
        dir = mkdtempSync(join(tmpdir(), 'switchboard-turn-'));
        const secretFile = join(dir, 'turn-secret');
        writeFileSync(secretFile, `${coturn.secret}\n`, { mode: 0o600 });
        const flags = turnFlags(coturn, secretFile);
        servers.byId = new SwitchboardProcess(flags);
        servers.byName = new SwitchboardProcess([...flags, '--turn-user-format', 'username']);
        await Promise.all([servers.byId.start(), servers.byName.start()]);
    });

    after(async () => {
        try {
            await Promise.allSettled(Object.values(servers).map((s) => s.stop()));
        } finally {
            await coturn?.stop();
            if (dir) rmSync(dir, { recursive: true, force: true });
        }
    });

    it('a token carries a TURN entry for this connection that coturn accepts over UDP and TCP', async () => {
        const { client, window } = await signIn(servers.byId, { username: 'alice' });
        const turn = turnEntryOf(client.token.iceConfig.iceServers,
            { coturn, user: client.id, secret: coturn.secret, window });
        const other = await signIn(servers.byId, {});
        const otherTurn = turnEntryOf(other.client.token.iceConfig.iceServers,
            { coturn, user: other.client.id, secret: coturn.secret, window: other.window });
        assert.notEqual(otherTurn.username, turn.username, 'each connection gets its own username');
        await Promise.all(turn.urls.map((url) => assertAccepted(coturn, url, turn)));
        client.close();
        other.client.close();
    });

    it('a getIceConfig answer carries fresh credentials that coturn accepts over UDP and TCP', async () => {
        const { client } = await signIn(servers.byId, {});
        const { iceServers, window } = await getIceServers(client);
        const turn = turnEntryOf(iceServers, { coturn, user: client.id, secret: coturn.secret, window });
        await Promise.all(turn.urls.map((url) => assertAccepted(coturn, url, turn)));
        client.close();
    });

    it('coturn refuses expired, wrongly signed and altered credentials', async () => {
        const { client } = await signIn(servers.byId, {});
        const [, turn] = client.token.iceConfig.iceServers;
        const [udp, tcp] = coturn.urls;
        // Distinct user parts, so that each refusal is found in coturn's log.
        const expired = (user) => mintTurnCredential(coturn.secret, user, nowS() - 60);
        const wronglySigned = (user) => mintTurnCredential(randomSecret(), user, nowS() + TTL_S);
        // A real credential whose username was given a later expiry.
        const [expiry, user] = turn.username.split(':');
        const extended = { username: `${Number(expiry) + 3600}:${user}`, credential: turn.credential };
        await Promise.all([
            assertRefused(coturn, udp, expired('x')),
            assertRefused(coturn, tcp, expired('x-tcp')),
            assertRefused(coturn, udp, wronglySigned('y')),
            assertRefused(coturn, tcp, wronglySigned('y-tcp')),
            assertRefused(coturn, udp, extended),
        ]);
        client.close();
    });

    it('--turn-user-format username puts the username after the expiry, the easyrtcid when there is none', async () => {
        const named = await signIn(servers.byName, { username: 'carol' });
        const turn = turnEntryOf(named.client.token.iceConfig.iceServers,
            { coturn, user: 'carol', secret: coturn.secret, window: named.window });
        const { iceServers, window } = await getIceServers(named.client);
        turnEntryOf(iceServers, { coturn, user: 'carol', secret: coturn.secret, window });
        const anonymous = await signIn(servers.byName, {});
        turnEntryOf(anonymous.client.token.iceConfig.iceServers,
            { coturn, user: anonymous.client.id, secret: coturn.secret, window: anonymous.window });
        await assertAccepted(coturn, coturn.urls[0], turn);
        named.client.close();
        anonymous.client.close();
    });

    it('coturn has sockets on 127.0.0.1 only, relays included', () => {
        const sockets = socketsOf(coturn.pid);
        assert.ok(sockets.includes(`tcp ${coturn.host}:${coturn.port}`), sockets.join(', '));
        assert.ok(sockets.includes(`udp ${coturn.host}:${coturn.port}`), sockets.join(', '));
        for (const s of sockets) assert.match(s, /^(tcp|udp) 127\.0\.0\.1:\d+$/);
    });

    it('servers stop cleanly on SIGTERM, no crash or sanitizer report', async () => {
        await servers.byId.stop();
        await servers.byName.stop();
    });
});

describe('SIGHUP re-reads --turn-secret-file without dropping anyone', () => {
    // Rotation as an operator does it: coturn accepts the old and the new secret, the new one goes
    // first in Switchboard's file, then SIGHUP.
    const oldSecret = randomSecret();
    const newSecret = randomSecret();
    let coturn;
    let dir;
    let secretFile;
    let srv;
    const reloaded = /reload: TURN secrets re-read/;
    const kept = /reload: keeping the old TURN secret/;

    before(async () => {
        coturn = await startCoturn({ secrets: [newSecret, oldSecret] });
        dir = mkdtempSync(join(tmpdir(), 'switchboard-turn-'));
        secretFile = join(dir, 'turn-secret');
        writeFileSync(secretFile, `${oldSecret}\n`, { mode: 0o600 });
        srv = new SwitchboardProcess(turnFlags(coturn, secretFile));
        await srv.start();
    });

    after(async () => {
        try {
            await srv?.stop();
        } finally {
            await coturn?.stop();
            if (dir) rmSync(dir, { recursive: true, force: true });
        }
    });

    it('after SIGHUP a connected client gets credentials signed with the new secret, and coturn accepts them', async () => {
        const { client, window } = await signIn(srv, {});
        const disconnects = [];
        client.socket.on('disconnect', (why) => disconnects.push(why));
        const earlier = turnEntryOf(client.token.iceConfig.iceServers, { coturn, user: client.id, secret: oldSecret, window });

        writeFileSync(secretFile, `${newSecret}\n${oldSecret}\n`);
        const seen = (srv.log.match(new RegExp(reloaded.source, 'g')) ?? []).length;
        process.kill(srv.pid, 'SIGHUP');
        await waitServerLog(srv, reloaded, seen);

        // A later second than the token's, so that the two usernames differ.
        const issuedAt = Number(earlier.username.split(':')[0]) - TTL_S;
        while (nowS() <= issuedAt) await delay(50);
        const fresh = await getIceServers(client);
        const rotated = turnEntryOf(fresh.iceServers, { coturn, user: client.id, secret: newSecret, window: fresh.window });
        await Promise.all([
            ...rotated.urls.map((url) => assertAccepted(coturn, url, rotated)),
            // Credentials handed out before the reload keep working while coturn has both secrets.
            assertAccepted(coturn, earlier.urls[0], earlier),
        ]);
        assert.ok(client.socket.connected, 'the client was disconnected');
        assert.deepEqual(disconnects, []);
        srv.assertRunning();
        client.close();
    });

    it('a reload that fails keeps the current secret and logs why', async () => {
        const { client } = await signIn(srv, {});
        let seen = (srv.log.match(new RegExp(kept.source, 'g')) ?? []).length;
        for (const [breakFile, why] of [
            [() => writeFileSync(secretFile, '# no secret here\n'), /holds no secret/],
            [() => rmSync(secretFile), /cannot be read/],
        ]) {
            breakFile();
            process.kill(srv.pid, 'SIGHUP');
            seen = await waitServerLog(srv, kept, seen);
            assert.match(srv.log.split('\n').filter((l) => kept.test(l)).pop(), why);
            const { iceServers, window } = await getIceServers(client);
            turnEntryOf(iceServers, { coturn, user: client.id, secret: newSecret, window });
        }
        assert.doesNotMatch(srv.log, new RegExp(escapeRe(newSecret)), 'a secret reached the log');
        assert.doesNotMatch(srv.log, new RegExp(escapeRe(oldSecret)), 'a secret reached the log');
        srv.assertRunning();
        client.close();
    });

    it('server stops cleanly on SIGTERM, no crash or sanitizer report', () => srv.stop());
});
