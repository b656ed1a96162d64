// @ts-check
/**
 * Jupyter's wire format (messaging protocol v5): ZeroMQ frames ⇄ messages, HMAC-SHA256 signatures.
 *
 * Frames: [routing identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...].
 * The signature is the hex HMAC of the four JSON frames with the connection file's key (empty key: no signing).
 * tslab has the same code in a class it does not export, so the wrapper's server carries its own copy; this one
 * also sets a reply's msg_type, keeps binary buffers and compares signatures in constant time.
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html#the-wire-protocol
 */
'use strict';
const crypto = require('crypto');

/** The protocol version this kernel speaks (5.3 added control-channel interrupt_request). */
const PROTOCOL_VERSION = '5.3';
const DELIMITER = Buffer.from('<IDS|MSG>');

/**
 * @typedef {{msg_id: string, msg_type: string, session: string, username: string, date: string, version: string}} Header
 * @typedef {{identities: Buffer[], header: Header, parent: Header | {}, metadata: object, content: any, buffers: Buffer[]}} Message
 */

/**
 * Hex HMAC-SHA256 of the given frames, or '' when the key is empty (Jupyter's "no authentication").
 * @param {string} key
 * @param {(string | Buffer)[]} frames
 */
function sign(key, frames) {
  if (!key) return '';
  const hmac = crypto.createHmac('sha256', key);
  for (const frame of frames) hmac.update(frame);
  return hmac.digest('hex');
}

/**
 * Parses the frames of one incoming message and checks its signature.
 * @param {string} key the connection file's `key`
 * @param {Buffer[]} frames
 * @returns {Message}
 */
function parseMessage(key, frames) {
  const delimiterAt = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterAt < 0 || frames.length < delimiterAt + 6) {
    throw new Error(`malformed Jupyter message: expected "<IDS|MSG>" then 5 frames, got ${frames.length} frames`);
  }
  const signature = frames[delimiterAt + 1].toString();
  const parts = frames.slice(delimiterAt + 2, delimiterAt + 6);
  const expected = sign(key, parts);
  const ok =
    expected.length === signature.length && crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(signature));
  if (!ok) throw new Error('Jupyter message with an invalid signature (wrong connection key?)');
  const [header, parent, metadata, content] = parts.map((part) => JSON.parse(part.toString()));
  return { identities: frames.slice(0, delimiterAt), header, parent, metadata, content, buffers: frames.slice(delimiterAt + 6) };
}

/**
 * A new message answering or reporting on `parent` (same session and routing identities).
 * @param {Message} parent
 * @param {string} msgType e.g. 'execute_reply', 'stream'
 * @param {object} content
 * @returns {Message}
 */
function childMessage(parent, msgType, content) {
  return {
    identities: parent.identities,
    header: {
      msg_id: crypto.randomUUID(),
      msg_type: msgType,
      session: parent.header.session,
      username: parent.header.username,
      date: new Date().toISOString(),
      version: PROTOCOL_VERSION,
    },
    parent: parent.header,
    metadata: {},
    content,
    buffers: [],
  };
}

/**
 * The frames of `message`, signed with `key`, ready for `socket.send`.
 * On the IOPub (publisher) socket the identities are left out: the first frame would be read as a topic.
 * @param {string} key
 * @param {Message} message
 * @param {{withIdentities: boolean}} options
 */
function encodeMessage(key, message, { withIdentities }) {
  const parts = [message.header, message.parent, message.metadata, message.content].map((part) => JSON.stringify(part));
  return [...(withIdentities ? message.identities : []), DELIMITER, sign(key, parts), ...parts, ...message.buffers];
}

module.exports = { PROTOCOL_VERSION, sign, parseMessage, childMessage, encodeMessage };
