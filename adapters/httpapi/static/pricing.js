// Visite's price calculator (the page /pricing): the form works without
// JavaScript (a GET that the server answers with the quote); this module
// asks the JSON API instead and updates the result in place as the visitor
// types. Every text comes from the page (#pricing-texts), in the visitor's
// language, so this module holds none.

const $ = (id) => document.getElementById(id);
const form = $("pricing-form");
const result = $("pricing-result");
const error = $("pricing-error");
const texts = new Map(Array.from(document.querySelectorAll("#pricing-texts [data-key]"),
  (li) => [li.dataset.key, li.textContent.trim()]));

const euro = new Intl.NumberFormat(document.documentElement.lang === "en" ? "en-IE" : "de-DE",
  { style: "currency", currency: "EUR" });
const money = (cents) => euro.format(cents / 100);

// text returns the page's text for key with {name} placeholders filled.
function text(key, vars = {}) {
  let s = texts.get(key) || "";
  for (const [k, v] of Object.entries(vars)) s = s.replaceAll("{" + k + "}", String(v));
  return s;
}

function show(q) {
  $("pricing-result-h3").textContent = text(q.interval);
  $("pricing-result-for").textContent = text("for",
    { n: q.practitioners, type: text("type-" + q.practice_type), tier: q.tier_label });
  $("pricing-unit").textContent = money(q.unit_net_cents);
  $("pricing-net").textContent = money(q.net_cents);
  $("pricing-vat").textContent = money(q.vat_cents);
  $("pricing-gross").textContent = money(q.gross_cents);
  error.hidden = true;
  result.hidden = false;
}

function fail(body) {
  const msgs = (body.fields || []).map((f) => f.message);
  error.textContent = msgs.length ? msgs.join(" ") : body.message || "";
  error.hidden = false;
  result.hidden = true;
}

let pending = null; // the newest request; older answers are dropped

async function update() {
  const params = new URLSearchParams(new FormData(form));
  const ask = fetch(form.dataset.api + "?" + params, { headers: { Accept: "application/json" } });
  pending = ask;
  try {
    const res = await ask;
    const body = await res.json();
    if (ask !== pending) return;
    if (res.ok) {
      show(body);
      history.replaceState(null, "", "/pricing?" + params);
    } else {
      fail(body);
    }
  } catch {
    // Offline or the server is restarting: the form still submits.
  }
}

let timer = 0;
form.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(update, 250);
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  clearTimeout(timer);
  update();
});
