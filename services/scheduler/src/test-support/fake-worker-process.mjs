// A stand-in model-worker for the supervisor's tests: prints WEIR_READY like
// a real one, exits 0 on SIGTERM, and fails to start when its planned preset
// contains "broken" (as an unknown preset would).
const id = process.env.WEIR_INSTANCE_ID;
const preset = process.env[`WEIR__tiers__${process.env.WEIR_TIER}__engineOptions__preset`] ?? "configured";
if (preset.includes("broken")) {
  console.error(`unknown preset ${preset}`);
  process.exit(3);
}
process.on("SIGTERM", () => {
  console.log(`${id} draining`);
  process.exit(0);
});
// "serving" before WEIR_READY: one stream keeps its order, so the line is
// forwarded before the supervisor can act on the worker being ready.
setTimeout(() => {
  console.log(`${id} serving`);
  console.log(`WEIR_READY ${JSON.stringify({ id, preset, pid: process.pid })}`);
}, 20);
setInterval(() => undefined, 1000);
