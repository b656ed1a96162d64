// @ts-check
/**
 * The kernel's message loop: tslab's ZmqServer for the sockets (init, heartbeat, close), with every message
 * parsed, dispatched and answered here.
 *
 * Fixed against tslab 1.0.22: replies carry `status`; comm_info_request is answered as comm_info_reply (tslab
 * sent complete_reply); history_request, interrupt_request and connect_request are answered; any other
 * *_request gets an error reply instead of silence; sends on one socket are serialized (ZeroMQ allows one send
 * in flight per socket).
 */
'use strict';
const { ZmqServer } = require('./tslabParts');
const { parseMessage, childMessage, encodeMessage } = require('./wire');
const replies = require('./replies');
const { exitKernel } = require('./guards');

class ConformingServer extends ZmqServer {
  /**
   * @param {import('./handler').ConformingHandler} handler
   * @param {string} configPath the connection file Jupyter wrote
   */
  constructor(handler, configPath) {
    super(handler, configPath);
    /** @type {Map<object, Promise<void>>} the last pending send per socket */
    this.sendTails = new Map();
    /** Set by shutdown_request. */
    this.shutdownRequested = false;
  }

  /**
   * Sends `message` on `socket` after the socket's earlier messages.
   * @param {any} socket @param {import('./wire').Message} message
   */
  send(socket, message) {
    const frames = encodeMessage(this.connInfo.key, message, { withIdentities: socket !== this.iopub });
    const previous = this.sendTails.get(socket);
    // hand the frames to ZeroMQ right away when nothing is pending: a synchronous cell about to block Node must
    // not hold back its busy status and execute_input
    const attempt = () => {
      try {
        return Promise.resolve(socket.send(frames));
      } catch (error) {
        return Promise.reject(error); // e.g. a socket closed by shutdown
      }
    };
    const sending = previous ? previous.then(attempt) : attempt();
    const sent = sending.catch((/** @type {unknown} */ error) => {
      process.emitWarning(`tslab kernel: could not send ${message.header.msg_type}: ${error}`);
    });
    this.sendTails.set(socket, sent);
    void sent.then(() => {
      if (this.sendTails.get(socket) === sent) this.sendTails.delete(socket); // nothing queued after it
    });
    return sent;
  }

  /**
   * Publishes on IOPub a message whose parent is `parent`.
   * @param {import('./wire').Message} parent
   * @param {string} msgType
   * @param {object} content
   */
  publish(parent, msgType, content) {
    return this.send(this.iopub, childMessage(parent, msgType, content));
  }

  /**
   * (overrides tslab)
   * @param {'busy' | 'idle' | 'starting'} state
   * @param {any} parent
   */
  publishStatus(state, parent) {
    return this.publish(parent, 'status', { execution_state: state });
  }

  /**
   * Entry point for every shell and control message (called by tslab's socket loops, not awaited there).
   * @param {any} socket @param {Buffer[]} frames
   */
  async handleShellMessage(socket, ...frames) {
    /** @type {import('./wire').Message} */
    let message;
    try {
      message = parseMessage(this.connInfo.key, frames);
    } catch (error) {
      process.emitWarning(`tslab kernel: dropped a message: ${error instanceof Error ? error.message : error}`);
      return;
    }
    const msgType = message.header.msg_type;
    if (msgType === 'execute_request') {
      await this.handleExecuteRequest(socket, message); // busy/idle are sent when the queued cell runs
      return;
    }
    this.publishStatus('busy', message);
    const reply = (/** @type {object} */ content) =>
      this.send(socket, childMessage(message, replies.replyTypeFor(msgType) ?? `${msgType}_reply`, content));
    try {
      await this.dispatch(message, reply);
    } catch (error) {
      if (replies.replyTypeFor(msgType)) reply({ status: 'error', ...replies.errorFromThrown(error) });
    } finally {
      this.publishStatus('idle', message);
    }
    if (this.shutdownRequested) await this.shutdown();
  }

  /** Closes the sockets once pending sends are out, then ends the process (a user's timers may hold it open). */
  async shutdown() {
    await Promise.all(this.sendTails.values());
    this.close();
    setTimeout(() => exitKernel(0), 200).unref();
  }

  /**
   * Answers one non-execute message.
   * @param {import('./wire').Message} message @param {(content: object) => Promise<void>} reply
   */
  async dispatch(message, reply) {
    const handler = /** @type {import('./handler').ConformingHandler} */ (this.handler);
    const content = message.content;
    switch (message.header.msg_type) {
      case 'kernel_info_request':
        return reply(handler.handleKernel());
      case 'is_complete_request':
        return reply(handler.handleIsComplete(content));
      case 'inspect_request':
        return reply(handler.handleInspect(content));
      case 'complete_request':
        return reply(handler.handleComplete(content));
      case 'comm_info_request':
        return reply({ status: 'ok', comms: {} }); // no comms (ipywidgets) in tslab
      case 'history_request':
        return reply({ status: 'ok', history: [] }); // no history is kept: an empty, valid answer
      case 'interrupt_request':
        handler.interrupt();
        return reply({ status: 'ok' });
      case 'connect_request': {
        const { shell_port, iopub_port, stdin_port, hb_port, control_port } = this.connInfo;
        return reply({ status: 'ok', shell_port, iopub_port, stdin_port, hb_port, control_port });
      }
      case 'shutdown_request':
        this.shutdownRequested = true; // closed once the reply and the idle status are out
        return reply(handler.handleShutdown(content));
      case 'comm_open':
        // no comm targets: tell the frontend its comm is closed, as ipykernel does for an unknown target
        this.publish(message, 'comm_close', { comm_id: content.comm_id, data: {} });
        return;
      default:
        if (replies.replyTypeFor(message.header.msg_type)) return reply(replies.notImplementedReply(message.header.msg_type));
      // comm_msg, comm_close and other one-way messages: nothing to answer
    }
  }

  /**
   * @param {any} socket
   * @param {import('./wire').Message} message
   */
  async handleExecuteRequest(socket, message) {
    const handler = /** @type {import('./handler').ConformingHandler} */ (this.handler);
    await handler.handleExecute(message.content, {
      status: (state) => this.publishStatus(state, message),
      publish: (msgType, content) => this.publish(message, msgType, content),
      stream: (name, text) => this.publish(message, 'stream', { name, text }),
      display: (content, update) => this.publish(message, update ? 'update_display_data' : 'display_data', content),
      reply: (content) => this.send(socket, childMessage(message, 'execute_reply', content)),
    });
  }
}

module.exports = { ConformingServer };
