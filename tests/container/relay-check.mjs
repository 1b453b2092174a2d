// Two EasyRTC clients against a server that is already running (the container under test):
// both authenticate into one application, then relay an offer and an answer through it and send
// an application message. One client is socket.io 4 (Engine.IO v4), the other socket.io 2
// (Engine.IO v3), as browsers running either easyrtc.js generation would be.
//
// Usage: node tests/container/relay-check.mjs http://127.0.0.1:PORT
// Prints a PASS line per step; exits 1 with a FAIL line on the first wrong or missing answer.
import assert from 'node:assert/strict';
import { ACK, EasyrtcClient, isCmd, isMsg, settle, uniqueApp } from '../integration/harness.mjs';

const OFFER = { type: 'offer', sdp: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };
const ANSWER = { type: 'answer', sdp: 'v=0\r\no=- 2 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' };

const url = process.argv[2];
if (!url) {
    console.error('usage: relay-check.mjs URL');
    process.exit(2);
}

// What the harness's client helpers need from a server: where it is, and a place to register
// clients so that all of them are closed at the end.
const closers = new Set();
const server = { url, ca: undefined, track: (close) => closers.add(close) };

async function main() {
    const app = uniqueApp('container');
    const alice = await EasyrtcClient.signIn(server, { applicationName: app, username: 'alice' });
    const bob = await EasyrtcClient.signIn(server, { applicationName: app, username: 'bob' },
        { client: 'v2' });
    assert.notEqual(alice.id, bob.id);
    await settle([alice, bob]);
    console.log(`PASS authenticate: alice ${alice.id} (socket.io 4), bob ${bob.id} (socket.io 2)`);

    assert.deepEqual(await alice.cmd('offer', { targetEasyrtcid: bob.id, msgData: OFFER }), ACK);
    const offer = await bob.waitPush(isCmd('offer'));
    assert.equal(offer.senderEasyrtcid, alice.id);
    assert.deepEqual(offer.msgData, OFFER);
    console.log('PASS relay offer alice -> bob');

    assert.deepEqual(await bob.cmd('answer', { targetEasyrtcid: alice.id, msgData: ANSWER }), ACK);
    const answer = await alice.waitPush(isCmd('answer'));
    assert.equal(answer.senderEasyrtcid, bob.id);
    assert.deepEqual(answer.msgData, ANSWER);
    console.log('PASS relay answer bob -> alice');

    const chatAck = await alice.msg({ msgType: 'chat', targetEasyrtcid: bob.id, msgData: 'hello' });
    assert.deepEqual(chatAck, ACK);
    const chat = await bob.waitPush(isMsg('chat'));
    assert.equal(chat.senderEasyrtcid, alice.id);
    assert.equal(chat.msgData, 'hello');
    console.log('PASS application message alice -> bob');
}

let failed = false;
try {
    await main();
} catch (err) {
    failed = true;
    console.log(`FAIL relay check: ${err.message}`);
}
for (const close of closers) close();
process.exit(failed ? 1 : 0);
