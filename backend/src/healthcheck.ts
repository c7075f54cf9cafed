// Container HEALTHCHECK probe: no curl or wget in the image, node is enough.
// Exits 0 when GET /healthz answers 200 within 2 s, 1 otherwise.
const port = process.env.PORT ?? '5000';
try {
  const res = await fetch(`http://127.0.0.1:${port}/healthz`, {
    signal: AbortSignal.timeout(2000),
  });
  process.exit(res.ok ? 0 : 1);
} catch {
  process.exit(1);
}
