// A real coturn (Debian's `turnserver`) on loopback for the integration and browser tests, and
// `turnutils_uclient` to check TURN credentials against it. coturn runs with `use-auth-secret`,
// the TURN REST scheme Switchboard mints credentials for. Every wait is bounded.
import { execFile, spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TURN_HOST = '127.0.0.1';
export const TURN_REALM = 'switchboard.test';

const START_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 3_000;
const UCLIENT_TIMEOUT_MS = 20_000;

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export const randomSecret = () => randomBytes(24).toString('base64url');

// base64(HMAC-SHA1(secret, username)): the credential coturn expects for a TURN REST username,
// computed here independently of the server's code.
export const turnCredential = (secret, username) =>
    createHmac('sha1', secret).update(username).digest('base64');

// A TURN REST username and credential expiring at `expiryUnixS`.
export function mintTurnCredential(secret, user, expiryUnixS) {
    const username = `${expiryUnixS}:${user}`;
    return { username, credential: turnCredential(secret, username) };
}

// `turn:host:port?transport=udp` -> {host, port, transport}; transport defaults to udp.
export function parseTurnUrl(url) {
    const m = /^turns?:([^:?]+):(\d+)(?:\?transport=(udp|tcp))?$/.exec(url);
    if (!m) throw new Error(`not a turn URL with host and port: ${url}`);
    return { host: m[1], port: Number(m[2]), transport: m[3] ?? 'udp' };
}

// A port free on TURN_HOST for both TCP and UDP, since coturn listens on both.
async function freePort() {
    for (let attempt = 0; attempt < 20; attempt++) {
        const tcp = net.createServer();
        await new Promise((resolve, reject) => {
            tcp.once('error', reject);
            tcp.listen(0, TURN_HOST, resolve);
        });
        const { port } = tcp.address();
        const udp = dgram.createSocket('udp4');
        const udpFree = await new Promise((resolve) => {
            udp.once('error', () => resolve(false));
            udp.bind(port, TURN_HOST, () => resolve(true));
        });
        if (udpFree) udp.close();
        await new Promise((resolve) => tcp.close(resolve));
        if (udpFree) return port;
    }
    throw new Error(`no port free for both TCP and UDP on ${TURN_HOST}`);
}

// Whether a STUN Binding request to port over UDP gets its success response within ms.
function udpBindingAnswered(port, ms) {
    return new Promise((resolve) => {
        const sock = dgram.createSocket('udp4');
        const id = randomBytes(12);
        let done = false;
        const finish = (ok) => {
            if (done) return;
            done = true;
            clearTimeout(timer);
            sock.close();
            resolve(ok);
        };
        const timer = setTimeout(() => finish(false), ms);
        sock.on('error', () => finish(false));
        sock.on('message', (msg) => {
            if (msg.length >= 20 && msg.readUInt16BE(0) === 0x0101 && msg.subarray(8, 20).equals(id)) finish(true);
        });
        // Binding request, no attributes, the RFC 5389 magic cookie, a random transaction id.
        sock.send(Buffer.concat([Buffer.from('000100002112a442', 'hex'), id]), port, TURN_HOST);
    });
}

function tcpAccepts(port, ms) {
    return new Promise((resolve) => {
        const sock = net.connect({ host: TURN_HOST, port, timeout: ms });
        const finish = (ok) => {
            sock.destroy();
            resolve(ok);
        };
        sock.once('connect', () => finish(true));
        sock.once('error', () => finish(false));
        sock.once('timeout', () => finish(false));
    });
}

// Every TCP and UDP socket of process `pid` as "tcp 127.0.0.1:3478" (IPv6 ones by their hex
// address), read from /proc, so a test can check that nothing is reachable beyond loopback.
export function socketsOf(pid) {
    const inodes = new Set();
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
            const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
            if (m) inodes.add(m[1]);
        } catch { /* closed meanwhile */ }
    }
    const found = [];
    for (const proto of ['tcp', 'udp', 'tcp6', 'udp6']) {
        const rows = readFileSync(`/proc/${pid}/net/${proto}`, 'utf8').trim().split('\n').slice(1);
        for (const row of rows) {
            const cols = row.trim().split(/\s+/);
            if (!inodes.has(cols[9])) continue;
            const [hexAddr, hexPort] = cols[1].split(':');
            // IPv4 addresses are in host (little-endian) byte order.
            const addr = hexAddr.length === 8
                ? hexAddr.match(/../g).reverse().map((b) => parseInt(b, 16)).join('.')
                : `[${hexAddr}]`;
            found.push(`${proto} ${addr}:${parseInt(hexPort, 16)}`);
        }
    }
    return found;
}

// Starts coturn on TURN_HOST with use-auth-secret and `secrets` (every one accepted; coturn allows
// several static-auth-secret lines). Returns {host, port, secret (the first), secrets, realm, pid,
// urls, log(), waitLog(re), stop()}. `urls` are the turn: URLs for UDP and TCP.
export async function startCoturn({ secrets = [randomSecret()] } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-coturn-'));
    const port = await freePort();
    const conf = join(dir, 'turnserver.conf');
    writeFileSync(conf, [
        `listening-ip=${TURN_HOST}`,
        `relay-ip=${TURN_HOST}`,
        `listening-port=${port}`,
        'use-auth-secret',
        ...secrets.map((s) => `static-auth-secret=${s}`),
        `realm=${TURN_REALM}`,
        'no-tls',
        'no-dtls',
        'no-cli',
        // NAT behaviour discovery would answer from an alternative port too.
        'no-rfc5780',
        'fingerprint',
        // The test's peers, and browsers' relay candidates, are all on 127.0.0.1.
        'allow-loopback-peers',
        'no-multicast-peers',
        // Per-session lines ("user <name>: incoming packet ALLOCATE processed, success") let tests
        // see which credentials were accepted.
        'verbose',
        'log-file=stdout',
        `pidfile=${join(dir, 'turnserver.pid')}`,
        // Its own user database, instead of the system's /var/lib/turn/turndb.
        `userdb=${join(dir, 'turndb')}`,
        '',
    ].join('\n'));

    const proc = spawn('turnserver', ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    proc.stdout.on('data', (c) => { log += c; });
    proc.stderr.on('data', (c) => { log += c; });
    let exited = null;
    const exit = new Promise((resolve) => proc.once('exit', (code, signal) => {
        exited = { code, signal };
        resolve(exited);
    }));
    let spawnError = null;
    proc.once('error', (err) => { spawnError = err; });
    // A test runner that dies must not leave coturn behind.
    const killOnExit = () => proc.kill('SIGKILL');
    process.once('exit', killOnExit);

    let stopped = false;
    const stop = async () => {
        if (stopped) return;
        stopped = true;
        process.off('exit', killOnExit);
        if (!exited && !spawnError) {
            proc.kill('SIGTERM');
            if (!(await Promise.race([exit, delay(STOP_GRACE_MS).then(() => null)]))) {
                proc.kill('SIGKILL');
                await exit;
            }
        }
        rmSync(dir, { recursive: true, force: true });
    };

    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
        if (spawnError || exited) {
            await stop();
            throw new Error(`turnserver did not start: ${spawnError?.message ?? JSON.stringify(exited)}\n${log}`);
        }
        if (Date.now() > deadline) {
            await stop();
            throw new Error(`turnserver did not answer on ${TURN_HOST}:${port} within ${START_TIMEOUT_MS} ms\n${log}`);
        }
        if ((await tcpAccepts(port, 200)) && (await udpBindingAnswered(port, 200))) break;
        await delay(50);
    }

    return {
        host: TURN_HOST,
        port,
        secret: secrets[0],
        secrets,
        realm: TURN_REALM,
        pid: proc.pid,
        urls: [`turn:${TURN_HOST}:${port}?transport=udp`, `turn:${TURN_HOST}:${port}?transport=tcp`],
        log: () => log,
        // Resolves once coturn's log matches `re`; rejects with the log after `ms`.
        async waitLog(re, ms = 5_000) {
            const until = Date.now() + ms;
            while (!re.test(log)) {
                if (Date.now() > until) throw new Error(`coturn log never matched ${re} within ${ms} ms\n${log.slice(-4000)}`);
                await delay(50);
            }
        },
        stop,
    };
}

// Runs turnutils_uclient against a TURN URL: two clients each allocate a relay with these
// credentials and send each other a message through the relays (-y), without RTCP (-c).
// Resolves with {code, sent, received, output}; code 0 and received === sent > 0 mean coturn
// accepted the credentials and relayed.
export function uclient(url, { username, credential }) {
    const { host, port, transport } = parseTurnUrl(url);
    const args = [...(transport === 'tcp' ? ['-t'] : []), '-y', '-c', '-n', '1', '-m', '1', '-z', '1',
        '-u', username, '-w', credential, '-p', String(port), host];
    return new Promise((resolve) => {
        execFile('turnutils_uclient', args, { timeout: UCLIENT_TIMEOUT_MS, killSignal: 'SIGKILL' }, (err, stdout, stderr) => {
            const output = `${stdout}${stderr}`;
            const totals = [...output.matchAll(/tot_send_msgs=(\d+), tot_recv_msgs=(\d+)/g)].pop();
            resolve({
                code: err ? (err.code ?? err.signal) : 0,
                sent: totals ? Number(totals[1]) : 0,
                received: totals ? Number(totals[2]) : 0,
                output: `turnutils_uclient ${args.join(' ')}\n${output}`,
            });
        });
    });
}
