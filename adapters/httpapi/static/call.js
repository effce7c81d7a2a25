// Visite's call page: camera and microphone to the media node, everyone
// else's video from it (docs/signalling.md). The page asks the API for a
// pass (a one-minute ticket) and connects; on a drop it shows
// "reconnecting", asks for a new pass and connects again, so a removed
// participant or an ended call stays out. Every text comes from the page
// (#call-texts, in the visitor's language).

import { beep } from "./tone.js";

const root = document.getElementById("call");
const id = root.dataset.consultation;
const host = root.dataset.host === "1";
const $ = (x) => document.getElementById(x);
const texts = new Map(Array.from(document.querySelectorAll("#call-texts [data-key]"),
  (li) => [li.dataset.key, li.textContent.trim()]));
const say = (key, name) => (texts.get(key) || key).replace("{name}", name || "");
$("call-nojs").hidden = true;

const status = $("call-status");
const stage = $("call-stage");
const selfVideo = $("video-self");

let local = null; // MediaStream of camera and microphone
let screen = null; // MediaStream of a shared screen
let pc = null;
let ws = null;
let chat = null; // the "chat" data channel
let self = "";
let peers = new Map(); // participant id → {name, host}
let over = false; // ended, removed, replaced, left: no reconnecting
let retry = 0;
let timers = [];
let audioOnly = false;
let candidates = []; // server candidates before the offer was applied

function setStatus(key, name) { status.textContent = say(key, name); }

// ---- local media ----------------------------------------------------

async function openLocal(audioId, videoId) {
  const want = {
    audio: audioId ? { deviceId: { exact: audioId } } : true,
    video: videoId ? { deviceId: { exact: videoId } } : { width: { ideal: 1280 }, height: { ideal: 720 } },
  };
  try {
    return await navigator.mediaDevices.getUserMedia(want);
  } catch {
    try {
      return await navigator.mediaDevices.getUserMedia({ audio: want.audio }); // no camera
    } catch {
      return null;
    }
  }
}

function track(kind) {
  return local ? local.getTracks().find((t) => t.kind === kind) : undefined;
}

async function fillDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  for (const [select, kind, current] of [[$("call-mic"), "audioinput", track("audio")], [$("call-cam"), "videoinput", track("video")]]) {
    select.replaceChildren();
    for (const d of devices.filter((x) => x.kind === kind)) {
      const o = new Option(d.label || d.deviceId.slice(0, 8), d.deviceId);
      o.selected = current && current.getSettings().deviceId === d.deviceId;
      select.append(o);
    }
  }
}

// switchDevice replaces one of the sent tracks without renegotiating.
async function switchDevice(kind, deviceId) {
  const constraints = kind === "audio" ? { audio: { deviceId: { exact: deviceId } } } : { video: { deviceId: { exact: deviceId } } };
  let fresh;
  try {
    fresh = (await navigator.mediaDevices.getUserMedia(constraints)).getTracks()[0];
  } catch {
    return;
  }
  const old = track(kind);
  fresh.enabled = old ? old.enabled : true;
  if (old) { local.removeTrack(old); old.stop(); }
  local.addTrack(fresh);
  selfVideo.srcObject = local;
  if (!(kind === "video" && screen)) await replace(kind, fresh);
}

async function replace(kind, t) {
  if (!pc) return;
  const sender = pc.getSenders().find((s) => s.track ? s.track.kind === kind : senderKind(s) === kind);
  if (sender) await sender.replaceTrack(t);
}

function senderKind(s) {
  const tr = pc.getTransceivers().find((x) => x.sender === s);
  return tr && tr.receiver.track ? tr.receiver.track.kind : "";
}

// ---- tiles ----------------------------------------------------------

function tile(pid) {
  let fig = document.getElementById("tile-" + pid);
  if (fig) return fig;
  fig = document.createElement("figure");
  fig.className = "tile";
  fig.id = "tile-" + pid;
  fig.dataset.participant = pid;
  const v = document.createElement("video");
  v.autoplay = true;
  v.playsInline = true;
  v.setAttribute("playsinline", "");
  const cap = document.createElement("figcaption");
  cap.textContent = (peers.get(pid) || {}).name || "";
  fig.append(v, cap);
  if (host) {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "button-quiet tile-remove";
    b.textContent = say("remove");
    b.addEventListener("click", () => removePeer(pid));
    fig.append(b);
  }
  stage.append(fig);
  layout();
  return fig;
}

function dropTile(pid) {
  const fig = document.getElementById("tile-" + pid);
  if (fig) fig.remove();
  layout();
}

function layout() {
  const n = stage.querySelectorAll(".tile").length;
  stage.dataset.count = String(n);
  $("call-alone").hidden = n > 1;
}

async function play(v) {
  try {
    await v.play();
  } catch {
    // iOS and some browsers want a tap before sound plays.
    const b = $("call-unmute");
    b.hidden = false;
    b.onclick = () => {
      b.hidden = true;
      for (const x of stage.querySelectorAll("video")) x.play().catch(() => {});
    };
  }
}

// ---- signalling -----------------------------------------------------

function send(msg) {
  if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ v: 1, ...msg }));
}

async function pass() {
  const r = await fetch("/api/v1/consultations/" + encodeURIComponent(id) + "/call", {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json" }, body: "{}",
  });
  if (r.status === 404 || r.status === 410 || r.status === 401) return { gone: true };
  if (!r.ok) throw new Error("pass " + r.status);
  return r.json();
}

function wsURL(u, ticket) {
  const abs = new URL(u, window.location.href);
  if (abs.protocol === "http:") abs.protocol = "ws:";
  if (abs.protocol === "https:") abs.protocol = "wss:";
  abs.searchParams.set("ticket", ticket);
  return abs.toString();
}

async function connect() {
  clearTimers();
  setStatus(retry ? "reconnecting" : "connecting");
  let p;
  try {
    p = await pass();
  } catch {
    return scheduleRetry();
  }
  if (p.gone) return finish("ended");
  self = p.self;
  pc = new RTCPeerConnection({ iceServers: p.iceServers || [] });
  candidates = [];
  if (local) {
    for (const t of local.getTracks()) {
      const sent = t.kind === "video" && screen ? screen.getVideoTracks()[0] : t;
      pc.addTrack(sent, local);
    }
  }
  pc.addEventListener("track", (ev) => {
    const pid = ev.streams[0] ? ev.streams[0].id : "";
    if (!pid || pid === self) return;
    const v = tile(pid).querySelector("video");
    if (v.srcObject !== ev.streams[0]) {
      v.srcObject = ev.streams[0];
      play(v);
    }
    ev.streams[0].addEventListener("removetrack", () => {
      if (ev.streams[0].getTracks().length === 0) dropTile(pid);
    });
  });
  pc.addEventListener("icecandidate", (ev) => {
    if (ev.candidate) send({ type: "candidate", candidate: ev.candidate.toJSON() });
  });
  pc.addEventListener("datachannel", (ev) => {
    if (ev.channel.label !== "chat") return;
    chat = ev.channel;
    chat.addEventListener("message", (m) => {
      try {
        const d = JSON.parse(m.data);
        showChat(d.name || "", d.text || "");
      } catch { /* not ours */ }
    });
  });
  pc.addEventListener("connectionstatechange", () => {
    root.dataset.connection = pc.connectionState; // the status line may say something newer
    if (pc.connectionState === "connected") {
      retry = 0;
      setStatus("connected");
    }
    if (pc.connectionState === "failed") restartIce();
  });
  const mine = pc;
  ws = new WebSocket(wsURL(p.url, p.ticket));
  ws.addEventListener("message", (ev) => onMessage(mine, ev.data));
  ws.addEventListener("open", () => {
    timers.push(setInterval(() => send({ type: "ping" }), 10000));
    timers.push(setInterval(quality, 2000));
    if (audioOnly) send({ type: "video", receive: false });
  });
  ws.addEventListener("close", () => {
    if (mine !== pc) return;
    teardown();
    if (!over) scheduleRetry();
  });
}

async function onMessage(mine, raw) {
  if (mine !== pc) return;
  let m;
  try { m = JSON.parse(raw); } catch { return; }
  switch (m.type) {
    case "welcome":
      peers = new Map((m.peers || []).map((x) => [x.id, x]));
      for (const x of peers.keys()) tile(x).querySelector("figcaption").textContent = peers.get(x).name;
      break;
    case "offer":
      await pc.setRemoteDescription({ type: "offer", sdp: m.sdp });
      for (const c of candidates.splice(0)) await pc.addIceCandidate(c).catch(() => {});
      await pc.setLocalDescription(await pc.createAnswer());
      send({ type: "answer", sdp: pc.localDescription.sdp });
      break;
    case "candidate":
      if (!m.candidate) break;
      if (pc.remoteDescription) await pc.addIceCandidate(m.candidate).catch(() => {});
      else candidates.push(m.candidate);
      break;
    case "peer-joined":
      peers.set(m.peer.id, m.peer);
      tile(m.peer.id).querySelector("figcaption").textContent = m.peer.name;
      setStatus("joined", m.peer.name);
      break;
    case "peer-left": {
      const who = peers.get(m.id);
      peers.delete(m.id);
      dropTile(m.id);
      if (who) setStatus("peer_left", who.name);
      break;
    }
    case "ended": finish("ended"); break;
    case "removed": finish("removed"); break;
    case "replaced": finish("replaced"); break;
    case "error":
      if (m.code === "room_full") finish("full");
      break;
  }
}

function restartIce() {
  if (!over) send({ type: "restart" });
}

function teardown() {
  clearTimers();
  if (pc) pc.close();
  pc = null;
  chat = null;
  for (const fig of stage.querySelectorAll(".tile:not(.tile-self)")) fig.remove();
  layout();
}

function clearTimers() {
  for (const t of timers) clearInterval(t);
  timers = [];
}

function scheduleRetry() {
  if (over) return;
  setStatus("reconnecting");
  retry++;
  setTimeout(connect, Math.min(1000 * 2 ** Math.min(retry - 1, 4), 15000));
}

// finish stops the call for good and says why.
function finish(key) {
  over = true;
  if (ws) { send({ type: "leave" }); ws.close(); }
  teardown();
  ws = null;
  setStatus(key);
  $("call-over-text").textContent = say(key);
  $("call-over").hidden = false;
  $("call-rejoin").hidden = key !== "left" && key !== "replaced";
  if (key !== "left" && key !== "replaced") stopLocal();
}

function stopLocal() {
  for (const s of [local, screen]) if (s) for (const t of s.getTracks()) t.stop();
  local = screen = null;
  selfVideo.srcObject = null;
}

// ---- quality, from getStats ------------------------------------------

let lastLoss = { lost: 0, got: 0 };
async function quality() {
  if (!pc) return;
  const stats = await pc.getStats();
  let rtt = -1, lost = 0, got = 0, audio = 0, sendRate = 0;
  stats.forEach((s) => {
    if (s.type === "candidate-pair" && s.state === "succeeded" && s.currentRoundTripTime !== undefined) rtt = s.currentRoundTripTime;
    if (s.type === "candidate-pair" && s.state === "succeeded" && s.availableOutgoingBitrate) sendRate = s.availableOutgoingBitrate;
    if (s.type === "inbound-rtp") { lost += s.packetsLost || 0; got += s.packetsReceived || 0; }
    if (s.type === "inbound-rtp" && s.kind === "audio") audio += s.packetsReceived || 0;
  });
  root.dataset.audioIn = String(audio); // how much sound arrives, for a glance in the developer tools
  root.dataset.sendKbps = String(Math.round(sendRate / 1000)); // what the browser may send, from the node's congestion feedback
  const dl = lost - lastLoss.lost, dg = got - lastLoss.got;
  lastLoss = { lost, got };
  const loss = dl + dg > 0 ? dl / (dl + dg) : 0;
  let level = "unknown";
  if (rtt < 0 && dg > 0) rtt = 0; // no round trip measured yet: judge by loss alone
  if (rtt >= 0) level = rtt < 0.15 && loss < 0.02 ? "good" : rtt < 0.4 && loss < 0.08 ? "fair" : "poor";
  const q = $("call-quality");
  q.dataset.level = level;
  $("call-quality-text").textContent = say("quality." + level);
}

// ---- chat -----------------------------------------------------------

function showChat(name, text) {
  const li = document.createElement("li");
  const b = document.createElement("strong");
  b.textContent = name + ": ";
  li.append(b, document.createTextNode(text));
  $("chat-log").append(li);
}

$("chat-form").addEventListener("submit", (ev) => {
  ev.preventDefault();
  const input = $("chat-text");
  const text = input.value.trim().slice(0, 1000);
  if (!text || !chat || chat.readyState !== "open") return;
  chat.send(JSON.stringify({ text }));
  showChat(say("chat_you"), text);
  input.value = "";
});

// ---- controls -------------------------------------------------------

function toggle(button, on) {
  button.setAttribute("aria-pressed", on ? "true" : "false");
}

$("ctl-mic").addEventListener("click", (ev) => {
  const t = track("audio");
  if (!t) return;
  t.enabled = !t.enabled;
  toggle(ev.currentTarget, !t.enabled);
});

$("ctl-cam").addEventListener("click", (ev) => {
  const t = track("video");
  if (!t) return;
  t.enabled = !t.enabled;
  toggle(ev.currentTarget, !t.enabled);
});

// Phones and most tablets cannot share their screen: no button there that
// could only say so.
if (!(navigator.mediaDevices && navigator.mediaDevices.getDisplayMedia)) $("ctl-screen").hidden = true;

$("ctl-screen").addEventListener("click", async (ev) => {
  const button = ev.currentTarget;
  if (screen) return stopSharing(button);
  if (!navigator.mediaDevices.getDisplayMedia) return setStatus("share_unsupported");
  try {
    screen = await navigator.mediaDevices.getDisplayMedia({ video: true });
  } catch {
    return;
  }
  const t = screen.getVideoTracks()[0];
  t.addEventListener("ended", () => stopSharing(button));
  await replace("video", t);
  selfVideo.srcObject = screen;
  toggle(button, true);
});

async function stopSharing(button) {
  if (!screen) return;
  for (const t of screen.getTracks()) t.stop();
  screen = null;
  await replace("video", track("video") || null);
  selfVideo.srcObject = local;
  toggle(button, false);
}

$("ctl-audio-only").addEventListener("click", async (ev) => {
  audioOnly = !audioOnly;
  send({ type: "video", receive: !audioOnly });
  await replace("video", audioOnly ? null : (screen ? screen.getVideoTracks()[0] : track("video")) || null);
  root.classList.toggle("audio-only", audioOnly);
  toggle(ev.currentTarget, audioOnly);
  if (audioOnly) setStatus("audio_only_on");
});

$("ctl-more").addEventListener("click", async (ev) => {
  const more = $("call-more");
  more.hidden = !more.hidden;
  ev.currentTarget.setAttribute("aria-expanded", String(!more.hidden));
  if (!more.hidden) await fillDevices();
});
$("call-mic").addEventListener("change", (ev) => switchDevice("audio", ev.target.value));
$("call-cam").addEventListener("change", (ev) => switchDevice("video", ev.target.value));

$("ctl-leave").addEventListener("click", () => finish("left"));
$("call-rejoin").addEventListener("click", async () => {
  $("call-over").hidden = true;
  over = false;
  retry = 0;
  if (!local) await startLocal();
  connect();
});

async function api(path, body) {
  return fetch("/api/v1/consultations/" + encodeURIComponent(id) + path, {
    method: "POST", credentials: "same-origin",
    headers: { "Content-Type": "application/json", "Accept": "application/json" }, body: JSON.stringify(body || {}),
  });
}

async function removePeer(pid) {
  const who = peers.get(pid);
  if (!window.confirm(say("remove_confirm", who ? who.name : ""))) return;
  await api("/remove", { participant: pid });
}

if ($("ctl-end")) {
  $("ctl-end").addEventListener("click", async () => {
    if (!window.confirm(say("end_confirm"))) return;
    const r = await api("/end");
    if (r.ok || r.status === 409) finish("ended");
  });
}

// A changed network (Wi-Fi ↔ mobile) gets a fresh ICE path at once.
window.addEventListener("online", restartIce);
if (navigator.connection) navigator.connection.addEventListener("change", restartIce);
window.addEventListener("pagehide", () => send({ type: "leave" }));

// ---- the waiting room, for the practitioner during the call ----------

const baseTitle = document.title;
const waiting = new Map(); // participant id → {name, consultation}

function showWaiting() {
  const list = $("call-waiting-list");
  list.replaceChildren();
  for (const [pid, w] of waiting) {
    const li = document.createElement("li");
    li.dataset.participant = pid;
    li.append(document.createTextNode(w.name + " "));
    if (w.consultation === id) {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "button-secondary";
      b.textContent = say("admit");
      b.addEventListener("click", async () => { await api("/admit"); });
      li.append(b);
    } else {
      const a = document.createElement("a");
      a.href = "/app/waiting#c-" + w.consultation;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = say("to_board");
      li.append(a);
    }
    list.append(li);
  }
  $("call-waiting").hidden = waiting.size === 0;
  $("call-waiting-count").textContent = String(waiting.size);
  document.title = waiting.size ? "(" + waiting.size + ") " + baseTitle : baseTitle;
}


// watchWaiting shows who checks in to any of the practitioner's
// consultations while they are in this call, with a tone, a browser
// notification and a count in the title.
async function watchWaiting() {
  try {
    const r = await fetch("/api/v1/waiting-room", { credentials: "same-origin", headers: { "Accept": "application/json" } });
    if (r.ok) {
      for (const c of (await r.json()).consultations || []) {
        for (const w of c.waiting || []) waiting.set(w.id, { name: w.name, consultation: c.id });
      }
    }
  } catch { /* the live events still come */ }
  showWaiting();
  const source = new EventSource("/live");
  source.addEventListener("checked_in", (ev) => {
    const d = JSON.parse(ev.data);
    waiting.set(d.participant, { name: d.name || "", consultation: d.consultation });
    showWaiting();
    setStatus("checked_in", d.name);
    beep();
    if ("Notification" in window && Notification.permission === "granted") {
      new Notification(document.title, { body: say("checked_in", d.name), tag: "visite-waiting" });
    }
  });
  const gone = (ev) => {
    const d = JSON.parse(ev.data);
    for (const [pid, w] of waiting) {
      if (d.participant ? pid === d.participant : w.consultation === d.consultation) waiting.delete(pid);
    }
    showWaiting();
  };
  for (const kind of ["left", "declined", "admitted", "ended"]) source.addEventListener(kind, gone);
}

async function startLocal() {
  local = await openLocal();
  if (!local) {
    setStatus("no_media");
    return;
  }
  selfVideo.srcObject = local;
  if (!track("video")) $("ctl-cam").disabled = true;
}

// The session ends after 30 minutes without use, and a call uses only the
// WebSocket: asking for a pass now and then keeps the session alive for a
// reconnect late in a long call.
setInterval(() => { if (!over) pass().catch(() => {}); }, 5 * 60 * 1000);

await startLocal();
layout();
connect();
if (host) watchWaiting();
