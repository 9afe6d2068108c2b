// Loaded with `node --import` where no small file system can be mounted: writes to files under
// $FAULTS_ENOSPC_DIR fail with ENOSPC once $FAULTS_ENOSPC_BYTES have been written there in all,
// through every fs entry point an export writes with (FileHandle write/writev, fs.write/writev,
// fs.promises.writeFile). The export's own code runs unchanged.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve, sep } from 'node:path';

const DIR = resolve(process.env.FAULTS_ENOSPC_DIR ?? '/nonexistent') + sep;
let room = Number(process.env.FAULTS_ENOSPC_BYTES ?? 0);
const under = (path) => typeof path === 'string' && resolve(path).startsWith(DIR);
const noSpace = (syscall) => Object.assign(new Error(`ENOSPC: no space left on device, ${syscall}`), { code: 'ENOSPC', errno: -28, syscall });
const sizeOf = (data) => (typeof data === 'string' ? Buffer.byteLength(data) : (data?.byteLength ?? 0));
/** Takes `bytes` from the room left, or says there is none. */
const take = (bytes) => {
  if (bytes > room) {
    room = 0;
    return false;
  }
  room -= bytes;
  return true;
};

const fdPaths = new Map();
const handlePaths = new WeakMap();

const { open: openCallback, write: writeCallback, writev: writevCallback, close: closeCallback } = fs;
fs.open = function (path, ...rest) {
  const cb = rest.pop();
  return openCallback.call(fs, path, ...rest, (error, fd) => {
    if (!error && under(path)) fdPaths.set(fd, path);
    cb(error, fd);
  });
};
fs.close = function (fd, cb) {
  fdPaths.delete(fd);
  return closeCallback.call(fs, fd, cb);
};
fs.write = function (fd, data, ...rest) {
  if (fdPaths.has(fd) && !take(typeof rest[1] === 'number' && typeof data !== 'string' ? rest[1] : sizeOf(data))) {
    const cb = rest.pop();
    return process.nextTick(cb, noSpace('write'));
  }
  return writeCallback.call(fs, fd, data, ...rest);
};
fs.writev = function (fd, buffers, ...rest) {
  if (fdPaths.has(fd) && !take(buffers.reduce((n, b) => n + b.byteLength, 0))) {
    const cb = rest.pop();
    return process.nextTick(cb, noSpace('write'));
  }
  return writevCallback.call(fs, fd, buffers, ...rest);
};

const promises = fs.promises;
const { open: openPromise, writeFile: writeFilePromise } = promises;
promises.open = async function (path, ...rest) {
  const handle = await openPromise.call(promises, path, ...rest);
  if (under(path)) handlePaths.set(handle, path);
  return handle;
};
promises.writeFile = async function (path, data, ...rest) {
  if (under(path) && !take(sizeOf(data))) throw noSpace('write');
  return writeFilePromise.call(promises, path, data, ...rest);
};
const probe = await openPromise.call(promises, '/dev/null', 'r');
const FileHandle = Object.getPrototypeOf(probe);
await probe.close();
const { write: handleWrite, writev: handleWritev } = FileHandle;
FileHandle.write = async function (data, ...rest) {
  if (handlePaths.has(this) && !take(typeof rest[1] === 'number' && typeof data !== 'string' ? rest[1] : sizeOf(data))) throw noSpace('write');
  return handleWrite.call(this, data, ...rest);
};
FileHandle.writev = async function (buffers, ...rest) {
  if (handlePaths.has(this) && !take(buffers.reduce((n, b) => n + b.byteLength, 0))) throw noSpace('write');
  return handleWritev.call(this, buffers, ...rest);
};
syncBuiltinESMExports();
