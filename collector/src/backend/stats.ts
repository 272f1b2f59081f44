/**
 * What an engine reports for `/metrics` (Backend.stats), and the one histogram both engines count
 * their group-commit sizes in.
 *
 * @example
 * const sizes = sizeHistogram()
 * recordSize(sizes, batch.length)
 */

/** Counts of observed sizes per upper bound (`counts[i]`: sizes ≤ `bounds[i]` and > the bound before; the last: above all). */
export interface SizeHistogram {
  readonly bounds: readonly number[]
  readonly counts: number[]
  sum: number
  count: number
}

/** Writes per commit: one answer alone, up to the thousands a busy writer gathers in one flush. */
export const COMMIT_SIZE_BOUNDS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500] as const

export function sizeHistogram(bounds: readonly number[] = COMMIT_SIZE_BOUNDS): SizeHistogram {
  return { bounds, counts: new Array(bounds.length + 1).fill(0), sum: 0, count: 0 }
}

export function recordSize(histogram: SizeHistogram, size: number): void {
  let i = 0
  while (i < histogram.bounds.length && size > histogram.bounds[i]!) i++
  histogram.counts[i]! += 1
  histogram.sum += size
  histogram.count += 1
}

/** A copy that later commits do not change. */
export function snapshot(histogram: SizeHistogram): SizeHistogram {
  return { ...histogram, counts: [...histogram.counts] }
}

export interface BackendStats {
  /** Answers and widget events accepted and not yet committed. */
  queuedWrites: number
  /** Answers and events per group commit, since the backend opened. */
  commitSizes: SizeHistogram
  /** SQLite: the write-ahead log's size now, in bytes. */
  walBytes?: number
  /** PostgreSQL: the connections each pool may open (`read` is the replica's, or the same pool). */
  pool?: { write: number; read: number }
}
