// Visite's pre-call check (the page /check): browser, camera and
// microphone with a preview and a level meter, speaker and connection.
// Every text comes from the page (#pc-texts, in the visitor's language), so
// this module holds none. Nothing leaves the device but a few requests to
// /healthz to time the connection.

const $ = (id) => document.getElementById(id);

const texts = new Map(Array.from(document.querySelectorAll("#pc-texts [data-key]"),
  (li) => [li.dataset.key, li.textContent.trim()]));

// text returns the page's text for key with {name} placeholders filled.
function text(key, vars = {}) {
  let s = texts.get(key) || "";
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll("{" + k + "}", String(v));
  return s;
}

// say shows a status (the elements are live regions, so screen readers
// announce it) and marks it ok/bad/… for the styles and the tests.
function say(el, key, state = "", vars = {}) {
  el.textContent = text(key, vars);
  el.dataset.state = state;
}

const AudioCtx = window.AudioContext || window.webkitAudioContext;
const reducedMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
const canPickSpeaker = typeof AudioCtx === "function" && "setSinkId" in AudioCtx.prototype;
const mediaErrors = {
  NotAllowedError: "media-denied", PermissionDeniedError: "media-denied", SecurityError: "media-denied",
  NotFoundError: "media-not_found", DevicesNotFoundError: "media-not_found", OverconstrainedError: "media-not_found",
  NotReadableError: "media-busy", TrackStartError: "media-busy", AbortError: "media-busy",
};

const ui = {
  browser: $("pc-browser-status"), mediaStart: $("pc-media-start"), media: $("pc-media-status"),
  help: $("pc-help"), helpMine: $("pc-help-mine"), allHelp: document.querySelector(".pc-all-help"),
  live: $("pc-live"), video: $("pc-video"), level: $("pc-level"), camera: $("pc-camera"), mic: $("pc-mic"),
  speakerField: $("pc-speaker-field"), speaker: $("pc-speaker"), play: $("pc-speaker-play"),
  speakerStatus: $("pc-speaker-status"), net: $("pc-net-status"), ice: $("pc-ice-status"), again: $("pc-net-again"),
};

let audio = null; // one AudioContext, made on the first click (autoplay rules)
let stream = null;
let stopMeter = () => {};

function audioContext() {
  if (!audio) audio = new AudioCtx();
  if (audio.state === "suspended") audio.resume();
  return audio;
}

// browserKind picks the help that fits; a guess is fine, all help is on the page.
function browserKind() {
  const ua = navigator.userAgent;
  if (/iPhone|iPad|iPod/.test(ua) || (/Macintosh/.test(ua) && navigator.maxTouchPoints > 1)) return "ios";
  if (/Android/.test(ua)) return "android";
  if (/Firefox\//.test(ua)) return "firefox";
  if (/Edg\/|Chrome\/|Chromium\//.test(ua)) return "chrome";
  if (/Safari\//.test(ua)) return "safari";
  return "";
}

function supported() {
  return typeof window.RTCPeerConnection === "function" && typeof AudioCtx === "function" &&
    !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

// --- Camera and microphone ---

function stopMedia() {
  stopMeter();
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  ui.video.srcObject = null;
}

async function runMedia(constraints) {
  ui.mediaStart.disabled = true;
  ui.camera.disabled = ui.mic.disabled = true;
  try {
    stopMedia();
    stream = await navigator.mediaDevices.getUserMedia(constraints);
    ui.video.srcObject = stream;
    ui.help.hidden = true;
    ui.live.hidden = false;
    startMeter(stream);
    await fillDevices();
    say(ui.media, "media-ok", "ok");
  } catch (err) {
    stopMedia();
    ui.live.hidden = true;
    const key = mediaErrors[err && err.name] || "media-failed";
    say(ui.media, key, "bad");
    if (key === "media-denied" || key === "media-not_found") showHelp();
    ui.mediaStart.textContent = text("media-retry");
  } finally {
    ui.mediaStart.disabled = false;
    ui.camera.disabled = ui.mic.disabled = false;
  }
}

// startMeter shows the microphone's loudness in the <meter>, every frame,
// or four times a second for people who asked for less motion.
function startMeter(s) {
  if (s.getAudioTracks().length === 0) return;
  const ctx = audioContext();
  const source = ctx.createMediaStreamSource(s);
  const analyser = ctx.createAnalyser();
  analyser.fftSize = 1024;
  source.connect(analyser);
  const data = new Float32Array(analyser.fftSize);
  let frame = 0;
  let last = -Infinity;
  const tick = (now) => {
    if (now - last >= (reducedMotion.matches ? 250 : 0)) {
      last = now;
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const x of data) sum += x * x;
      ui.level.value = Math.min(1, Math.sqrt(sum / data.length) * 4);
    }
    frame = requestAnimationFrame(tick);
  };
  frame = requestAnimationFrame(tick);
  stopMeter = () => {
    cancelAnimationFrame(frame);
    source.disconnect();
    ui.level.value = 0;
    stopMeter = () => {};
  };
}

function activeDevice(tracks) {
  const t = tracks[0];
  return t && t.getSettings ? t.getSettings().deviceId || "" : "";
}

function fillSelect(sel, devices, kind, current) {
  const list = devices.filter((d) => d.kind === kind && d.deviceId);
  sel.replaceChildren(...list.map((d, i) => {
    const o = new Option(d.label || text("device", { n: i + 1 }), d.deviceId);
    o.selected = d.deviceId === current;
    return o;
  }));
  return list.length;
}

async function fillDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  fillSelect(ui.camera, devices, "videoinput", activeDevice(stream.getVideoTracks()));
  fillSelect(ui.mic, devices, "audioinput", activeDevice(stream.getAudioTracks()));
  if (canPickSpeaker) ui.speakerField.hidden = fillSelect(ui.speaker, devices, "audiooutput", ui.speaker.value) === 0;
}

function chosen(sel) {
  return sel.value ? { deviceId: { exact: sel.value } } : true;
}

function switchDevice() {
  say(ui.media, "media-switching", "busy");
  runMedia({ video: chosen(ui.camera), audio: chosen(ui.mic) });
}

// showHelp puts the steps for this browser above the list of all browsers.
function showHelp() {
  const mine = ui.allHelp.querySelector(`[data-browser="${browserKind()}"]`);
  if (!mine) {
    ui.allHelp.open = true;
    return;
  }
  const name = document.createElement("p");
  name.className = "pc-help-browser";
  name.textContent = mine.querySelector("h3").textContent;
  ui.helpMine.replaceChildren(name, mine.querySelector("ol").cloneNode(true));
  ui.help.hidden = false;
}

// --- Speaker ---

async function playTone() {
  ui.play.disabled = true;
  try {
    const ctx = audioContext();
    if (canPickSpeaker && ui.speaker.value) await ctx.setSinkId(ui.speaker.value === "default" ? "" : ui.speaker.value);
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    const t = ctx.currentTime;
    osc.frequency.value = 440;
    gain.gain.setValueAtTime(0, t);
    gain.gain.linearRampToValueAtTime(0.3, t + 0.05);
    gain.gain.setValueAtTime(0.3, t + 0.95);
    gain.gain.linearRampToValueAtTime(0, t + 1);
    osc.connect(gain).connect(ctx.destination);
    osc.onended = () => {
      osc.disconnect();
      gain.disconnect();
      ui.play.disabled = false;
      say(ui.speakerStatus, "speaker-done", "done");
    };
    say(ui.speakerStatus, "speaker-playing", "busy");
    osc.start(t);
    osc.stop(t + 1);
  } catch {
    ui.play.disabled = false;
    say(ui.speakerStatus, "speaker-failed", "bad");
  }
}

// --- Connection ---

// roundTrip is the median time of five small requests, or null offline.
async function roundTrip() {
  const times = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    try {
      const r = await fetch("/healthz", { cache: "no-store", credentials: "omit" });
      await r.text();
      if (r.ok) times.push(performance.now() - start);
    } catch {
      // offline: counted by its absence
    }
  }
  if (times.length === 0) return null;
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)]);
}

// gathersCandidate tells whether the browser can prepare a peer-to-peer
// connection: one local candidate is enough (no relay server is asked).
function gathersCandidate() {
  return new Promise((resolve) => {
    let pc;
    try {
      pc = new RTCPeerConnection({ iceServers: [] });
    } catch {
      resolve(false);
      return;
    }
    let timer = 0;
    const finish = (ok) => {
      clearTimeout(timer);
      pc.onicecandidate = null;
      pc.close();
      resolve(ok);
    };
    timer = setTimeout(() => finish(false), 5000);
    pc.onicecandidate = (e) => finish(!!(e.candidate && e.candidate.candidate));
    pc.createDataChannel("check");
    pc.createOffer().then((o) => pc.setLocalDescription(o)).catch(() => finish(false));
  });
}

async function checkConnection() {
  ui.again.hidden = true;
  say(ui.net, "checking", "busy");
  say(ui.ice, "checking", "busy");
  const [ms, ice] = await Promise.all([roundTrip(), gathersCandidate()]);
  if (ms === null) say(ui.net, "net-offline", "bad");
  else if (ms < 300) say(ui.net, "net-good", "ok", { ms });
  else say(ui.net, "net-slow", "slow", { ms });
  say(ui.ice, ice ? "ice-ok" : "ice-bad", ice ? "ok" : "bad");
  ui.again.hidden = false;
}

// --- Start ---

function start() {
  $("pc-nojs").hidden = true;
  if (window.isSecureContext === false) say(ui.browser, "browser-insecure", "bad");
  else if (!supported()) say(ui.browser, "browser-bad", "bad");
  else {
    say(ui.browser, "browser-ok", "ok");
    ui.mediaStart.hidden = false;
    ui.mediaStart.addEventListener("click", () => {
      say(ui.media, "media-waiting", "busy");
      runMedia({ video: true, audio: true });
    });
    ui.camera.addEventListener("change", switchDevice);
    ui.mic.addEventListener("change", switchDevice);
  }
  if (typeof AudioCtx === "function") {
    ui.play.hidden = false;
    ui.play.addEventListener("click", playTone);
  }
  ui.again.addEventListener("click", checkConnection);
  checkConnection();
}

start();
