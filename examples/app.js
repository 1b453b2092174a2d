// Switchboard demo: a two-party video call with text chat, using the stock easyrtc.js client.
//
// Query options: room (default "default"), name, transport=websocket (skip the long-polling
// start), relay=1 (ICE through the TURN servers the server hands out, nothing else).
'use strict';

const APP_NAME = 'switchboard.demo';
const params = new URLSearchParams(location.search);
const room = params.get('room') || 'default';
const byId = (id) => document.getElementById(id);

// Everything the page knows, also read by the browser test (tests/browser) through page.evaluate.
const state = {
    room,
    easyrtcid: null,
    occupants: {}, // easyrtcid -> username (or null) of the others in the room
    call: { state: 'idle', peer: null }, // state: idle | calling | in-call
    ended: [], // one {peer, by: 'me' | 'peer'} per call that ended
    messages: [], // {from, to: 'peer' | 'room', text}; from is 'me' for our own
    errors: [],
    camera: false,
    hangingUp: false,
    pc: () => (state.call.peer ? easyrtc.getPeerConnectionByUserId(state.call.peer) : null),
    transport: () => easyrtc.webSocket?.io?.engine?.transport?.name ?? null,
};
window.sbTest = state;

const nameOf = (id) => state.occupants[id] || id;

function setStatus(text, isError = false) {
    const el = byId('status');
    el.textContent = text;
    el.classList.toggle('error', isError);
}

function reportError(code, text) {
    state.errors.push({ code, text });
    setStatus(`${code}: ${text}`, true);
}

function setCall(callState, peer) {
    state.call = { state: callState, peer };
    byId('hangup').disabled = callState === 'idle';
    byId('send-peer').disabled = callState !== 'in-call';
    byId('remote-caption').textContent = peer ? nameOf(peer) : 'Nobody';
    renderOccupants();
}

function renderOccupants() {
    const list = byId('occupants');
    list.replaceChildren();
    const ids = Object.keys(state.occupants);
    if (ids.length === 0) {
        const li = document.createElement('li');
        li.className = 'empty';
        li.textContent = 'Nobody else yet: open this page in another tab.';
        list.append(li);
    }
    for (const id of ids) {
        const li = document.createElement('li');
        li.dataset.easyrtcid = id;
        const label = document.createElement('span');
        label.textContent = nameOf(id);
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = 'Call';
        button.disabled = state.call.peer === id;
        button.addEventListener('click', () => placeCall(id));
        li.append(label, button);
        list.append(li);
    }
}

function placeCall(peer) {
    hangUp();
    setCall('calling', peer);
    setStatus(`Calling ${nameOf(peer)}…`);
    easyrtc.call(
        peer,
        () => setStatus(`In a call with ${nameOf(peer)}`),
        (code, text) => {
            setCall('idle', null);
            reportError(code, text);
        },
        (accepted) => {
            if (accepted) {
                setCall('in-call', peer);
                setStatus(`${nameOf(peer)} answered; connecting…`);
            } else {
                setCall('idle', null);
                setStatus(`${nameOf(peer)} declined the call`);
            }
        },
    );
}

// Incoming calls are always taken, ending any call in progress: the page has one remote video.
function acceptCall(caller, accept) {
    hangUp();
    setCall('in-call', caller);
    setStatus(`In a call with ${nameOf(caller)}`);
    accept(true);
}

function hangUp() {
    state.hangingUp = true;
    easyrtc.hangupAll();
    state.hangingUp = false;
}

// Called for every closed peer connection, whoever ended it (hang-up, reject, peer gone).
function onPeerClosed(peer) {
    if (peer !== state.call.peer) return;
    const by = state.hangingUp ? 'me' : 'peer';
    state.ended.push({ peer, by });
    setCall('idle', null);
    easyrtc.setVideoObjectSrc(byId('remote-video'), '');
    setStatus(by === 'me' ? 'Call ended' : `${nameOf(peer)} hung up`);
}

function showRemoteVideo(stream) {
    const video = byId('remote-video');
    video.muted = false;
    video.controls = false;
    easyrtc.setVideoObjectSrc(video, stream);
    // Autoplay with sound needs a user gesture, which whoever answered a call has not made: play
    // muted then, with the video's own controls to unmute.
    video.play().catch(() => {
        video.muted = true;
        video.controls = true;
        video.play().catch((err) => reportError('PLAYBACK', err.message));
    });
}

function onOccupants(roomName, occupants) {
    if (roomName !== room) return;
    state.occupants = Object.fromEntries(
        Object.entries(occupants).map(([id, info]) => [id, info.username ?? null]),
    );
    renderOccupants();
}

function addChatLine(from, to, text) {
    state.messages.push({ from, to, text });
    const li = document.createElement('li');
    li.className = from === 'me' ? 'mine' : 'theirs';
    const who = from === 'me' ? 'You' : nameOf(from);
    li.textContent = `${who}${to === 'room' ? ' (to the room)' : ''}: ${text}`;
    byId('chat-log').append(li);
    li.scrollIntoView({ block: 'nearest' });
}

function onChat(sender, msgType, msgData, targeting) {
    if (typeof msgData?.text !== 'string') return;
    addChatLine(sender, targeting?.targetRoom ? 'room' : 'peer', msgData.text);
}

function sendChat(to) {
    const input = byId('chat-input');
    const text = input.value;
    const destination = to === 'room' ? { targetRoom: room } : state.call.peer;
    easyrtc.sendPeerMessage(
        destination,
        'chat',
        { text },
        () => addChatLine('me', to, text),
        (code, errorText) => reportError(code, errorText),
    );
    input.value = '';
}

function connect() {
    setStatus('Connecting…');
    easyrtc.connect(
        APP_NAME,
        (easyrtcid) => {
            state.easyrtcid = easyrtcid;
            const note = state.camera ? '' : ' (no camera: you can receive calls and chat)';
            setStatus(`Signed in to room "${room}"; pick someone to call${note}`);
        },
        (code, text) => reportError(code, text),
    );
}

function wireForms() {
    byId('room-input').value = room;
    byId('name-input').value = params.get('name') ?? '';
    byId('room-form').addEventListener('submit', (event) => {
        event.preventDefault();
        const next = new URLSearchParams(location.search);
        next.set('room', byId('room-input').value);
        const name = byId('name-input').value;
        if (name) next.set('name', name);
        else next.delete('name');
        location.search = next.toString();
    });
    byId('chat-form').addEventListener('submit', (event) => {
        event.preventDefault();
        sendChat(event.submitter?.value === 'peer' ? 'peer' : 'room');
    });
    byId('hangup').addEventListener('click', hangUp);
}

function start() {
    wireForms();
    renderOccupants();

    if (params.get('transport') === 'websocket') {
        // Replaces easyrtc's whole options object, so it repeats the defaults that matter.
        easyrtc.setSocketUrl(location.origin, {
            transports: ['websocket'],
            reconnection: false,
            forceNew: true,
            withCredentials: false,
        });
    }
    if (params.get('relay') === '1') {
        // easyrtc adds the server's iceServers (with TURN credentials) to this object.
        easyrtc.setPeerConnectionConfig({ iceTransportPolicy: 'relay' });
    }
    const name = params.get('name');
    if (name && !easyrtc.setUsername(name)) return;

    // easyrtc.js 2.1.8's joinRoom throws until connected, but the authenticate message carries
    // whatever this field holds, so the room is joined in the same step as signing in.
    easyrtc.roomJoin = { [room]: { roomName: room } };

    easyrtc.setErrorListener(({ errorCode, errorText }) => reportError(errorCode, errorText));
    easyrtc.setRoomOccupantListener(onOccupants);
    easyrtc.setAcceptChecker(acceptCall);
    easyrtc.setStreamAcceptor((peer, stream) => showRemoteVideo(stream));
    easyrtc.setPeerClosedListener(onPeerClosed);
    easyrtc.setPeerListener(onChat, 'chat');
    easyrtc.setDisconnectListener(() => {
        state.easyrtcid = null;
        state.occupants = {};
        renderOccupants();
        setStatus('Disconnected from the server; reload to sign in again', true);
    });

    easyrtc.initMediaSource(
        (stream) => {
            state.camera = true;
            easyrtc.setVideoObjectSrc(byId('local-video'), stream);
            connect();
        },
        (code, text) => {
            // Still useful without a camera: the page can receive a call and chat.
            reportError(code, text);
            connect();
        },
    );
}

start();
