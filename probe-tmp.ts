import { connect } from 'node:net';
import { parseConfig } from './infra/config';
import { startLocalApi } from './local/start-local-api';

function raw(port: number, text: string | Buffer, endAfter = true): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let out = '';
    socket.on('data', (d) => (out += d.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out + '<error>'));
    socket.write(text);
    if (!endAfter) return;
  });
}
(async () => {
  const api = await startLocalApi({ config: parseConfig({ stage: 'rel', streams: [{ name: 's' }] }), port: 0, throttle: false, auth: 'none' });
  const port = Number(new URL(api.url).port);
  const show = (name: string, s: string) => console.log('---', name, '\n', s.slice(0, 400));
  show('20KB header', await raw(port, `GET /rel/streams HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`));
  show('70KB url', await raw(port, `GET /rel/streams?${'a'.repeat(70000)} HTTP/1.1\r\nHost: x\r\n\r\n`));
  show('FOO', await raw(port, `FOO /rel/streams HTTP/1.1\r\nHost: x\r\n\r\n`));
  show('huge CL', await raw(port, `PUT /rel/streams/s/record HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 99999999999\r\n\r\n`));
  const put = (body: Buffer | string, type = 'application/json') => fetch(`${api.url}/streams/s/record`, { method: 'PUT', headers: { 'content-type': type }, body }).then(async (r) => `${r.status} ${await r.text()}`);
  show('bad utf8', await put(Buffer.concat([Buffer.from('{"data":"a'), Buffer.from([0xff, 0xfe]), Buffer.from('"}')])));
  show('latin1', await put(Buffer.from('{"data":"caf\xe9"}', 'latin1'), 'application/json; charset=iso-8859-1'));
  show('lone', await put('{"data":"a\\ud800b"}'));
  show('pair ok', await put('{"data":"a\\ud83d\\ude00b"}'));
  show('escaped backslash ok', await put('{"data":"a\\\\ud800b"}'));
  show('501', await fetch(`${api.url}/streams/s/records`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: Array.from({ length: 501 }, () => ({ data: 1 })) }) }).then(async (r) => `${r.status} ${await r.text()}`));
  show('5.05MiB', await fetch(`${api.url}/streams/s/records`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ records: Array.from({ length: 5 }, () => ({ dataBase64: Buffer.alloc(1024 * 1024 + 10 * 1024 - 10).toString('base64'), partitionKey: 'k' })) }) }).then(async (r) => `${r.status} ${await r.text()}`));
  await api.close();
})();
