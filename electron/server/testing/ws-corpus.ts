/**
 * Malformed WebSocket traffic (issue 16, defect 1): each entry names what the frame breaks and
 * holds the bytes a client sends after the upgrade. ws-bridge.test.ts sends it to browser mode;
 * the fault suite (tests/faults) sends it again with more cases and in pieces.
 */
import { MAX_MESSAGE_BYTES } from '../ws-bridge.js';
import { frame } from './probes.js';

export const text = (s: string): Buffer => Buffer.from(s, 'utf8');

/** Each entry: what the frame breaks, and the bytes sent after the upgrade. */
export const CORPUS: [string, Buffer][] = [
  ['a text frame of invalid UTF-8', frame(0x81, Buffer.from([0xce, 0xba, 0xe1, 0xbd, 0xb9, 0xff, 0xfe]))],
  ['an unmasked frame', frame(0x81, text('{"id":1}'), { masked: false })],
  ['RSV1 set with no extension negotiated', frame(0xc1, text('{"id":1}'))],
  ['RSV2 set', frame(0xa1, text('{"id":1}'))],
  ['reserved data opcode 0x3', frame(0x83, text('x'))],
  ['reserved control opcode 0xB', frame(0x8b, text('x'))],
  ['a message over the size limit', frame(0x81, text('x'), { length: MAX_MESSAGE_BYTES + 1 })],
  ['fragments adding up to more than the limit', Buffer.concat([frame(0x01, text('0123456789')), frame(0x80, text('x'), { length: MAX_MESSAGE_BYTES })])],
  ['a continuation frame with no message to continue', frame(0x80, text('x'))],
  ['a fragmented ping', frame(0x09, text('x'))],
  ['a ping of 126 bytes', frame(0x89, Buffer.alloc(126, 0x61))],
  ['a close frame with the invalid code 999', frame(0x88, Buffer.from([0x03, 0xe7]))],
  ['a close frame whose reason is not UTF-8', frame(0x88, Buffer.from([0x03, 0xe8, 0xff, 0xfe]))],
  ['a text frame of valid UTF-8 that is not JSON', frame(0x81, text('not json'))],
  ['a binary frame', frame(0x82, Buffer.from([1, 2, 3]))],
];
