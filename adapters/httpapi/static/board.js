// Visite's waiting-room board for practitioners (/app/waiting): it listens
// to /live and, on every event, reloads the board's list from the server
// (no polling), plays a short tone and shows a browser notification when
// someone checks in, and keeps a badge in the navigation and the document
// title up to date. Every text comes from the page (#board-texts).

import { beep } from "./tone.js";

const texts = new Map(Array.from(document.querySelectorAll("#board-texts [data-key]"),
  (li) => [li.dataset.key, li.textContent.trim()]));
const live = document.getElementById("board-live");
const notifyButton = document.getElementById("board-notify");
const badge = document.getElementById("waiting-badge");
const baseTitle = document.title;

function text(key, vars = {}) {
  let s = texts.get(key) || "";
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll("{" + k + "}", String(v));
  return s;
}

// count sums who is waiting across the board and shows it.
function count() {
  let n = 0;
  for (const el of document.querySelectorAll("#board-list [data-waiting]")) n += Number(el.dataset.waiting) || 0;
  if (badge) {
    badge.textContent = String(n);
    badge.hidden = n === 0;
  }
  document.title = n > 0 ? "(" + n + ") " + baseTitle : baseTitle;
}

// refresh replaces the list with the server's current one.
async function refresh() {
  try {
    const r = await fetch(window.location.pathname, { credentials: "same-origin", headers: { "Accept": "text/html" } });
    if (!r.ok) return;
    const doc = new DOMParser().parseFromString(await r.text(), "text/html");
    const fresh = doc.getElementById("board-list");
    if (fresh) document.getElementById("board-list").replaceWith(fresh);
    count();
  } catch {
    live.textContent = text("offline");
  }
}


function notify(message) {
  if ("Notification" in window && Notification.permission === "granted") {
    new Notification(text("title"), { body: message, tag: "visite-waiting" });
  }
}

if ("Notification" in window && Notification.permission === "default") {
  notifyButton.hidden = false;
  notifyButton.addEventListener("click", async () => {
    await Notification.requestPermission();
    notifyButton.hidden = true;
  });
}

const source = new EventSource("/live");
source.addEventListener("checked_in", (ev) => {
  const data = JSON.parse(ev.data);
  const message = text("checked_in", { name: data.name || "" });
  live.textContent = message;
  beep();
  notify(message);
  refresh();
});
source.addEventListener("left", () => {
  live.textContent = text("left");
  refresh();
});
for (const kind of ["admitted", "declined", "ended"]) source.addEventListener(kind, refresh);
source.addEventListener("error", () => { live.textContent = text("offline"); });
source.addEventListener("open", () => { live.textContent = ""; });
count();
