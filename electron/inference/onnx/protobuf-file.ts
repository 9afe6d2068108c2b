/**
 * Reads the protobuf wire format straight from a file with positioned reads, so a message can be
 * walked without loading it: a 1.7–3.4 GB UNet is mostly `raw_data` bytes, which are stepped over
 * by their length prefix and never read. Only the bytes of the fields a caller looks at are read,
 * through a small window that is refilled at the position asked for.
 *
 * Every step moves forward and every length is checked against the enclosing message, so a
 * damaged or foreign file ends in a `ProtobufFormatError` (with the byte offset), never a hang.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Wire types of the protobuf encoding (protobuf.dev/programming-guides/encoding). */
export const WireType = { Varint: 0, Fixed64: 1, LengthDelimited: 2, Fixed32: 5 } as const;

export class ProtobufFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte ${offset}`);
  }
}

/** One field of a message: its number and wire type, a varint's value, a length-delimited field's byte range. */
export interface ProtoField {
  number: number;
  wire: number;
  /** The value of a varint field (exact up to 2^53; larger int64s are approximate). */
  value: number;
  /** The payload of a length-delimited field: [start, end) in the file. */
  start: number;
  end: number;
}

/** A byte range of the file holding one message. */
export interface ProtoRange {
  start: number;
  end: number;
}

/** Reading on where the last read ended takes a large window (a node section is read whole); after a jump over tensor data, a small one (a tensor's header is ~100 bytes). */
const WINDOW = 64 * 1024;
const AFTER_JUMP = 4 * 1024;
const MAX_VARINT_BYTES = 10;
const MAX_TEXT_BYTES = 1024 * 1024;

export class ProtobufFile {
  private window = Buffer.alloc(WINDOW);
  private windowStart = 0;
  private windowEnd = 0;
  /** What the walk cost: bytes read from disk and the number of reads. */
  readonly cost = { bytesRead: 0, reads: 0 };

  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  static open(file: string): ProtobufFile {
    const fd = openSync(file, 'r');
    try {
      return new ProtobufFile(fd, fstatSync(fd).size);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  get whole(): ProtoRange {
    return { start: 0, end: this.size };
  }

  /** Calls `visit` for each field of the message in `range`, in file order. */
  forEachField(range: ProtoRange, visit: (field: ProtoField) => void): void {
    let pos = range.start;
    while (pos < range.end) {
      const tagAt = pos;
      const tag = this.varint(pos, range.end);
      pos = tag.next;
      const number = Math.floor(tag.value / 8);
      const wire = tag.value % 8;
      if (number === 0) throw new ProtobufFormatError('field number 0', tagAt);
      const field: ProtoField = { number, wire, value: 0, start: pos, end: pos };
      switch (wire) {
        case WireType.Varint: {
          const v = this.varint(pos, range.end);
          field.value = v.value;
          pos = v.next;
          break;
        }
        case WireType.Fixed64:
          pos = this.skip(pos, 8, range.end);
          break;
        case WireType.Fixed32:
          pos = this.skip(pos, 4, range.end);
          break;
        case WireType.LengthDelimited: {
          const length = this.varint(pos, range.end);
          field.start = length.next;
          field.end = this.skip(length.next, length.value, range.end);
          pos = field.end;
          break;
        }
        default:
          // 3/4 are deprecated groups (never written by ONNX), 6/7 do not exist.
          throw new ProtobufFormatError(`wire type ${wire} of field ${number}`, tagAt);
      }
      visit(field);
    }
  }

  /** The bytes of `range` as UTF-8 (names, op types: short fields; a megabyte-long one is damage). */
  text(range: ProtoRange): string {
    if (range.end - range.start > MAX_TEXT_BYTES) throw new ProtobufFormatError(`a ${range.end - range.start}-byte name`, range.start);
    return this.bytes(range.start, range.end - range.start).toString('utf8');
  }

  /** The varints of a repeated integer field, packed (one length-delimited field) or not (one varint). */
  varints(field: ProtoField): number[] {
    if (field.wire === WireType.Varint) return [field.value];
    if (field.wire !== WireType.LengthDelimited) throw new ProtobufFormatError(`wire type ${field.wire} for integers in field ${field.number}`, field.start);
    const values: number[] = [];
    for (let pos = field.start; pos < field.end; ) {
      const v = this.varint(pos, field.end);
      values.push(v.value);
      pos = v.next;
    }
    return values;
  }

  private varint(pos: number, end: number): { value: number; next: number } {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      if (pos + i >= end) throw this.pastEnd(pos, end);
      const byte = this.byteAt(pos + i);
      // Arithmetic, not bit operators: those are 32-bit in JavaScript and lengths can pass 4 GiB.
      value += (byte & 0x7f) * scale;
      scale *= 128;
      if (byte < 0x80) return { value, next: pos + i + 1 };
    }
    throw new ProtobufFormatError('varint longer than 10 bytes', pos);
  }

  private skip(pos: number, length: number, end: number): number {
    if (length > end - pos) throw this.pastEnd(pos, end, length);
    return pos + length;
  }

  private pastEnd(pos: number, end: number, length?: number): ProtobufFormatError {
    const what = length === undefined ? 'a value' : `a field of ${length} bytes`;
    return end === this.size
      ? new ProtobufFormatError(`${what} runs past the end of the file (${this.size} bytes; truncated?)`, pos)
      : new ProtobufFormatError(`${what} runs past the end of its enclosing message (byte ${end})`, pos);
  }

  private byteAt(pos: number): number {
    if (pos < this.windowStart || pos >= this.windowEnd) this.fill(pos);
    return this.window[pos - this.windowStart]!;
  }

  private bytes(pos: number, length: number): Buffer {
    if (pos < this.windowStart || pos + length > this.windowEnd) {
      if (length > WINDOW) return this.read(Buffer.alloc(length), pos);
      this.fill(pos, length);
    }
    return this.window.subarray(pos - this.windowStart, pos - this.windowStart + length);
  }

  private fill(pos: number, atLeast = 1): void {
    const length = Math.max(atLeast, pos === this.windowEnd ? WINDOW : AFTER_JUMP);
    this.read(this.window.subarray(0, length), pos);
    this.windowStart = pos;
    this.windowEnd = pos + Math.min(length, this.size - pos);
  }

  private read(into: Buffer, pos: number): Buffer {
    const length = Math.min(into.length, this.size - pos);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, into, done, length - done, pos + done);
      if (n === 0) throw new ProtobufFormatError('the file ended while it was being read', pos + done);
      done += n;
    }
    this.cost.bytesRead += length;
    this.cost.reads++;
    return into.subarray(0, length);
  }
}
