// Reads an inotify descriptor on a thread of its own. A blocking read on libuv's thread pool
// would do it too, but then each batch of events would wait for a free pool thread before the
// descriptor is read again — behind the engine's file reads, log tails, a run's log writes, a
// DNS lookup that hangs — and a main thread busy for a while would let the kernel's queue
// overflow (as with libuv's own fs.watch). This thread does nothing but wait in read(2) and
// hand each batch to the main thread as it comes.
import { Worker } from 'node:worker_threads';

/** The thread's whole program (CommonJS, evaluated: nothing to bundle or find on disk). */
const READER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readSync } = require('node:fs');
const stop = new Int32Array(workerData.stop);
for (;;) {
  const buffer = new ArrayBuffer(workerData.size);
  let bytes;
  try {
    bytes = readSync(workerData.fd, new Uint8Array(buffer), 0, workerData.size, null);
  } catch (err) {
    if (err.code === 'EINTR' || err.code === 'EAGAIN') continue;
    parentPort.postMessage({ error: { code: err.code, message: err.message } });
    break;
  }
  const batch = buffer.slice(0, bytes);
  parentPort.postMessage(batch, [batch]);
  if (Atomics.load(stop, 0) === 1) break;
}
`;

export interface ReaderListener {
  onBatch(batch: Buffer): void;
  onError(err: NodeJS.ErrnoException): void;
  /** The thread has ended: the descriptor may be closed. */
  onExit(): void;
}

export class InotifyReader {
  private readonly stopFlag = new Int32Array(new SharedArrayBuffer(4));
  private readonly worker: Worker;

  constructor(fd: number, size: number, listener: ReaderListener) {
    this.worker = new Worker(READER_SOURCE, { eval: true, workerData: { fd, size, stop: this.stopFlag.buffer }, stdout: false, stderr: false });
    this.worker.on('message', (message: ArrayBuffer | { error: { code: string; message: string } }) => {
      if (message instanceof ArrayBuffer) listener.onBatch(Buffer.from(message));
      else listener.onError(Object.assign(new Error(message.error.message), { code: message.error.code }));
    });
    this.worker.on('error', (err) => listener.onError(err));
    this.worker.on('exit', () => listener.onExit());
  }

  /** End the thread after the read it is in: the caller must then make the kernel send an event. */
  stop(): void {
    Atomics.store(this.stopFlag, 0, 1);
  }

  /** Let the process exit even while the thread waits (its read cannot be woken). */
  unref(): void {
    this.worker.unref();
  }
}
