// Static files (issue 4): the client assets that scripts/client-assets.sh takes from the pinned
// npm packages, served at /socket.io/ and /easyrtc/ as EasyRTC pages expect, and a user's own
// pages served at / without ever leaving their directory.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { BIN, RawPolling, useServer } from './harness.mjs';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const SOCKET_IO_DIST = join(REPO, 'node_modules/socket.io-client/dist');
const EASYRTC_API = join(REPO, 'node_modules/open-easyrtc/api');
const SECRET = 'root:x:0:0:not-for-your-eyes';

const work = mkdtempSync(join(tmpdir(), 'switchboard-static-'));
const assetsDir = join(work, 'client-assets');
const pagesDir = join(work, 'pages');
const outsideDir = join(work, 'outside');

function makePages() {
    mkdirSync(join(pagesDir, 'room'), { recursive: true });
    mkdirSync(outsideDir, { recursive: true });
    writeFileSync(join(pagesDir, 'index.html'), '<!doctype html><title>home</title>');
    writeFileSync(join(pagesDir, 'room/index.html'), '<!doctype html><title>room</title>');
    writeFileSync(join(pagesDir, 'room/app.js'), 'console.log("app");');
    writeFileSync(join(pagesDir, '.secret'), SECRET);
    writeFileSync(join(outsideDir, 'passwd'), SECRET);
    symlinkSync(join(outsideDir, 'passwd'), join(pagesDir, 'escape'));
    symlinkSync(outsideDir, join(pagesDir, 'outside-dir'));
}

// One request on its own connection, with the path sent exactly as given (no URL
// normalisation, which would hide the traversal attempts), and the body as raw bytes.
function rawRequest(srv, path, { method = 'GET', headers = {}, agent = false } = {}) {
    return new Promise((resolve, reject) => {
        const req = http.request({ host: srv.host, port: srv.port, path, method, headers, agent }, (res) => {
            const chunks = [];
            res.on('data', (c) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on('error', reject);
        });
        req.setTimeout(5000, () => req.destroy(new Error(`${method} ${path}: no response within 5 s`)));
        req.on('error', reject);
        req.end();
    });
}

describe('static files: client assets and pages', () => {
    // Filled before the server starts: its flags name these directories, which must exist.
    before(() => {
        execFileSync('bash', [join(REPO, 'scripts/client-assets.sh'), assetsDir], { stdio: ['ignore', 'ignore', 'pipe'] });
        makePages();
    });
    after(() => rmSync(work, { recursive: true, force: true }));
    const srv = useServer(['--client-assets', assetsDir, '--static-dir', pagesDir]);

    it('the script filled the directory from the pinned packages, with gzip copies', () => {
        const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8'));
        assert.equal(lock.packages['node_modules/socket.io-client'].version, '4.8.4');
        assert.equal(lock.packages['node_modules/open-easyrtc'].version, '2.1.8');
        for (const [copy, original] of [
            ['socket.io/socket.io.js', join(SOCKET_IO_DIST, 'socket.io.js')],
            ['easyrtc/easyrtc.js', join(EASYRTC_API, 'easyrtc.js')],
            ['easyrtc/easyrtc.css', join(EASYRTC_API, 'easyrtc.css')],
        ]) {
            const bytes = readFileSync(join(assetsDir, copy));
            assert.ok(bytes.equals(readFileSync(original)), copy);
            assert.ok(gunzipSync(readFileSync(join(assetsDir, `${copy}.gz`))).equals(bytes), `${copy}.gz`);
        }
    });

    it('the script is idempotent: a second run changes nothing', () => {
        const listing = () => execFileSync('find', [assetsDir, '-type', 'f', '-printf', '%P %s %T@\n']).toString().split('\n').sort();
        const first = listing();
        execFileSync('bash', [join(REPO, 'scripts/client-assets.sh'), assetsDir], { stdio: ['ignore', 'ignore', 'pipe'] });
        assert.deepEqual(listing(), first);
    });

    it('serves /socket.io/socket.io.js as the socket.io-client 4.8.4 bundle', async () => {
        const res = await rawRequest(srv, '/socket.io/socket.io.js');
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8');
        assert.equal(res.headers['cache-control'], 'public, max-age=3600');
        assert.match(res.headers.etag, /^"[0-9a-f]+-[0-9a-f]+"$/);
        assert.match(res.headers['last-modified'], /^[A-Z][a-z]{2}, \d\d [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d GMT$/);
        assert.equal(res.headers['content-encoding'], undefined);
        assert.equal(res.headers['content-length'], '153519');
        assert.ok(res.body.equals(readFileSync(join(SOCKET_IO_DIST, 'socket.io.js'))));
        assert.match(res.body.toString(), /Socket\.IO v4\.8\.4/);
    });

    it('serves the minified bundle and the source maps too', async () => {
        for (const name of ['socket.io.min.js', 'socket.io.js.map', 'socket.io.min.js.map']) {
            const res = await rawRequest(srv, `/socket.io/${name}`);
            assert.equal(res.status, 200, name);
            assert.equal(res.headers['content-type'], name.endsWith('.map') ? 'application/json' : 'application/javascript; charset=utf-8');
            assert.ok(res.body.equals(readFileSync(join(SOCKET_IO_DIST, name))), name);
        }
    });

    it('sends the precompressed copy to a client that accepts gzip', async () => {
        const res = await rawRequest(srv, '/socket.io/socket.io.js', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
        assert.equal(res.status, 200);
        assert.equal(res.headers['content-encoding'], 'gzip');
        assert.equal(res.headers.vary, 'Accept-Encoding');
        assert.equal(res.headers['content-type'], 'application/javascript; charset=utf-8');
        assert.equal(Number(res.headers['content-length']), res.body.length);
        assert.ok(res.body.length < 153519 / 3, `gzip body of ${res.body.length} bytes`);
        assert.ok(gunzipSync(res.body).equals(readFileSync(join(SOCKET_IO_DIST, 'socket.io.js'))));

        const refused = await rawRequest(srv, '/socket.io/socket.io.js', { headers: { 'accept-encoding': 'gzip;q=0, br' } });
        assert.equal(refused.headers['content-encoding'], undefined);
        assert.equal(refused.body.length, 153519);
    });

    it('answers 304 to If-None-Match with the ETag and to If-Modified-Since', async () => {
        for (const encoding of ['identity', 'gzip']) {
            const first = await rawRequest(srv, '/socket.io/socket.io.js', { headers: { 'accept-encoding': encoding } });
            const again = await rawRequest(srv, '/socket.io/socket.io.js', {
                headers: { 'accept-encoding': encoding, 'if-none-match': first.headers.etag },
            });
            assert.equal(again.status, 304, encoding);
            assert.equal(again.body.length, 0);
            assert.equal(again.headers.etag, first.headers.etag);
            assert.equal(again.headers['cache-control'], 'public, max-age=3600');

            const since = await rawRequest(srv, '/socket.io/socket.io.js', {
                headers: { 'accept-encoding': encoding, 'if-modified-since': first.headers['last-modified'] },
            });
            assert.equal(since.status, 304, encoding);
        }
        const plain = await rawRequest(srv, '/socket.io/socket.io.js');
        const gz = await rawRequest(srv, '/socket.io/socket.io.js', { headers: { 'accept-encoding': 'gzip' } });
        assert.notEqual(plain.headers.etag, gz.headers.etag, 'each representation has its own ETag');
        const stale = await rawRequest(srv, '/socket.io/socket.io.js', { headers: { 'if-none-match': '"stale"' } });
        assert.equal(stale.status, 200);
        assert.equal(stale.body.length, 153519);
    });

    it('leaves /socket.io/ with a query to Engine.IO', async () => {
        const session = await RawPolling.handshake(srv, { eio: 4 });
        assert.ok(session.sid);
    });

    it('serves the EasyRTC client files at /easyrtc/', async () => {
        for (const [path, type] of [
            ['easyrtc.js', 'application/javascript; charset=utf-8'],
            ['easyrtc.css', 'text/css; charset=utf-8'],
            ['easyrtc_ft.js', 'application/javascript; charset=utf-8'],
            ['img/powered_by_easyrtc.png', 'image/png'],
            ['img/x.svg', 'image/svg+xml'],
            ['labs/easyrtc_rates.js', 'application/javascript; charset=utf-8'],
            ['labs/easyrtc_recorder.js', 'application/javascript; charset=utf-8'],
        ]) {
            const res = await rawRequest(srv, `/easyrtc/${path}`);
            assert.equal(res.status, 200, path);
            assert.equal(res.headers['content-type'], type, path);
            assert.equal(res.headers['cache-control'], 'public, max-age=3600', path);
            assert.ok(res.body.equals(readFileSync(join(EASYRTC_API, path))), path);
        }
    });

    it('serves the user pages at /, with index.html and no-cache', async () => {
        const home = await rawRequest(srv, '/');
        assert.equal(home.status, 200);
        assert.equal(home.headers['content-type'], 'text/html; charset=utf-8');
        assert.equal(home.headers['cache-control'], 'no-cache');
        assert.equal(home.body.toString(), '<!doctype html><title>home</title>');

        const redirect = await rawRequest(srv, '/room?name=a');
        assert.equal(redirect.status, 301);
        assert.equal(redirect.headers.location, '/room/?name=a');
        assert.equal((await rawRequest(srv, '/room/')).body.toString(), '<!doctype html><title>room</title>');
        const js = await rawRequest(srv, '/room/app.js');
        assert.equal(js.headers['content-type'], 'application/javascript; charset=utf-8');
        assert.equal(js.body.toString(), 'console.log("app");');
    });

    it('shows an edited page at once', async () => {
        const before = await rawRequest(srv, '/room/app.js');
        writeFileSync(join(pagesDir, 'room/app.js'), 'console.log("edited, and longer");');
        const after = await rawRequest(srv, '/room/app.js', { headers: { 'if-none-match': before.headers.etag } });
        assert.equal(after.status, 200);
        assert.equal(after.body.toString(), 'console.log("edited, and longer");');
        assert.notEqual(after.headers.etag, before.headers.etag);
    });

    it('never answers a traversal attempt with a file outside the root', async () => {
        const attempts = [
            '/../etc/passwd', '/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/%2E%2E/',
            '/..%2f..%2f..%2fetc%2fpasswd', '/..%2F', '/room/../../outside/passwd', '/socket.io/../../outside/passwd',
            '/easyrtc/..%2f..%2fpages%2f.secret', '//etc/passwd', `/${outsideDir}/passwd`, `/${encodeURIComponent(`${outsideDir}/passwd`)}`,
            '/..\\..\\etc\\passwd', '/%5c..%5c..%5cetc%5cpasswd', '/index.html%00.png', '/escape', '/outside-dir/passwd',
            '/.secret', '/%2esecret',
        ];
        for (const path of attempts) {
            const res = await rawRequest(srv, path);
            assert.ok([400, 404].includes(res.status), `${path}: ${res.status}`);
            assert.ok(!res.body.toString().includes('not-for-your-eyes'), `${path} leaked the file`);
            assert.ok(!res.body.toString().includes('root:'), `${path} leaked /etc/passwd`);
        }
    });

    it('answers 404 for missing files', async () => {
        for (const path of ['/nope.html', '/room/nope.js', '/easyrtc/nope.js', '/socket.io/nope.js', '/easyrtc/img/']) {
            const res = await rawRequest(srv, path);
            assert.equal(res.status, 404, path);
        }
    });

    it('answers HEAD with the headers of GET and no body, and 304 with none, on one kept-alive connection', async () => {
        const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
        try {
            const head = await rawRequest(srv, '/socket.io/socket.io.js', { method: 'HEAD', agent });
            assert.equal(head.status, 200);
            assert.equal(head.headers['content-length'], '153519');
            assert.equal(head.headers['content-type'], 'application/javascript; charset=utf-8');
            assert.equal(head.body.length, 0);
            // Same socket: a body sent after the HEAD answer would corrupt this response.
            const get = await rawRequest(srv, '/index.html', { agent });
            assert.equal(get.status, 200);
            assert.equal(get.body.toString(), '<!doctype html><title>home</title>');
            const missing = await rawRequest(srv, '/nope.html', { method: 'HEAD', agent });
            assert.equal(missing.status, 404);
            const unchanged = await rawRequest(srv, '/index.html', { agent, headers: { 'if-none-match': get.headers.etag } });
            assert.equal(unchanged.status, 304);
            assert.equal((await rawRequest(srv, '/', { agent })).body.toString(), '<!doctype html><title>home</title>');
        } finally {
            agent.destroy();
        }
    });

    it('answers 405 to other methods on static paths', async () => {
        for (const method of ['POST', 'PUT', 'DELETE']) {
            const res = await rawRequest(srv, '/index.html', { method });
            assert.equal(res.status, 405, method);
            assert.equal(res.headers.allow, 'GET, HEAD');
        }
    });

    srv.stopsCleanly();
});

describe('static files: configuration', () => {
    it('refuses to start when a directory does not exist', () => {
        for (const flag of ['--static-dir', '--client-assets']) {
            const run = spawnSync(BIN, ['--listen', '127.0.0.1:0', flag, '/nonexistent/switchboard'], { encoding: 'utf8', timeout: 10_000 });
            assert.equal(run.status, 2, `${flag}: ${run.stderr}`);
            assert.match(run.stderr, new RegExp(`${flag}: '/nonexistent/switchboard' is not a directory`));
        }
    });

    describe('without static flags nothing is served but the server routes', () => {
        const srv = useServer();
        it('has no pages and no client assets', async () => {
            for (const path of ['/', '/socket.io/socket.io.js', '/easyrtc/easyrtc.js']) {
                const res = await rawRequest(srv, path);
                assert.equal(res.status, 404, path);
            }
            assert.equal((await rawRequest(srv, '/healthz')).status, 200);
        });
        srv.stopsCleanly();
    });
});
