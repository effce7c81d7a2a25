// A short, quiet tone for "someone is in the waiting room", shared by the
// practitioner's board and call page.

export function beep() {
  try {
    const ctx = new AudioContext();
    const osc = ctx.createOscillator();
    const gain = ctx.createGain();
    osc.frequency.value = 880;
    gain.gain.value = 0.1;
    osc.connect(gain).connect(ctx.destination);
    osc.start();
    osc.stop(ctx.currentTime + 0.2);
    osc.addEventListener("ended", () => ctx.close());
  } catch {
    // no audio: the list and the badge still show it
  }
}
