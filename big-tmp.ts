import { parseConfig } from './infra/config';
import { startLocalApi } from './local/start-local-api';
(async () => {
  const api = await startLocalApi({ config: parseConfig({ stage: 'rel', streams: [{ name: 's' }] }), port: 0, throttle: false });
  const records = Array.from({ length: Number(process.argv[2] ?? 900000) }, () => ({ data: 1 }));
  const body = JSON.stringify({ records });
  console.log('bytes', body.length);
  const t0 = Date.now();
  let done = false;
  const big = fetch(`${api.url}/streams/s/records`, { method: 'PUT', headers: { 'x-api-key': api.apiKey!, 'content-type': 'application/json' }, body }).then(async (r) => { done = true; console.log('batch', r.status, (await r.text()).slice(0, 300), Date.now() - t0); });
  while (!done) {
    await new Promise((r) => setTimeout(r, 300));
    const t1 = Date.now();
    await fetch(`${api.url}/streams`, { headers: { 'x-api-key': api.apiKey! } }).then(async (r) => { await r.text(); console.log('list', r.status, 'at', t1 - t0, 'took', Date.now() - t1); });
  }
  await big;
  await api.close();
})();
