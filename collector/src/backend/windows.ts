/**
 * Window arithmetic every engine's analytics share, so that both count a trend the same way: overlapping
 * windows (rolling trends) are cut into disjoint slices, each slice is counted once by the database, and
 * each window is the sum of its run of slices; and a window is split into the whole hours an hourly
 * rollup holds and the partial hours at its edges, which the engine counts from the answers themselves.
 *
 * @example
 * const { slices, spans } = slicesOf([{ start: 0, end: 10 }, { start: 5, end: 15 }])
 * sumSpans(countEach(slices), spans) // one total per window
 */
import { HOUR_MS, type Window } from './backend.ts'

/**
 * Cuts overlapping windows into the disjoint slices between all their boundaries; each window is then
 * the run of slices from `first` (inclusive) to `last` (exclusive).
 */
export function slicesOf(windows: readonly Window[]): {
  slices: Window[]
  spans: { first: number; last: number }[]
} {
  const bounds = [...new Set(windows.flatMap((w) => [w.start, w.end]))].sort((a, b) => a - b)
  const index = new Map(bounds.map((bound, i) => [bound, i]))
  const covered = new Array<boolean>(Math.max(0, bounds.length - 1)).fill(false)
  const spans = windows.map((w) => {
    const first = index.get(w.start) ?? 0
    const last = Math.max(first, index.get(w.end) ?? 0)
    for (let i = first; i < last; i++) covered[i] = true
    return { first, last }
  })
  // A slice no window covers (a gap between windows) becomes an empty range, never scanned.
  const slices: Window[] = []
  for (let i = 0; i + 1 < bounds.length; i++) {
    slices.push(covered[i] ? { start: bounds[i]!, end: bounds[i + 1]! } : { start: 0, end: 0 })
  }
  return { slices, spans }
}

/** Each span's total of the per-slice counts, counter by counter. */
export function sumSpans(
  counts: readonly (readonly number[])[],
  spans: readonly { first: number; last: number }[],
  width = counts[0]?.length ?? 0,
): number[][] {
  const prefix: number[][] = [new Array<number>(width).fill(0)]
  counts.forEach((row, i) => {
    prefix.push(row.map((n, k) => n + prefix[i]![k]!))
  })
  return spans.map(({ first, last }) => prefix[last]!.map((n, k) => n - prefix[first]![k]!))
}

/**
 * A window as `[start, headEnd, firstHour, lastHour, tailStart, end]`: the answers in [start, headEnd)
 * and [tailStart, end) are counted one by one, the hours [firstHour, lastHour) (hour = floor(ms / 1 h))
 * come from the rollup. A window inside one hour is all head; with `useHours` false, so is every window.
 */
export function hourEdges({ start, end }: Window, useHours = true): number[] {
  const firstHour = Math.ceil(start / HOUR_MS)
  const lastHour = Math.floor(end / HOUR_MS)
  if (!useHours || firstHour >= lastHour) return [start, end, 0, 0, 0, 0]
  return [start, firstHour * HOUR_MS, firstHour, lastHour, lastHour * HOUR_MS, end]
}

/** One answer for {@link latestInWindows}: its score, time, and its respondent's next answer's time. */
export interface Succession {
  score: number
  at: number
  /** The time of the same respondent's next answer (by time, then id) the filter selects; null if none. */
  next: number | null
}

/**
 * Each window's score counts of each respondent's latest answer in it, from one read of the answers in
 * the windows' hull (with latestPerRespondent, a rolling trend otherwise asked each window on its own).
 * An answer at `at` is its respondent's latest in [start, end) exactly when start ≤ at < end ≤ next: its
 * successor falls outside. With windows ordered by start and by end alike (rolling windows are), the
 * windows that count an answer are one run, added by a difference array. Null when the windows are not
 * so ordered (the caller counts each window on its own).
 */
export function latestInWindows(
  answers: Iterable<Succession>,
  windows: readonly Window[],
  width: number,
): number[][] | null {
  const starts = windows.map((w) => w.start)
  const ends = windows.map((w) => w.end)
  return countRuns(answers, windows, width, ({ at, next }) => [
    countAtMost(ends, at),
    Math.min(countAtMost(starts, at), next === null ? windows.length : countAtMost(ends, next)),
  ])
}

/** An answer its respondent answered again later in the survey: its score, time, and the next one's time. */
export interface Superseded {
  score: number
  at: number
  next: number
}

/**
 * Each window's score counts of the answers superseded inside it: start ≤ at and next < end, so that
 * its respondent's latest answer in the window is a later one. A window's latest-per-respondent counts
 * are its counts of every answer minus these, which lets an engine count every answer from its hourly
 * rollups and read only the superseded answers whose successor falls in the windows' hull. Same
 * ordering rule and null as {@link latestInWindows}.
 */
export function supersededInWindows(
  superseded: Iterable<Superseded>,
  windows: readonly Window[],
  width: number,
): number[][] | null {
  const starts = windows.map((w) => w.start)
  const ends = windows.map((w) => w.end)
  return countRuns(superseded, windows, width, ({ at, next }) => [
    countAtMost(ends, next),
    countAtMost(starts, at),
  ])
}

/**
 * The span the windows cover together (their hull) and the longest of them: an answer and its successor
 * further apart than `longest` lie in no window together.
 */
export function hullOf(windows: readonly Window[]): { start: number; end: number; longest: number } {
  return {
    start: Math.min(...windows.map((w) => w.start)),
    end: Math.max(...windows.map((w) => w.end)),
    longest: Math.max(...windows.map((w) => w.end - w.start)),
  }
}

/** Each window's counts less another count of it, score by score (every answer less the superseded). */
export function lessCounts(
  counts: readonly (readonly number[])[],
  less: readonly (readonly number[])[],
): number[][] {
  return counts.map((row, i) => row.map((n, score) => n - less[i]![score]!))
}

/** Whether windows are ordered by start and by end alike, as rolling windows are. */
export function orderedWindows(windows: readonly Window[]): boolean {
  for (let i = 1; i < windows.length; i++) {
    if (windows[i]!.start < windows[i - 1]!.start || windows[i]!.end < windows[i - 1]!.end) return false
  }
  return true
}

/**
 * A difference array's windows: `diff[i][score]` is what window i's count of that score adds to window
 * i − 1's (the array has one row past the last window, where runs end), summed into each window's counts.
 */
export function runningSums(diff: readonly (readonly number[])[], count: number): number[][] {
  const running = new Array<number>(diff[0]?.length ?? 0).fill(0)
  return Array.from({ length: count }, (_, i) => {
    diff[i]!.forEach((d, k) => {
      running[k]! += d
    })
    return [...running]
  })
}

/**
 * Counts each item's score in the run of windows `[first, last)` that `run` gives it, by a difference
 * array: one pass, however long the runs. Null unless the windows are {@link orderedWindows}.
 */
function countRuns<T extends { score: number }>(
  items: Iterable<T>,
  windows: readonly Window[],
  width: number,
  run: (item: T) => [first: number, last: number],
): number[][] | null {
  if (!orderedWindows(windows)) return null
  const diff = Array.from({ length: windows.length + 1 }, () => new Array<number>(width).fill(0))
  for (const item of items) {
    const [first, last] = run(item)
    if (first >= last) continue
    diff[first]![item.score]! += 1
    diff[last]![item.score]! -= 1
  }
  return runningSums(diff, windows.length)
}

/** How many of the sorted values are ≤ x. */
function countAtMost(sorted: readonly number[], x: number): number {
  let low = 0
  let high = sorted.length
  while (low < high) {
    const mid = (low + high) >>> 1
    if (sorted[mid]! <= x) low = mid + 1
    else high = mid
  }
  return low
}
