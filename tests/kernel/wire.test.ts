import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Header, Message, kernelModule } from './kernelModules';

const wire = kernelModule<{
  PROTOCOL_VERSION: string;
  sign(key: string, frames: (string | Buffer)[]): string;
  parseMessage(key: string, frames: Buffer[]): Message;
  childMessage(parent: Message, msgType: string, content: object): Message;
  encodeMessage(key: string, message: Message, options: { withIdentities: boolean }): (string | Buffer)[];
}>('wire.js');

const HEADER = '{"msg_id":"1","msg_type":"kernel_info_request","session":"s","username":"u","date":"2024-01-01T00:00:00Z","version":"5.3"}';
// jupyter_client.session.Session(key=b'secret-key').sign([HEADER, '{}', '{}', '{}']), computed with Debian's jupyter_client 7.4
const PYTHON_SIGNATURE = '827ee7e033cbeed52211ec7749af4a9050eea7fd79c687b5f19cc1c31ca625fc';

const frames = (signature: string) =>
  [Buffer.from('router-id'), Buffer.from('<IDS|MSG>'), Buffer.from(signature), Buffer.from(HEADER), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')];

const Sign = suite('sign');

Sign("matches jupyter_client's HMAC-SHA256 signature; an empty key means no signature", () => {
  assert.is(wire.sign('secret-key', [HEADER, '{}', '{}', '{}']), PYTHON_SIGNATURE);
  assert.is(wire.sign('', [HEADER, '{}', '{}', '{}']), '');
});

Sign.run();

const Parse = suite('parseMessage');

Parse('splits identities, parses the four JSON parts, keeps extra frames as buffers', () => {
  const message = wire.parseMessage('secret-key', [...frames(PYTHON_SIGNATURE), Buffer.from([1, 2])]);
  assert.equal(message.identities.map(String), ['router-id']);
  assert.is(message.header.msg_type, 'kernel_info_request');
  assert.equal([message.parent, message.metadata, message.content], [{}, {}, {}]);
  assert.equal(message.buffers.map((b) => [...b]), [[1, 2]]);
});

Parse('rejects a wrong signature, a wrong key and a message without the delimiter', () => {
  assert.throws(() => wire.parseMessage('secret-key', frames('0'.repeat(64))), /invalid signature/);
  assert.throws(() => wire.parseMessage('other-key', frames(PYTHON_SIGNATURE)), /invalid signature/);
  assert.throws(() => wire.parseMessage('secret-key', frames(PYTHON_SIGNATURE).slice(2)), /malformed Jupyter message/);
});

Parse.run();

const Child = suite('childMessage');

Child('a reply: new id, given type, parent header and session/identities of the request, protocol 5.3', () => {
  const request = wire.parseMessage('secret-key', frames(PYTHON_SIGNATURE));
  const reply = wire.childMessage(request, 'kernel_info_reply', { status: 'ok' });
  assert.is(reply.header.msg_type, 'kernel_info_reply');
  assert.is(reply.header.session, 's');
  assert.is(reply.header.username, 'u');
  assert.is(reply.header.version, wire.PROTOCOL_VERSION);
  assert.is(wire.PROTOCOL_VERSION, '5.3');
  assert.is.not(reply.header.msg_id, request.header.msg_id);
  assert.equal(reply.parent, request.header as Header);
  assert.is(reply.identities, request.identities);
  assert.ok(!Number.isNaN(Date.parse(reply.header.date)));
});

Child.run();

const Encode = suite('encodeMessage');

Encode('round trip through parseMessage; identities only where asked (not on IOPub)', () => {
  const request = wire.parseMessage('secret-key', frames(PYTHON_SIGNATURE));
  const reply = wire.childMessage(request, 'status', { execution_state: 'idle' });
  const routed = wire.encodeMessage('secret-key', reply, { withIdentities: true }).map((f) => Buffer.from(f));
  assert.is(String(routed[0]), 'router-id');
  const back = wire.parseMessage('secret-key', routed);
  assert.equal([back.header, back.parent, back.content], [reply.header, reply.parent, reply.content]);
  const published = wire.encodeMessage('secret-key', reply, { withIdentities: false });
  assert.is(String(published[0]), '<IDS|MSG>');
});

Encode.run();
