// Visite's waiting room for patients and guests (the page after "Ins
// Wartezimmer"): it keeps the participant present with a check-in every
// 20 seconds, listens to /live for the practice's messages, goes to the
// call page when admitted and stops when declined. Every text comes from
// the page (#waiting-texts, in the visitor's language).

const root = document.getElementById("waiting");
const id = root.dataset.consultation;
const self = root.dataset.self;
const status = document.getElementById("waiting-status");
const list = document.getElementById("waiting-messages");
const none = document.getElementById("waiting-none");
document.getElementById("waiting-nojs").hidden = true;

const texts = new Map(Array.from(document.querySelectorAll("#waiting-texts [data-key]"),
  (li) => [li.dataset.key, li.textContent.trim()]));

let heartbeat = 0;
let source = null;

// checkIn renews the presence; the API takes JSON only, which a form on
// another site cannot send.
async function checkIn() {
  try {
    const r = await fetch("/api/v1/consultations/" + encodeURIComponent(id) + "/check-in", {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" }, body: "{}",
    });
    if (r.status === 410 || r.status === 404) {
      stop("ended");
      return;
    }
    if (r.ok && (await r.json()).admitted) {
      stop("admitted");
      window.location.assign("/call/" + encodeURIComponent(id));
      return;
    }
    status.textContent = texts.get(r.ok ? "lead" : "offline");
  } catch {
    status.textContent = texts.get("offline");
  }
}

// show adds a message of the practice to the list (a live region).
function show(text) {
  const li = document.createElement("li");
  li.textContent = text;
  list.append(li);
  none.hidden = true;
}

// stop ends the heartbeat and the stream and says why.
function stop(key, message) {
  clearInterval(heartbeat);
  if (source) source.close();
  status.textContent = texts.get(key);
  if (message) show(message);
}

function forMe(data) {
  return data.consultation === id && (!data.participant || data.participant === self);
}

source = new EventSource("/live");
source.addEventListener("message", (ev) => {
  const data = JSON.parse(ev.data);
  if (forMe(data) && data.text) show(data.text);
});
source.addEventListener("admitted", (ev) => {
  if (!forMe(JSON.parse(ev.data))) return;
  stop("admitted");
  window.location.assign("/call/" + encodeURIComponent(id));
});
source.addEventListener("declined", (ev) => {
  const data = JSON.parse(ev.data);
  if (forMe(data)) stop("declined", data.text);
});
source.addEventListener("ended", (ev) => {
  if (forMe(JSON.parse(ev.data))) stop("ended");
});
source.addEventListener("error", () => { status.textContent = texts.get("offline"); });
source.addEventListener("open", () => { status.textContent = texts.get("lead"); });

heartbeat = setInterval(checkIn, 20000);
