// @ts-check
/**
 * A single-producer, single-consumer ring buffer of records in shared memory, between the HTTP thread
 * (which puts writes in) and the writer thread (which takes them out). Posting a message instead would
 * wake the other thread for every write, and on a small, busy machine each wake-up cost the HTTP thread
 * more than the insert it handed over (collector README, the write path). Here the HTTP thread only
 * copies bytes and bumps a counter; the writer thread looks on its own schedule and sleeps on the
 * counter (`Atomics.wait`) only after a quiet spell, setting a flag first so that the producer knows to
 * notify it.
 *
 * Layout: a header of Int32 slots (bytes written and bytes read so far, both wrapping at 2^32; whether
 * the consumer sleeps; whether it should finish), then the ring, a power of two in bytes. A record is a
 * 4-byte little-endian length and that many bytes of UTF-8 JSON.
 *
 * @example
 * const shared = newRing(1 << 20)
 * const writer = new RingWriter(shared)
 * writer.put(writer.encode(['e', 'srv_1', 'shown', 'v', null, 1]))
 * new RingReader(shared).take() // [['e', 'srv_1', 'shown', 'v', null, 1]]
 */

const WRITTEN = 0
const READ = 1
const SLEEPING = 2
const CLOSING = 3
const HEADER_BYTES = 16

/**
 * A ring of `bytes` (a power of two) with its header.
 *
 * @param {number} bytes
 */
export function newRing(bytes) {
  if (bytes < 8 || (bytes & (bytes - 1)) !== 0) throw new Error('the ring size must be a power of two')
  return new SharedArrayBuffer(HEADER_BYTES + bytes)
}

class RingView {
  /** @param {SharedArrayBuffer} shared */
  constructor(shared) {
    this.header = new Int32Array(shared, 0, 4)
    this.ring = new Uint8Array(shared, HEADER_BYTES)
    this.size = this.ring.length
    this.mask = this.size - 1
  }
}

/** The producer's side. */
export class RingWriter extends RingView {
  #encoder = new TextEncoder()
  #written

  /** @param {SharedArrayBuffer} shared */
  constructor(shared) {
    super(shared)
    this.#written = Atomics.load(this.header, WRITTEN)
  }

  /**
   * The record's bytes, or undefined when it could never fit in this ring.
   *
   * @param {unknown} value
   */
  encode(value) {
    const record = this.#encoder.encode(JSON.stringify(value))
    return record.length + 4 > this.size ? undefined : record
  }

  /**
   * Copies one encoded record into the ring if it has room; false when it has not (yet).
   *
   * @param {Uint8Array} record
   */
  put(record) {
    const used = (this.#written - Atomics.load(this.header, READ)) >>> 0
    if (this.size - used < record.length + 4) return false
    const { ring, mask, size } = this
    const at = this.#written
    const length = record.length
    for (let i = 0; i < 4; i++) ring[(at + i) & mask] = (length >>> (8 * i)) & 0xff
    const start = (at + 4) & mask
    const first = Math.min(length, size - start)
    ring.set(first === length ? record : record.subarray(0, first), start)
    if (first < length) ring.set(record.subarray(first), 0)
    this.#written = (at + 4 + length) | 0
    Atomics.store(this.header, WRITTEN, this.#written)
    return true
  }

  /** Wakes the consumer only if it sleeps: a busy one looks into the ring on its own. */
  wake() {
    if (Atomics.load(this.header, SLEEPING)) Atomics.notify(this.header, WRITTEN)
  }

  /** Asks the consumer to finish once the ring is empty. */
  close() {
    Atomics.store(this.header, CLOSING, 1)
    Atomics.notify(this.header, WRITTEN)
  }
}

/** The consumer's side. */
export class RingReader extends RingView {
  #decoder = new TextDecoder()
  #read

  /** @param {SharedArrayBuffer} shared */
  constructor(shared) {
    super(shared)
    this.#read = Atomics.load(this.header, READ)
  }

  get empty() {
    return Atomics.load(this.header, WRITTEN) === this.#read
  }

  get closing() {
    return Atomics.load(this.header, CLOSING) === 1
  }

  /**
   * Every record in the ring, decoded; the producer may reuse their bytes as soon as this returns.
   *
   * @returns {unknown[]}
   */
  take() {
    const to = Atomics.load(this.header, WRITTEN)
    const values = []
    const { ring, mask, size } = this
    /** @param {number} position */
    const byteAt = (position) => /** @type {number} */ (ring[position & mask])
    let at = this.#read
    while (at !== to) {
      const length = byteAt(at) | (byteAt(at + 1) << 8) | (byteAt(at + 2) << 16) | (byteAt(at + 3) << 24)
      const start = (at + 4) & mask
      let bytes
      if (start + length <= size) bytes = ring.subarray(start, start + length)
      else {
        bytes = new Uint8Array(length)
        bytes.set(ring.subarray(start))
        bytes.set(ring.subarray(0, length - (size - start)), size - start)
      }
      values.push(JSON.parse(this.#decoder.decode(bytes)))
      at = (at + 4 + length) | 0
    }
    this.#read = to
    Atomics.store(this.header, READ, to)
    return values
  }

  /**
   * Waits up to `ms` for a record (the busy poll).
   *
   * @param {number} ms
   */
  poll(ms) {
    Atomics.wait(this.header, WRITTEN, this.#read, ms)
  }

  /**
   * Sleeps until the producer notifies. The flag is set before the last look at the ring, so a record
   * put after that look always finds it set.
   */
  sleep() {
    Atomics.store(this.header, SLEEPING, 1)
    if (this.empty && !this.closing) Atomics.wait(this.header, WRITTEN, this.#read)
    Atomics.store(this.header, SLEEPING, 0)
  }
}
