// EasyRTC signaling over real sockets (issue 3): the flows a video-call app runs, stillAlive on
// and off, and bad input on every message type, which must get the spec's error and never
// disturb other connections.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import {
    ACK, EasyrtcClient, RawWebSocket, assertError, authenticateMessage, connectSocket, delay,
    emitAck, healthz, isCmd, isDelta, isMsg, keepStillAlive, settle, signInPeers, uniqueApp,
    useServer, waitEvent,
} from './harness.mjs';

const EASYRTCID = /^[a-z0-9_.-]{1,32}$/i;
const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const candidate = (n) => ({ type: 'candidate', label: 0, id: '0', candidate: `candidate:${n} 1 udp 2122260223 192.0.2.1 5${n}000 typ host` });
// easyrtcMsg to an id nobody holds: the reference answers MSG_REJECT_GEN_FAIL (spec §2.4, §3.9),
// unlike cmd relays; Switchboard answers like the relays do.
const MSG_UNKNOWN_TARGET_CODE = 'MSG_REJECT_TARGET_EASYRTCID';

const USER_CFG_WITH_P2P = {
    userSettings: { sharingAudio: true, sharingVideo: false },
    p2pList: { someone: { connectTime: 0, isInitiator: true } },
};

const join = (...rooms) => ({ roomJoin: Object.fromEntries(rooms.map((r) => [r, { roomName: r }])) });
const leave = (...rooms) => ({ roomLeave: Object.fromEntries(rooms.map((r) => [r, { roomName: r }])) });
const apiField = (name, value) => ({ [name]: { fieldName: name, fieldValue: value } });

// A push without its serverTime, after checking that it is a plausible wall-clock time.
function withoutTime(push) {
    assert.equal(typeof push.serverTime, 'number', `no serverTime: ${JSON.stringify(push)}`);
    assert.ok(Math.abs(push.serverTime - Date.now()) < 60_000, `serverTime ${push.serverTime} is not now`);
    const { serverTime, ...rest } = push;
    return rest;
}

function assertClientEntry(entry, id, { username, presence = { show: 'chat', status: null } } = {}) {
    assert.equal(entry?.easyrtcid, id, JSON.stringify(entry));
    assert.equal(typeof entry.roomJoinTime, 'number');
    assert.deepEqual(entry.presence, presence);
    assert.equal(entry.username, username);
}

// The delta a member receives about `subject` in `room`.
function deltaEntry(push, room, kind, subject) {
    assert.equal(push.msgType, 'roomData');
    const r = push.msgData.roomData[room];
    assert.equal(r.roomName, room);
    assert.equal(r.roomStatus, 'update');
    assert.equal(r.clientList, undefined, 'updates must be deltas, never a full list');
    return r.clientListDelta[kind][subject];
}

describe('video-call flows', () => {
    const srv = useServer();

    it('sign in: the token carries id, application, room data with self, ICE servers and time', async () => {
        const app = uniqueApp('token');
        const alice = await EasyrtcClient.connect(srv);
        const ack = await alice.authenticate({ applicationName: app, username: 'alice', setPresence: { show: 'chat', status: 'hi' } });
        assert.deepEqual(Object.keys(ack).sort(), ['msgData', 'msgType'], JSON.stringify(ack));
        assert.equal(ack.msgType, 'token');
        const t = ack.msgData;
        assert.match(t.easyrtcid, EASYRTCID);
        assert.deepEqual(t.application, { applicationName: app });
        assert.deepEqual(Object.keys(t.roomData), ['default']);
        const room = t.roomData.default;
        assert.equal(room.roomName, 'default');
        assert.equal(room.roomStatus, 'join');
        assert.deepEqual(Object.keys(room.clientList), [t.easyrtcid]);
        assertClientEntry(room.clientList[t.easyrtcid], t.easyrtcid, { username: 'alice', presence: { show: 'chat', status: 'hi' } });
        assert.ok(Array.isArray(t.iceConfig.iceServers) && t.iceConfig.iceServers.length > 0, JSON.stringify(t.iceConfig));
        for (const s of t.iceConfig.iceServers) assert.ok(typeof s.urls === 'string' || Array.isArray(s.urls), JSON.stringify(s));
        assert.equal(typeof t.serverTime, 'number');
        assert.ok(Math.abs(t.serverTime - Date.now()) < 60_000);
        assert.equal(t.sessionData, undefined);
        assert.equal(t.stillAliveInterval, undefined, 'stillAlive is off by default');
        alice.close();
    });

    it('easyrtcids are unique across applications', async () => {
        const ids = new Set();
        for (let i = 0; i < 6; i++) {
            const c = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('ids') });
            ids.add(c.id);
            c.close();
        }
        assert.equal(ids.size, 6);
    });

    it('no applicationName means the default application; easyrtcsid comes back as sessionData', async () => {
        const c = await EasyrtcClient.connect(srv);
        const t = await c.signIn({ easyrtcsid: 'sess123' });
        assert.deepEqual(t.application, { applicationName: 'default' });
        assert.ok(t.roomData.default);
        assert.equal(t.sessionData.easyrtcsid, 'sess123');
        c.close();
    });

    it('roomJoin in authenticate joins those rooms instead of the default one', async () => {
        const app = uniqueApp('authjoin');
        const c = await EasyrtcClient.connect(srv);
        const t = await c.signIn({ applicationName: app, ...join('lobby', 'stage') });
        assert.deepEqual(Object.keys(t.roomData).sort(), ['lobby', 'stage']);
        for (const r of ['lobby', 'stage']) {
            assert.equal(t.roomData[r].roomStatus, 'join');
            assert.deepEqual(Object.keys(t.roomData[r].clientList), [t.easyrtcid]);
        }
        c.close();
    });

    it('peers see each other: full list for the joiner, updateClient delta for the members', async () => {
        const app = uniqueApp('see');
        const alice = await EasyrtcClient.signIn(srv, { applicationName: app, username: 'alice' });
        const bob = await EasyrtcClient.connect(srv);
        const t = await bob.signIn({ applicationName: app, username: 'bob' });
        assert.deepEqual(Object.keys(t.roomData.default.clientList).sort(), [alice.id, bob.id].sort());
        assertClientEntry(t.roomData.default.clientList[alice.id], alice.id, { username: 'alice' });
        assertClientEntry(t.roomData.default.clientList[bob.id], bob.id, { username: 'bob' });

        const push = await alice.waitPush(isDelta('default', 'updateClient', bob.id), { what: "bob's join delta" });
        assert.equal(push.easyrtcid, alice.id);
        assertClientEntry(deltaEntry(push, 'default', 'updateClient', bob.id), bob.id, { username: 'bob' });
        await bob.assertNoPush(isCmd('roomData'), 'roomData push about its own join');
        alice.close();
        bob.close();
    });

    it('a join sends each member exactly one delta', async () => {
        const app = uniqueApp('onedelta');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        const carol = await EasyrtcClient.signIn(srv, { applicationName: app, username: 'carol' });
        for (const member of [alice, bob]) {
            await member.waitPush(isDelta('default', 'updateClient', carol.id));
            await member.assertNoPush(isCmd('roomData'), 'second delta for one join');
        }
        for (const c of [alice, bob, carol]) c.close();
    });

    it('offer, answer and candidates are relayed both ways and acked', async () => {
        const app = uniqueApp('relay');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        assert.deepEqual(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), ACK);
        const offer = await bob.waitPush(isCmd('offer'));
        assert.deepEqual(withoutTime(offer), { senderEasyrtcid: alice.id, msgData: OFFER, easyrtcid: bob.id, msgType: 'offer' });

        assert.deepEqual(await bob.cmd('answer', { targetEasyrtcid: alice.id, msgData: ANSWER }), ACK);
        const answer = await alice.waitPush(isCmd('answer'));
        assert.deepEqual(withoutTime(answer), { senderEasyrtcid: bob.id, msgData: ANSWER, easyrtcid: alice.id, msgType: 'answer' });

        for (let n = 1; n <= 3; n++) {
            assert.deepEqual(await alice.cmd('candidate', { targetEasyrtcid: bob.id, msgData: candidate(n) }), ACK);
            assert.deepEqual(await bob.cmd('candidate', { targetEasyrtcid: alice.id, msgData: candidate(n + 3) }), ACK);
        }
        for (let n = 1; n <= 3; n++) {
            assert.deepEqual(withoutTime(await bob.waitPush(isCmd('candidate'))),
                { senderEasyrtcid: alice.id, msgData: candidate(n), easyrtcid: bob.id, msgType: 'candidate' });
            assert.deepEqual(withoutTime(await alice.waitPush(isCmd('candidate'))),
                { senderEasyrtcid: bob.id, msgData: candidate(n + 3), easyrtcid: alice.id, msgType: 'candidate' });
        }
        for (const c of [alice, bob]) {
            assert.ok(c.pushes.every((p) => p.hadAck), 'server pushes must carry ack ids');
            await c.assertNoPush(() => true, 'extra pushes');
        }
        alice.close();
        bob.close();
    });

    it('reject and hangup are relayed without msgData', async () => {
        const app = uniqueApp('hangup');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        for (const msgType of ['reject', 'hangup']) {
            assert.deepEqual(await bob.cmd(msgType, { targetEasyrtcid: alice.id }), ACK);
            assert.deepEqual(withoutTime(await alice.waitPush(isCmd(msgType))), { senderEasyrtcid: bob.id, easyrtcid: alice.id, msgType });
        }
        alice.close();
        bob.close();
    });

    it('relays reach a target in another room of the same application', async () => {
        const app = uniqueApp('crossroom');
        const alice = await EasyrtcClient.signIn(srv, { applicationName: app });
        const bob = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('other') });
        assert.deepEqual(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), ACK);
        assert.equal((await bob.waitPush(isCmd('offer'))).senderEasyrtcid, alice.id);
        alice.close();
        bob.close();
    });

    it('applications are isolated: no deltas across them, relays refused', async () => {
        const alice = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('iso') });
        const mallory = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('iso') });
        await alice.assertNoPush(() => true, 'pushes from another application');
        for (const msgType of ['offer', 'candidate']) {
            const ack = await mallory.cmd(msgType, { targetEasyrtcid: alice.id, msgData: msgType === 'offer' ? OFFER : candidate(1) });
            assertError(ack, 'MSG_REJECT_TARGET_EASYRTCID');
        }
        const m = await mallory.msg({ msgType: 'chat', msgData: 'psst', targetEasyrtcid: alice.id });
        assert.equal(m.msgType, 'error', JSON.stringify(m));
        await alice.assertNoPush(() => true, 'relays from another application');
        alice.close();
        mallory.close();
    });

    it('easyrtcMsg to a peer is delivered and acked; no room in common needed', async () => {
        const app = uniqueApp('direct');
        const alice = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('x') });
        const bob = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('y') });
        for (const msgData of ['hello', { text: 'hi', n: 1 }, [1, 2, 3], null]) {
            assert.deepEqual(await alice.msg({ msgType: 'chat', msgData, targetEasyrtcid: bob.id }), ACK);
            const got = await bob.waitPush(isMsg('chat'));
            assert.deepEqual(withoutTime(got),
                { senderEasyrtcid: alice.id, targetEasyrtcid: bob.id, msgType: 'chat', msgData, easyrtcid: bob.id });
        }
        // The peer messages easyrtc.js itself exchanges during a call.
        for (const msgType of ['easyrtc_streamReceived', 'dataChannelPrimed', 'iceGatheringDone', 'supportHalfTrickleIce']) {
            assert.deepEqual(await bob.msg({ msgType, msgData: {}, targetEasyrtcid: alice.id }), ACK);
            assert.equal((await alice.waitPush(isMsg(msgType))).senderEasyrtcid, bob.id);
        }
        alice.close();
        bob.close();
    });

    it('easyrtcMsg to a peer within a room carries targetRoom', async () => {
        const app = uniqueApp('directroom');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        assert.deepEqual(await alice.msg({ msgType: 'chat', msgData: 'in room', targetEasyrtcid: bob.id, targetRoom: 'default' }), ACK);
        const got = withoutTime(await bob.waitPush(isMsg('chat')));
        assert.deepEqual(got, {
            senderEasyrtcid: alice.id, targetEasyrtcid: bob.id, targetRoom: 'default', msgType: 'chat', msgData: 'in room', easyrtcid: bob.id,
        });
        alice.close();
        bob.close();
    });

    it('easyrtcMsg to a room reaches every other member, never the sender or outsiders', async () => {
        const app = uniqueApp('roommsg');
        const [alice, bob, carol] = await signInPeers(srv, app, ['alice', 'bob', 'carol']);
        const dave = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('side') });
        const msgData = { text: 'hello room' };
        assert.deepEqual(await alice.msg({ msgType: 'message', msgData, targetRoom: 'default' }), ACK);
        for (const member of [bob, carol]) {
            const got = withoutTime(await member.waitPush(isMsg('message')));
            assert.deepEqual(got, { senderEasyrtcid: alice.id, targetRoom: 'default', msgType: 'message', msgData, easyrtcid: member.id });
        }
        await alice.assertNoPush(isMsg('message'), 'its own room message');
        await dave.assertNoPush(isMsg('message'), 'a message for a room it is not in');
        for (const c of [alice, bob, carol, dave]) c.close();
    });

    it('setRoomApiField: acked with the delta, peers get it, a new field replaces the old one', async () => {
        const app = uniqueApp('apifield');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        for (const field of [apiField('mediaIds', { default: 'stream-a' }), apiField('other', 1)]) {
            const ack = await alice.cmd('setRoomApiField', { msgData: { setRoomApiField: { roomName: 'default', field } } });
            assert.equal(ack.msgType, 'roomData', JSON.stringify(ack));
            assert.deepEqual(ack.msgData.roomData.default.clientListDelta.updateClient[alice.id].apiField, field);
            const push = await bob.waitPush(isDelta('default', 'updateClient', alice.id));
            assert.deepEqual(deltaEntry(push, 'default', 'updateClient', alice.id).apiField, field);
        }
        // A joiner sees the field in the full list.
        const carol = await EasyrtcClient.signIn(srv, { applicationName: app });
        assert.deepEqual(carol.token.roomData.default.clientList[alice.id].apiField, apiField('other', 1));
        for (const c of [alice, bob, carol]) c.close();
    });

    it('setPresence: acked with the deltas, each peer gets one push covering all shared rooms', async () => {
        const app = uniqueApp('presence');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob'], join('default', 'lobby'));
        const presence = { show: 'away', status: 'brb' };
        const ack = await alice.cmd('setPresence', { msgData: { setPresence: presence } });
        assert.equal(ack.msgType, 'roomData', JSON.stringify(ack));
        for (const room of ['default', 'lobby']) {
            assert.deepEqual(ack.msgData.roomData[room].clientListDelta.updateClient[alice.id].presence, presence);
        }
        const push = await bob.waitPush(isDelta('default', 'updateClient', alice.id));
        assert.deepEqual(Object.keys(push.msgData.roomData).sort(), ['default', 'lobby']);
        for (const room of ['default', 'lobby']) {
            assert.deepEqual(deltaEntry(push, room, 'updateClient', alice.id).presence, presence);
        }
        await bob.assertNoPush(isCmd('roomData'), 'more than one presence push');
        alice.close();
        bob.close();
    });

    it('presence deltas keep the apiField', async () => {
        const app = uniqueApp('presencefield');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        const field = apiField('mediaIds', { default: 'stream-a' });
        await alice.cmd('setRoomApiField', { msgData: { setRoomApiField: { roomName: 'default', field } } });
        await bob.waitPush(isDelta('default', 'updateClient', alice.id));
        await alice.cmd('setPresence', { msgData: { setPresence: { show: 'dnd', status: 'busy' } } });
        const push = await bob.waitPush(isDelta('default', 'updateClient', alice.id));
        const entry = deltaEntry(push, 'default', 'updateClient', alice.id);
        assert.deepEqual(entry.presence, { show: 'dnd', status: 'busy' });
        assert.deepEqual(entry.apiField, field);
        alice.close();
        bob.close();
    });

    it('roomJoin, roomLeave and getRoomList', async () => {
        const app = uniqueApp('rooms');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);

        const joined = await alice.cmd('roomJoin', { msgData: join('lobby') });
        assert.equal(joined.msgType, 'roomData');
        assert.deepEqual(Object.keys(joined.msgData.roomData), ['lobby'], 'only the requested room');
        const lobby = joined.msgData.roomData.lobby;
        assert.equal(lobby.roomName, 'lobby');
        assert.equal(lobby.roomStatus, 'join');
        assert.deepEqual(Object.keys(lobby.clientList), [alice.id]);
        await bob.assertNoPush(isCmd('roomData'), 'a delta for a room it is not in');

        const bobJoined = await bob.cmd('roomJoin', { msgData: join('lobby') });
        assert.deepEqual(Object.keys(bobJoined.msgData.roomData.lobby.clientList).sort(), [alice.id, bob.id].sort());
        const delta = await alice.waitPush(isDelta('lobby', 'updateClient', bob.id));
        assertClientEntry(deltaEntry(delta, 'lobby', 'updateClient', bob.id), bob.id, { username: 'bob' });
        await alice.assertNoPush(isCmd('roomData'), 'a second delta for one roomJoin');

        assert.deepEqual(await alice.cmd('getRoomList'), {
            msgType: 'roomList',
            msgData: { roomList: { default: { roomName: 'default', numberClients: 2 }, lobby: { roomName: 'lobby', numberClients: 2 } } },
        });

        assert.deepEqual(await bob.cmd('roomLeave', { msgData: leave('lobby') }),
            { msgType: 'roomData', msgData: { roomData: { lobby: { roomName: 'lobby', roomStatus: 'leave' } } } });
        const removed = await alice.waitPush(isDelta('lobby', 'removeClient', bob.id));
        assert.deepEqual(deltaEntry(removed, 'lobby', 'removeClient', bob.id), { easyrtcid: bob.id });
        const rooms = (await alice.cmd('getRoomList')).msgData.roomList;
        assert.equal(rooms.lobby.numberClients, 1);
        assert.equal(rooms.default.numberClients, 2);

        // Leaving a room one is not in is still answered with "leave".
        assert.deepEqual(await bob.cmd('roomLeave', { msgData: leave('nowhere') }),
            { msgType: 'roomData', msgData: { roomData: { nowhere: { roomName: 'nowhere', roomStatus: 'leave' } } } });
        alice.close();
        bob.close();
    });

    it('getIceConfig and setUserCfg', async () => {
        const c = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('ice') });
        const ice = await c.cmd('getIceConfig', { msgData: {} });
        assert.deepEqual(Object.keys(ice).sort(), ['msgData', 'msgType']);
        assert.equal(ice.msgType, 'iceConfig');
        assert.ok(Array.isArray(ice.msgData.iceConfig.iceServers));
        assert.deepEqual(await c.cmd('getIceConfig'), ice, 'msgData may be absent');
        assert.deepEqual(await c.cmd('setUserCfg', { msgData: { setUserCfg: USER_CFG_WITH_P2P } }), ACK);
        c.close();
    });

    it('one side vanishing: the other gets one removeClient per shared room', async () => {
        const app = uniqueApp('vanish');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob'], join('default', 'lobby'));
        await bob.vanish();
        // The server merges the deltas of a few milliseconds (room-delta-delay-ms), so both
        // rooms may come in one roomData push; each must come exactly once.
        const removals = (room) => alice.pushes.filter(isDelta(room, 'removeClient', bob.id));
        for (let i = 0; i < 250 && !(removals('default').length && removals('lobby').length); ++i) await delay(20);
        await alice.sync();
        for (const room of ['default', 'lobby']) {
            assert.equal(removals(room).length, 1, `removeClient in ${room}`);
            assert.deepEqual(deltaEntry(removals(room)[0].msg, room, 'removeClient', bob.id), { easyrtcid: bob.id });
        }
        assertError(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), 'MSG_REJECT_TARGET_EASYRTCID');
        const rooms = (await alice.cmd('getRoomList')).msgData.roomList;
        assert.equal(rooms.default.numberClients, 1);
        assert.equal(rooms.lobby.numberClients, 1);
        alice.close();
    });

    it('an orderly socket.io disconnect removes the client the same way', async () => {
        const app = uniqueApp('bye');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        bob.socket.disconnect();
        await alice.waitPush(isDelta('default', 'removeClient', bob.id));
        alice.close();
    });

    it('re-sending authenticate keeps the id and doubles nothing', async () => {
        const app = uniqueApp('reauth');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);
        const firstId = alice.id;
        await alice.signIn({ applicationName: app, username: 'alice' });
        assert.equal(alice.id, firstId);
        await settle([alice, bob]);
        assert.deepEqual(await bob.cmd('offer', { targetEasyrtcid: alice.id, msgData: OFFER }), ACK);
        await alice.waitPush(isCmd('offer'));
        await alice.assertNoPush(isCmd('offer'), 'a second copy of one offer');
        assert.deepEqual(await alice.msg({ msgType: 'chat', msgData: 1, targetEasyrtcid: bob.id }), ACK);
        await bob.waitPush(isMsg('chat'));
        await bob.assertNoPush(isMsg('chat'), 'a second copy of one message');
        assert.equal((await bob.cmd('getRoomList')).msgData.roomList.default.numberClients, 2);
        alice.close();
        bob.close();
    });

    it('EIO=3 and polling-only clients take part in a call', async () => {
        const app = uniqueApp('mixed');
        const [old, poll] = await Promise.all([
            EasyrtcClient.connect(srv, { client: 'v2' }),
            EasyrtcClient.connect(srv, { transports: ['polling'] }),
        ]);
        await old.signIn({ applicationName: app });
        await poll.signIn({ applicationName: app });
        await old.waitPush(isDelta('default', 'updateClient', poll.id));
        assert.deepEqual(await old.cmd('offer', { targetEasyrtcid: poll.id, msgData: OFFER }), ACK);
        assert.equal((await poll.waitPush(isCmd('offer'))).senderEasyrtcid, old.id);
        assert.deepEqual(await poll.cmd('answer', { targetEasyrtcid: old.id, msgData: ANSWER }), ACK);
        assert.equal((await old.waitPush(isCmd('answer'))).senderEasyrtcid, poll.id);
        assert.deepEqual(await poll.msg({ msgType: 'chat', msgData: 'x', targetRoom: 'default' }), ACK);
        assert.equal((await old.waitPush(isMsg('chat'))).senderEasyrtcid, poll.id);
        old.close();
        poll.close();
    });
    srv.stopsCleanly();
});

describe('--relay-scope room', () => {
    const srv = useServer(['--relay-scope', 'room']);
    it('relays only between clients sharing a room', async () => {
        const app = uniqueApp('scope');
        const alice = await EasyrtcClient.signIn(srv, { applicationName: app });
        const bob = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('other') });
        assertError(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), 'MSG_REJECT_TARGET_EASYRTCID');
        await bob.assertNoPush(isCmd('offer'), 'an offer from outside its rooms');
        await bob.cmd('roomJoin', { msgData: join('default') });
        assert.deepEqual(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), ACK);
        assert.equal((await bob.waitPush(isCmd('offer'))).senderEasyrtcid, alice.id);
        alice.close();
        bob.close();
    });
    srv.stopsCleanly();
});

const STILL_ALIVE_MS = 500;
const STILL_ALIVE_GRACE_MS = 500;

describe('stillAlive on', () => {
    // Long Engine.IO heartbeats so only stillAlive can expire a connection here.
    const srv = useServer(['--still-alive-interval-ms', String(STILL_ALIVE_MS), '--still-alive-grace-ms', String(STILL_ALIVE_GRACE_MS),
        '--ping-interval-ms', '20000', '--ping-timeout-ms', '20000']);

    it('the token announces stillAliveInterval and stillAlive is acked', async () => {
        const c = await EasyrtcClient.connect(srv);
        const t = await c.signIn({ applicationName: uniqueApp('sa') });
        assert.equal(t.stillAliveInterval, STILL_ALIVE_MS);
        assert.deepEqual(await c.cmd('stillAlive', { msgData: {} }), ACK);
        c.close();
    });

    it('a client sending stillAlive stays; one that sends nothing at all is dropped and its peers told', async () => {
        const app = uniqueApp('sa');
        const alive = await EasyrtcClient.signIn(srv, { applicationName: app });
        const stop = keepStillAlive(alive, STILL_ALIVE_MS / 2);
        try {
            const silent = await RawWebSocket.connect(srv);
            const token = await silent.emitAck(1, 'easyrtcAuth', authenticateMessage({ applicationName: app }));
            assert.equal(token.msgType, 'token', JSON.stringify(token));
            const silentSince = Date.now();
            const silentId = token.msgData.easyrtcid;
            await alive.waitPush(isDelta('default', 'updateClient', silentId));

            await alive.waitPush(isDelta('default', 'removeClient', silentId),
                { ms: STILL_ALIVE_MS + STILL_ALIVE_GRACE_MS + 4000, what: 'removeClient of the silent client' });
            const { at } = await silent.waitClosed(2000);
            assert.ok(at - silentSince >= STILL_ALIVE_MS + STILL_ALIVE_GRACE_MS - 150, `dropped after only ${at - silentSince} ms`);

            // Well past interval + grace, the active client is still there.
            await delay(Math.max(0, silentSince + 2 * (STILL_ALIVE_MS + STILL_ALIVE_GRACE_MS) - Date.now()));
            assert.ok(alive.socket.connected);
            assert.deepEqual(await alive.cmd('getRoomList'),
                { msgType: 'roomList', msgData: { roomList: { default: { roomName: 'default', numberClients: 1 } } } });
        } finally {
            stop();
            alive.close();
        }
    });
    srv.stopsCleanly();
});

describe('stillAlive off (default)', () => {
    const srv = useServer();
    it('the token has no stillAliveInterval', async () => {
        const c = await EasyrtcClient.connect(srv);
        const t = await c.signIn({ applicationName: uniqueApp('nosa') });
        assert.equal(t.stillAliveInterval, undefined);
        c.close();
    });
    it('stillAlive from old clients is still acked', async () => {
        const c = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('nosa') });
        assert.deepEqual(await c.cmd('stillAlive', { msgData: {} }), ACK);
        c.close();
    });
    srv.stopsCleanly();
});

// Runs [label, send, expectedCode] cases side by side and reports every mismatch at once.
async function expectErrors(cases) {
    const results = await Promise.all(cases.map(async ([label, send, code]) => {
        try {
            assertError(await send(), code);
            return null;
        } catch (err) {
            return `${label}: ${err.message.split('\n')[0]}`;
        }
    }));
    assert.deepEqual(results.filter(Boolean), []);
}

describe('bad input', () => {
    const srv = useServer();
    const bystanderApp = uniqueApp('bystanders');
    let alice;
    let bob;
    before(async () => {
        [alice, bob] = await signInPeers(srv, bystanderApp, ['alice', 'bob']);
    });

    it('easyrtcCmd and easyrtcMsg before authentication answer MSG_REJECT_NO_AUTH', async () => {
        const c = await EasyrtcClient.connect(srv);
        await expectErrors([
            ['getRoomList', () => c.cmd('getRoomList'), 'MSG_REJECT_NO_AUTH'],
            ['offer', () => c.cmd('offer', { targetEasyrtcid: alice.id, msgData: OFFER }), 'MSG_REJECT_NO_AUTH'],
            ['roomJoin', () => c.cmd('roomJoin', { msgData: join('default') }), 'MSG_REJECT_NO_AUTH'],
            ['stillAlive', () => c.cmd('stillAlive', { msgData: {} }), 'MSG_REJECT_NO_AUTH'],
            ['easyrtcMsg', () => c.msg({ msgType: 'chat', msgData: 'x', targetEasyrtcid: alice.id }), 'MSG_REJECT_NO_AUTH'],
        ]);
        // The connection is still good for authenticating.
        await c.signIn({ applicationName: uniqueApp('late') });
        c.close();
    });

    const AUTH_CASES = [
        ['msgType is not authenticate', (m) => ({ ...m, msgType: 'login' }), 'LOGIN_BAD_AUTH'],
        ['msgData is a string', (m) => ({ ...m, msgData: 'hello' }), 'LOGIN_BAD_STRUCTURE'],
        ['msgData missing', (m) => ({ msgType: m.msgType }), 'LOGIN_BAD_STRUCTURE'],
        ['apiVersion is a number', (m) => withData(m, { apiVersion: 42 }), 'LOGIN_BAD_STRUCTURE'],
        ['roomJoin is a string', (m) => withData(m, { roomJoin: 'lobby' }), 'LOGIN_BAD_STRUCTURE'],
        ['apiVersion "bad version!"', (m) => withData(m, { apiVersion: 'bad version!' }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['applicationName "bad app!"', (m) => withData(m, { applicationName: 'bad app!' }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['applicationName too long', (m) => withData(m, { applicationName: 'a'.repeat(33) }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['username empty', (m) => withData(m, { username: '' }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['username too long', (m) => withData(m, { username: 'u'.repeat(65) }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['username is a number', (m) => withData(m, { username: 7 }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['easyrtcsid "bad sid!"', (m) => withData(m, { easyrtcsid: 'bad sid!' }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['credential is a string', (m) => withData(m, { credential: 'secret' }), 'MSG_REJECT_BAD_STRUCTURE'],
        ['roomJoin with a bad room name', (m) => withData(m, join('bad room!')), 'MSG_REJECT_BAD_STRUCTURE'],
        ['setPresence with an unknown show', (m) => withData(m, { setPresence: { show: 'sleeping', status: 'zzz' } }), 'MSG_REJECT_BAD_STRUCTURE'],
    ];
    function withData(m, fields) {
        return { ...m, msgData: { ...m.msgData, ...fields } };
    }

    // Each over websocket, over polling, and while upgrading from one to the other (the stock
    // client authenticates right after connect, usually mid-upgrade).
    const TRANSPORTS = [['websocket only', { transports: ['websocket'] }], ['polling only', { transports: ['polling'] }], ['default', {}]];

    // Sends `message` (with an ack callback unless `withAck` is false) and returns what went
    // wrong, if anything, on each transport.
    async function authFailures(message, code, withAck = true) {
        const wrong = [];
        for (const [name, options] of TRANSPORTS) {
            try {
                const socket = await connectSocket(srv, options);
                const disconnected = waitEvent(socket, 'disconnect');
                if (withAck) assertError(await emitAck(socket, 'easyrtcAuth', message), code);
                else socket.emit('easyrtcAuth', message);
                const reason = await disconnected;
                assert.equal(reason, 'io server disconnect', `disconnect reason '${reason}'`);
                socket.close();
            } catch (err) {
                wrong.push(`${name}: ${err.message.split('\n')[0]}`);
            }
        }
        return wrong;
    }

    for (const [label, mutate, code] of AUTH_CASES) {
        it(`authenticate with ${label} answers ${code}, then disconnects`, async () => {
            const message = mutate(authenticateMessage({ applicationName: bystanderApp, username: 'intruder' }));
            assert.deepEqual(await authFailures(message, code), []);
        });
    }

    it('authenticate without an ack callback just disconnects', async () => {
        assert.deepEqual(await authFailures(authenticateMessage({ applicationName: bystanderApp }), null, false), []);
    });

    it('every easyrtcCmd type rejects wrong JSON types and missing fields', async () => {
        const app = uniqueApp('badcmd');
        const [c, peer] = await signInPeers(srv, app, ['c', 'peer']);
        const cmd = (payload) => () => emitAck(c.socket, 'easyrtcCmd', payload);
        const t = peer.id;
        const cases = [
            ['payload a string', cmd('offer'), 'MSG_REJECT_BAD_STRUCTURE'],
            ['payload a number', cmd(42), 'MSG_REJECT_BAD_STRUCTURE'],
            ['msgType missing', cmd({ targetEasyrtcid: t, msgData: OFFER }), 'MSG_REJECT_BAD_TYPE'],
            ['msgType unknown', cmd({ msgType: 'fly', msgData: {} }), 'MSG_REJECT_BAD_TYPE'],
        ];
        for (const type of ['offer', 'answer', 'candidate']) {
            cases.push(
                [`${type} without msgData`, cmd({ msgType: type, targetEasyrtcid: t }), 'MSG_REJECT_BAD_DATA'],
                [`${type} with empty msgData`, cmd({ msgType: type, targetEasyrtcid: t, msgData: {} }), 'MSG_REJECT_BAD_DATA'],
                [`${type} with string msgData`, cmd({ msgType: type, targetEasyrtcid: t, msgData: 'sdp' }), 'MSG_REJECT_BAD_DATA'],
                [`${type} without target`, cmd({ msgType: type, msgData: OFFER }), 'MSG_REJECT_BAD_STRUCTURE'],
                [`${type} with numeric target`, cmd({ msgType: type, targetEasyrtcid: 42, msgData: OFFER }), 'MSG_REJECT_BAD_STRUCTURE'],
                [`${type} with malformed target`, cmd({ msgType: type, targetEasyrtcid: 'bad id!', msgData: OFFER }), 'MSG_REJECT_BAD_STRUCTURE'],
                [`${type} to an unknown target`, cmd({ msgType: type, targetEasyrtcid: 'NoSuchClient0000', msgData: OFFER }), 'MSG_REJECT_TARGET_EASYRTCID'],
            );
        }
        for (const type of ['reject', 'hangup']) {
            cases.push(
                [`${type} with msgData {}`, cmd({ msgType: type, targetEasyrtcid: t, msgData: {} }), 'MSG_REJECT_BAD_DATA'],
                [`${type} without target`, cmd({ msgType: type }), 'MSG_REJECT_BAD_STRUCTURE'],
                [`${type} to an unknown target`, cmd({ msgType: type, targetEasyrtcid: 'NoSuchClient0000' }), 'MSG_REJECT_TARGET_EASYRTCID'],
            );
        }
        cases.push(
            ['getIceConfig with msgData', cmd({ msgType: 'getIceConfig', msgData: { x: 1 } }), 'MSG_REJECT_BAD_DATA'],
            ['getRoomList with msgData {}', cmd({ msgType: 'getRoomList', msgData: {} }), 'MSG_REJECT_BAD_DATA'],
        );
        for (const type of ['roomJoin', 'roomLeave']) {
            cases.push(
                [`${type} without msgData`, cmd({ msgType: type }), 'MSG_REJECT_BAD_DATA'],
                [`${type} with string msgData`, cmd({ msgType: type, msgData: 'lobby' }), 'MSG_REJECT_BAD_DATA'],
                [`${type} with a string map`, cmd({ msgType: type, msgData: { [type]: 'lobby' } }), 'MSG_REJECT_BAD_STRUCTURE'],
                [`${type} with a bad room name`,
                    cmd({ msgType: type, msgData: { [type]: { 'bad room!': { roomName: 'bad room!' } } } }), 'MSG_REJECT_BAD_STRUCTURE'],
                [`${type} with a key that is not its roomName`,
                    cmd({ msgType: type, msgData: { [type]: { lobby: { roomName: 'other' } } } }), 'MSG_REJECT_BAD_STRUCTURE'],
            );
        }
        const presence = (p) => cmd({ msgType: 'setPresence', msgData: { setPresence: p } });
        cases.push(
            ['setPresence a string', presence('away'), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setPresence empty', presence({}), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setPresence show unknown', presence({ show: 'sleeping', status: 'x' }), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setPresence status null', presence({ show: 'away', status: null }), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setPresence status a number', presence({ show: 'away', status: 5 }), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setPresence status 256 chars', presence({ show: 'away', status: 's'.repeat(256) }), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setPresence status with a newline', presence({ show: 'away', status: 'a\nb' }), 'MSG_REJECT_BAD_STRUCTURE'],
        );
        const roomField = (f) => cmd({ msgType: 'setRoomApiField', msgData: { setRoomApiField: f } });
        cases.push(
            ['setRoomApiField bad room name', roomField({ roomName: 'bad room!', field: apiField('a', 1) }), 'MSG_REJECT_BAD_ROOM'],
            ['setRoomApiField room not joined', roomField({ roomName: 'elsewhere', field: apiField('a', 1) }), 'MSG_REJECT_BAD_ROOM'],
            ['setRoomApiField field a string', roomField({ roomName: 'default', field: 'x' }), 'MSG_REJECT_BAD_STRUCTURE'],
        );
        const userCfg = (u) => cmd({ msgType: 'setUserCfg', msgData: { setUserCfg: u } });
        cases.push(
            ['setUserCfg empty', userCfg({}), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setUserCfg a string', userCfg('x'), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setUserCfg empty p2pList', userCfg({ p2pList: {} }), 'MSG_REJECT_BAD_STRUCTURE'],
            ['setUserCfg userSettings a string', userCfg({ userSettings: 'x' }), 'MSG_REJECT_BAD_STRUCTURE'],
        );
        await expectErrors(cases);
        await peer.assertNoPush(() => true, 'pushes caused by rejected commands');
        await c.sync();
        c.close();
        peer.close();
    });

    it('setRoomApiField is limited to 4095 bytes of field JSON', async () => {
        const [c, peer] = await signInPeers(srv, uniqueApp('size'), ['c', 'peer']);
        const fieldOfLength = (n) => {
            const base = apiField('big', '');
            const field = apiField('big', 'x'.repeat(n - JSON.stringify(base).length));
            assert.equal(JSON.stringify(field).length, n);
            return field;
        };
        const set = (field) => c.cmd('setRoomApiField', { msgData: { setRoomApiField: { roomName: 'default', field } } });
        assert.equal((await set(fieldOfLength(4095))).msgType, 'roomData');
        await peer.waitPush(isDelta('default', 'updateClient', c.id));
        assertError(await set(fieldOfLength(4096)), 'MSG_REJECT_BAD_SIZE');
        assertError(await set(fieldOfLength(100_000)), 'MSG_REJECT_BAD_SIZE');
        await peer.assertNoPush(() => true, 'a delta for an oversize field');
        c.close();
        peer.close();
    });

    it('easyrtcMsg validation answers the spec codes, in order', async () => {
        const app = uniqueApp('badmsg');
        const [c, peer] = await signInPeers(srv, app, ['c', 'peer']);
        const outsider = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('side') });
        await settle([c, peer, outsider]);
        const msg = (payload) => () => emitAck(c.socket, 'easyrtcMsg', payload);
        await expectErrors([
            ['payload a string', msg('chat'), 'MSG_REJECT_BAD_STRUCTURE'],
            ['msgType missing', msg({ msgData: 1, targetEasyrtcid: peer.id }), 'MSG_REJECT_BAD_TYPE'],
            ['msgType a number', msg({ msgType: 7, targetEasyrtcid: peer.id }), 'MSG_REJECT_BAD_TYPE'],
            ['msgType bad and target bad', msg({ msgType: 7, targetEasyrtcid: 'bad id!' }), 'MSG_REJECT_BAD_TYPE'],
            ['target malformed', msg({ msgType: 'chat', targetEasyrtcid: 'bad id!' }), 'MSG_REJECT_TARGET_EASYRTCID'],
            ['target a number', msg({ msgType: 'chat', targetEasyrtcid: 5 }), 'MSG_REJECT_TARGET_EASYRTCID'],
            ['target is self', msg({ msgType: 'chat', targetEasyrtcid: c.id }), 'MSG_REJECT_TARGET_EASYRTCID'],
            ['target unknown', msg({ msgType: 'chat', targetEasyrtcid: 'NoSuchClient0000' }), MSG_UNKNOWN_TARGET_CODE],
            ['target bad before group bad', msg({ msgType: 'chat', targetEasyrtcid: 'bad id!', targetGroup: 'bad group!' }), 'MSG_REJECT_TARGET_EASYRTCID'],
            ['group malformed', msg({ msgType: 'chat', targetGroup: 'bad group!' }), 'MSG_REJECT_TARGET_GROUP'],
            ['group unknown', msg({ msgType: 'chat', targetGroup: 'friends' }), 'MSG_REJECT_TARGET_GROUP'],
            ['peer within a group', msg({ msgType: 'chat', targetEasyrtcid: peer.id, targetGroup: 'friends' }), 'MSG_REJECT_TARGET_GROUP'],
            ['group bad before room bad', msg({ msgType: 'chat', targetGroup: 'bad group!', targetRoom: 'bad room!' }), 'MSG_REJECT_TARGET_GROUP'],
            ['room malformed', msg({ msgType: 'chat', targetRoom: 'bad room!' }), 'MSG_REJECT_TARGET_ROOM'],
            ['room not joined', msg({ msgType: 'chat', targetRoom: 'side' }), 'MSG_REJECT_TARGET_ROOM'],
            ['peer not in the room', msg({ msgType: 'chat', targetEasyrtcid: outsider.id, targetRoom: 'default' }), 'MSG_REJECT_TARGET_ROOM'],
        ]);
        for (const other of [peer, outsider]) await other.assertNoPush(() => true, 'pushes caused by rejected messages');
        for (const x of [c, peer, outsider]) x.close();
    });

    it('an empty roomLeave map is answered: an empty leave, or MSG_REJECT_BAD_STRUCTURE', async () => {
        const c = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('emptyleave') });
        const ack = await c.cmd('roomLeave', { msgData: { roomLeave: {} } });
        if (ack.msgType === 'error') assertError(ack, 'MSG_REJECT_BAD_STRUCTURE');
        else assert.deepEqual(ack, { msgType: 'roomData', msgData: { roomData: {} } });
        assert.equal((await c.cmd('getRoomList')).msgData.roomList.default.numberClients, 1);
        c.close();
    });

    it('easyrtcMsg with no target is answered with an error, not left hanging', async () => {
        const c = await EasyrtcClient.signIn(srv, { applicationName: uniqueApp('notarget') });
        const ack = await c.msg({ msgType: 'serverQuestion', msgData: { q: 1 } });
        assert.equal(ack.msgType, 'error', JSON.stringify(ack));
        assert.match(ack.msgData.errorCode, /^MSG_REJECT_/);
        assert.ok(ack.msgData.errorText.length > 0);
        c.close();
    });

    it('after all the bad input, the bystanders were untouched and still relay', async () => {
        assert.ok(alice.socket.connected && bob.socket.connected);
        await alice.assertNoPush(() => true, 'pushes caused by bad input elsewhere');
        await bob.assertNoPush(() => true, 'pushes caused by bad input elsewhere');
        assert.deepEqual(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), ACK);
        assert.equal((await bob.waitPush(isCmd('offer'))).senderEasyrtcid, alice.id);
        assert.deepEqual(await bob.msg({ msgType: 'chat', msgData: 'still here', targetRoom: 'default' }), ACK);
        assert.equal((await alice.waitPush(isMsg('chat'))).msgData, 'still here');
        assert.deepEqual((await alice.cmd('getRoomList')).msgData.roomList.default, { roomName: 'default', numberClients: 2 });
    });
    srv.stopsCleanly();
});

// Each of these kills the reference server; here each must be answered and change nothing else.
describe('inputs that crash the reference server', () => {
    const srv = useServer();
    let alice;
    let bob;
    before(async () => {
        [alice, bob] = await signInPeers(srv, uniqueApp('crash'), ['alice', 'bob']);
    });

    it('an empty roomJoin map answers MSG_REJECT_BAD_STRUCTURE', async () => {
        assertError(await alice.cmd('roomJoin', { msgData: { roomJoin: {} } }), 'MSG_REJECT_BAD_STRUCTURE');
    });

    it('a null easyrtcCmd or easyrtcMsg payload answers MSG_REJECT_BAD_STRUCTURE', async () => {
        assertError(await emitAck(alice.socket, 'easyrtcCmd', null), 'MSG_REJECT_BAD_STRUCTURE');
        assertError(await emitAck(alice.socket, 'easyrtcMsg', null), 'MSG_REJECT_BAD_STRUCTURE');
    });

    it('the server keeps running and the pair still relays', async () => {
        srv.assertRunning();
        assert.equal((await healthz(srv)).status, 'ok');
        await bob.assertNoPush(() => true, 'pushes caused by bad input');
        assert.deepEqual(await bob.cmd('offer', { targetEasyrtcid: alice.id, msgData: OFFER }), ACK);
        assert.equal((await alice.waitPush(isCmd('offer'))).senderEasyrtcid, bob.id);
    });
    srv.stopsCleanly();
});

describe('--room-max-connections 2', () => {
    const srv = useServer(['--room-max-connections', '2']);
    it('a third client cannot authenticate into or join a full room', async () => {
        const app = uniqueApp('full');
        const [alice, bob] = await signInPeers(srv, app, ['alice', 'bob']);

        const carol = await EasyrtcClient.connect(srv);
        const disconnected = waitEvent(carol.socket, 'disconnect');
        assertError(await carol.authenticate({ applicationName: app }), 'LOGIN_GEN_FAIL');
        assert.equal(await disconnected, 'io server disconnect');

        const dave = await EasyrtcClient.signIn(srv, { applicationName: app, ...join('side') });
        assertError(await dave.cmd('roomJoin', { msgData: join('default') }), 'MSG_REJECT_BAD_ROOM');
        for (const member of [alice, bob]) await member.assertNoPush(isCmd('roomData'), 'deltas for refused joiners');

        await bob.cmd('roomLeave', { msgData: leave('default') });
        const joined = await dave.cmd('roomJoin', { msgData: join('default') });
        assert.equal(joined.msgData.roomData.default.roomStatus, 'join');
        for (const c of [alice, bob, dave]) c.close();
    });
    srv.stopsCleanly();
});
