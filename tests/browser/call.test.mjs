// A real browser call through Switchboard: Debian's Chromium, driven by playwright-core, opens the
// demo page (examples/) twice; the pages use the stock socket.io and easyrtc.js bundles that the
// server itself serves, sign in, call, exchange video and chat, hang up and leave.
//
// scripts/browser-test.sh runs this inside a network namespace that has only loopback.
// Environment:
//   SWITCHBOARD_BIN     the server binary (default build/switchboard)
//   SB_CLIENT_ASSETS    directory filled by scripts/client-assets.sh (default build/client-assets)
//   SB_TURN_URL         a turn: URL of a TURN server using TURN REST credentials, and
//   SB_TURN_SECRET      its shared secret: both needed for the relay-only run, skipped otherwise
//   SB_SAVE_SCREENSHOT  1: also copy the mid-call picture (build/browser-screenshots/call.png)
//                       to docs/call.png
//   SB_BROWSER_MODES    comma-separated run ids to do (default, websocket, tls, relay); default all
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startCoturn } from '../integration/coturn.mjs';
import { SwitchboardProcess, delay } from '../integration/harness.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const CLIENT_ASSETS = process.env.SB_CLIENT_ASSETS || join(REPO, 'build/client-assets');
const SCREENSHOTS = join(REPO, 'build/browser-screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
    // WebRTC leaves loopback out of its ICE candidates unless told otherwise, and loopback is all
    // the test's network namespace has.
    '--allow-loopback-in-peer-connection',
];
const VIEWPORT = { width: 960, height: 440 };

// The relay run goes through a real coturn: the one named by SB_TURN_URL/SB_TURN_SECRET, or one
// started here on loopback (inside the test's network namespace) when coturn is installed.
const wantRelay = !process.env.SB_BROWSER_MODES || process.env.SB_BROWSER_MODES.split(',').includes('relay');
let turn = process.env.SB_TURN_URL && process.env.SB_TURN_SECRET
    ? { url: process.env.SB_TURN_URL, secret: process.env.SB_TURN_SECRET }
    : null;
if (!turn && wantRelay && existsSync('/usr/bin/turnserver')) {
    const coturn = await startCoturn();
    // TURN over TCP: what works inside a loopback-only namespace.
    turn = { url: coturn.urls[1], secret: coturn.secret };
    after(() => coturn.stop());
}

const MODES = [
    { id: 'default', title: "client's default transports (long-polling, then websocket upgrade)", query: {} },
    { id: 'websocket', title: 'websocket only', query: { transport: 'websocket' } },
    { id: 'tls', title: 'TLS (https and wss, a certificate made by the test)', query: {}, tls: true },
    {
        id: 'relay', title: 'relay only (iceTransportPolicy "relay" through TURN)', query: { relay: '1' },
        relay: true,
        skip: turn ? false : 'no TURN server: set SB_TURN_URL and SB_TURN_SECRET or install coturn',
    },
];

// Polls `probe` (which returns [done, seen]) until done; fails naming `what` and the last seen value.
async function until(what, probe, ms) {
    const deadline = Date.now() + ms;
    let seen;
    for (;;) {
        let done;
        [done, seen] = await probe();
        if (done) return seen;
        if (Date.now() > deadline) {
            assert.fail(`${what}: not within ${ms} ms; last seen ${JSON.stringify(seen)}`);
        }
        await delay(100);
    }
}

// One tab of the demo page, with what it logged and requested.
class DemoPage {
    pageErrors = [];
    console = [];
    requests = [];
    websockets = [];

    constructor(page, name) {
        this.page = page;
        this.name = name;
        page.on('pageerror', (err) => this.pageErrors.push(err.message));
        page.on('console', (msg) => this.console.push(`${msg.type()}: ${msg.text()}`));
        page.on('request', (req) => this.requests.push(req.url()));
        page.on('websocket', (ws) => this.websockets.push(ws.url()));
    }

    state() {
        return this.page.evaluate(() => {
            const s = window.sbTest;
            return {
                easyrtcid: s.easyrtcid, occupants: s.occupants, call: s.call, ended: s.ended,
                messages: s.messages, errors: s.errors, transport: s.transport(),
                status: document.getElementById('status').textContent,
            };
        });
    }

    // The call's RTCPeerConnection: states, decoded video frames and the selected candidate pair.
    media() {
        return this.page.evaluate(async () => {
            const pc = window.sbTest.pc();
            if (!pc) return null;
            const stats = await pc.getStats();
            let framesDecoded = 0;
            let pair = null;
            stats.forEach((r) => {
                if (r.type === 'inbound-rtp' && r.kind === 'video') framesDecoded += r.framesDecoded ?? 0;
                if (r.type === 'transport' && r.selectedCandidatePairId) {
                    pair = stats.get(r.selectedCandidatePairId);
                }
            });
            const local = pair && stats.get(pair.localCandidateId);
            const remote = pair && stats.get(pair.remoteCandidateId);
            return {
                connectionState: pc.connectionState,
                iceConnectionState: pc.iceConnectionState,
                framesDecoded,
                local: local && `${local.candidateType} ${local.protocol} ${local.address}:${local.port}`
                    + (local.relayProtocol ? ` (${local.relayProtocol} to the TURN server)` : ''),
                remote: remote && `${remote.candidateType} ${remote.protocol} ${remote.address}:${remote.port}`,
                localType: local?.candidateType, remoteType: remote?.candidateType,
            };
        });
    }

    async diagnostics() {
        const state = await this.state().catch((err) => `unavailable: ${err.message}`);
        const media = await this.media().catch(() => null);
        return [
            `--- ${this.name}: state ${JSON.stringify(state)}`,
            `    media ${JSON.stringify(media)}`,
            `    page errors ${JSON.stringify(this.pageErrors)}`,
            `    console (last 15):\n      ${this.console.slice(-15).join('\n      ')}`,
        ].join('\n');
    }
}

function pageUrl(srv, mode, name, room) {
    const query = new URLSearchParams({ room, name, ...mode.query });
    return `${srv.url}/?${query}`;
}

async function saveScreenshots(mode, pages, tag = '') {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const shots = [];
    for (const p of pages) {
        const png = await p.page.screenshot();
        writeFileSync(join(SCREENSHOTS, `${mode.id}${tag}-${p.name}.png`), png);
        shots.push(png);
    }
    return shots;
}

// Both pages side by side in one picture (for the README), drawn by the browser itself.
async function saveCallPicture(context, shots) {
    const sheet = await context.newPage();
    await sheet.setViewportSize({ width: VIEWPORT.width * 2 + 24, height: VIEWPORT.height + 16 });
    const images = shots.map((png) => `<img src="data:image/png;base64,${png.toString('base64')}"
        style="width:${VIEWPORT.width}px;box-shadow:0 1px 4px #0006">`);
    await sheet.setContent(`<body style="margin:0;padding:8px;display:flex;gap:8px;background:#9aa3af">
        ${images.join('')}</body>`);
    const picture = join(SCREENSHOTS, 'call.png');
    writeFileSync(picture, await sheet.screenshot());
    await sheet.close();
    if (process.env.SB_SAVE_SCREENSHOT === '1') {
        mkdirSync(join(REPO, 'docs'), { recursive: true });
        copyFileSync(picture, join(REPO, 'docs/call.png'));
    }
}

function serverFlags(mode, scratch) {
    // No public STUN servers: nothing may leave the machine, and host candidates suffice on loopback.
    const flags = [
        '--client-assets', CLIENT_ASSETS, '--static-dir', join(REPO, 'examples'), '--ice-servers', '[]',
    ];
    if (mode.relay) {
        const secretFile = join(scratch, 'turn-secret');
        writeFileSync(secretFile, `${turn.secret}\n`, { mode: 0o600 });
        flags.push('--turn-urls', turn.url, '--turn-secret-file', secretFile);
    }
    return flags;
}

const selected = process.env.SB_BROWSER_MODES?.split(',');
for (const mode of MODES) {
    const skip = selected && !selected.includes(mode.id) ? `not in SB_BROWSER_MODES` : mode.skip;
    test(mode.title, { skip, timeout: 120_000 }, async (t) => {
        assert.ok(existsSync(join(CLIENT_ASSETS, 'easyrtc/easyrtc.js')),
            `${CLIENT_ASSETS} has no easyrtc/easyrtc.js: run scripts/client-assets.sh first`);
        assert.ok(existsSync(CHROMIUM), `no ${CHROMIUM}: install Debian's chromium package`);
        const scratch = mkdtempSync(join(tmpdir(), `switchboard-browser-${mode.id}-`));
        const srv = new SwitchboardProcess(serverFlags(mode, scratch), { tls: mode.tls });
        let context = null;
        let pages = [];
        let failed = null;

        // Each step is a subtest; after a failure the rest are skipped, so the report names the
        // first step that broke, followed by what both pages and the server were doing.
        const step = (title, fn) => {
            const skip = failed ? `"${failed}" failed` : false;
            return t.test(title, { skip }, async (st) => {
                try {
                    await fn(st);
                } catch (err) {
                    failed = title;
                    await saveScreenshots(mode, pages, '-failed').catch(() => {});
                    const notes = await Promise.all(pages.map((p) => p.diagnostics()));
                    // The reporter prints the stack, made when the error was: extend both.
                    const more = `\n${notes.join('\n')}\n--- server log (end) ---\n${srv.log.slice(-3000)}`;
                    err.message += more;
                    err.stack += more;
                    throw err;
                }
            });
        };

        try {
            await srv.start();
            // A persistent context is the only way playwright takes a --user-data-dir: a fresh one.
            context = await chromium.launchPersistentContext(join(scratch, 'profile'), {
                executablePath: CHROMIUM,
                args: CHROMIUM_ARGS,
                headless: true,
                ignoreHTTPSErrors: Boolean(mode.tls),
                viewport: VIEWPORT,
            });
            const [first] = context.pages();
            const alice = new DemoPage(first ?? (await context.newPage()), 'alice');
            const bob = new DemoPage(await context.newPage(), 'bob');
            pages = [alice, bob];
            const room = `call-${mode.id}`;
            let ids = {};

            await step('the demo page and the client bundles load from Switchboard', async () => {
                for (const p of pages) {
                    const res = await p.page.goto(pageUrl(srv, mode, p.name, room), { timeout: 15_000 });
                    assert.equal(res.status(), 200, `${p.name}: GET ${res.url()}: ${res.status()}`);
                    const loaded = () => p.page.evaluate(() => typeof easyrtc === 'object' && !!window.sbTest);
                    await until(`${p.name}: easyrtc.js and window.sbTest present`,
                        async () => [await loaded(), null], 10_000);
                }
            });

            await step('both sign in and see each other in the room', async () => {
                for (const p of pages) {
                    await until(`${p.name} signed in`, async () => {
                        const s = await p.state();
                        return [s.easyrtcid !== null, s];
                    }, 10_000);
                }
                ids = { alice: (await alice.state()).easyrtcid, bob: (await bob.state()).easyrtcid };
                for (const [p, other] of [[alice, 'bob'], [bob, 'alice']]) {
                    await until(`${p.name} lists ${other} (${ids[other]})`, async () => {
                        const s = await p.state();
                        return [s.occupants[ids[other]] === other, s.occupants];
                    }, 10_000);
                }
            });

            const transports = mode.query.transport ?? 'polling, then websocket';
            await step(`the socket uses the expected transport (${transports})`, async () => {
                const scheme = mode.tls ? 'wss:' : 'ws:';
                for (const p of pages) {
                    await until(`${p.name} on the websocket transport`, async () => {
                        const s = await p.state();
                        return [s.transport === 'websocket', s.transport];
                    }, 10_000);
                    const polls = p.requests.filter(
                        (u) => u.includes('/socket.io/?') && u.includes('transport=polling'));
                    const sockets = p.websockets.filter((u) => u.includes('/socket.io/?'));
                    assert.equal(sockets.length, 1, `${p.name}: websockets ${JSON.stringify(p.websockets)}`);
                    assert.equal(new URL(sockets[0]).protocol, scheme, `${p.name}: ${sockets[0]}`);
                    if (mode.query.transport === 'websocket') {
                        assert.deepEqual(polls, [], `${p.name} long-polled`);
                        assert.ok(!sockets[0].includes('sid='), `${p.name}: not a direct websocket: ${sockets[0]}`);
                    } else {
                        assert.ok(polls.length > 0,
                            `${p.name}: no long-polling handshake: ${JSON.stringify(p.requests)}`);
                        assert.ok(sockets[0].includes('sid='), `${p.name}: not an upgrade: ${sockets[0]}`);
                    }
                }
            });

            await step('alice calls bob from the occupant list and bob accepts', async () => {
                await alice.page.click(`#occupants li[data-easyrtcid="${ids.bob}"] button`, { timeout: 5_000 });
                for (const [p, other] of [[alice, 'bob'], [bob, 'alice']]) {
                    await until(`${p.name} in a call with ${other}`, async () => {
                        const { call } = await p.state();
                        return [call.state === 'in-call' && call.peer === ids[other], call];
                    }, 10_000);
                }
            });

            await step('both RTCPeerConnections reach "connected"', async (st) => {
                for (const p of pages) {
                    const m = await until(`${p.name}: connectionState "connected"`, async () => {
                        const seen = await p.media();
                        return [seen?.connectionState === 'connected', seen];
                    }, 20_000);
                    st.diagnostic(`${p.name}: candidate pair ${m.local} -> ${m.remote}`);
                }
            });

            if (mode.relay) {
                await step('the selected candidate pairs go through the TURN relay', async () => {
                    for (const p of pages) {
                        const m = await p.media();
                        assert.equal(m.localType, 'relay', `${p.name}: local candidate ${m.local}`);
                        assert.equal(m.remoteType, 'relay', `${p.name}: remote candidate ${m.remote}`);
                    }
                });
            }

            await step('remote video frames are decoded on both sides', async () => {
                for (const p of pages) {
                    const first = await until(`${p.name}: first decoded frames`, async () => {
                        const m = await p.media();
                        return [m?.framesDecoded > 0, m];
                    }, 10_000);
                    await until(`${p.name}: framesDecoded rising past ${first.framesDecoded}`, async () => {
                        const m = await p.media();
                        return [m?.framesDecoded > first.framesDecoded + 5, m];
                    }, 10_000);
                }
            });

            await step('a peer message and a room message arrive on the other side', async () => {
                await alice.page.fill('#chat-input', 'hello bob, peer to peer');
                await alice.page.click('#send-peer');
                await bob.page.fill('#chat-input', 'hello room');
                await bob.page.click('#send-room');
                const arrives = (p, want) => until(`${p.name} receives ${JSON.stringify(want)}`, async () => {
                    const { messages } = await p.state();
                    const same = (m) => m.from === want.from && m.to === want.to && m.text === want.text;
                    return [messages.some(same), messages];
                }, 5_000);
                await arrives(bob, { from: ids.alice, to: 'peer', text: 'hello bob, peer to peer' });
                await arrives(alice, { from: ids.bob, to: 'room', text: 'hello room' });
                const { messages } = await bob.state();
                assert.deepEqual(messages.filter((m) => m.from === ids.bob), [], 'bob got his own room message back');
            });

            await step('screenshots of both pages mid-call, chat included', async () => {
                const shots = await saveScreenshots(mode, pages);
                if (mode.id === 'default') await saveCallPicture(context, shots);
            });

            await step('alice hangs up and bob sees the call end', async () => {
                await alice.page.click('#hangup');
                await until('bob: call ended by alice', async () => {
                    const s = await bob.state();
                    const endedByAlice = s.ended.some((e) => e.peer === ids.alice && e.by === 'peer');
                    return [s.call.state === 'idle' && endedByAlice, s];
                }, 5_000);
                const s = await alice.state();
                assert.equal(s.call.state, 'idle', JSON.stringify(s.call));
                assert.deepEqual(s.ended, [{ peer: ids.bob, by: 'me' }]);
            });

            await step('no page errors or EasyRTC errors on either page', async () => {
                for (const p of pages) {
                    assert.deepEqual(p.pageErrors, [], `${p.name}: uncaught page errors`);
                    assert.deepEqual((await p.state()).errors, [], `${p.name}: EasyRTC errors`);
                }
            });

            await step('closing bob\'s page shows as a leave on alice\'s', async () => {
                await bob.page.close();
                pages = [alice];
                await until('alice: bob gone from the occupant list', async () => {
                    const { occupants } = await alice.state();
                    return [!(ids.bob in occupants), occupants];
                }, 10_000);
                assert.deepEqual((await alice.state()).errors, [], 'alice: EasyRTC errors');
            });

            await step('the server stops cleanly (no crash, no sanitizer report)', async () => {
                await context.close();
                context = null;
                pages = [];
                await srv.stop();
            });
        } finally {
            await context?.close().catch(() => {});
            try {
                await srv.stop();
            } catch (err) {
                if (!failed) throw err;
            }
            rmSync(scratch, { recursive: true, force: true });
        }
    });
}
