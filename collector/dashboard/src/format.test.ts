import { describe, expect, it } from 'vitest'
import { formatCompactCount, formatHours, instantOf, wallTime } from './format.ts'

describe('wall-clock times in a time zone', () => {
  it('shows an instant as the datetime-local field of that zone holds it', () => {
    expect(wallTime('2026-12-04T17:00:00Z', 'UTC')).toBe('2026-12-04T17:00')
    expect(wallTime('2026-12-04T17:00:00Z', 'Europe/Berlin')).toBe('2026-12-04T18:00')
    expect(wallTime('2026-12-04T17:00:00Z', 'Asia/Tokyo')).toBe('2026-12-05T02:00')
  })

  it('reads a typed wall-clock time back as the instant it names in that zone', () => {
    expect(instantOf('2026-12-04T18:00', 'Europe/Berlin')).toBe('2026-12-04T17:00:00.000Z')
    expect(instantOf('2026-07-04T18:00', 'Europe/Berlin')).toBe('2026-07-04T16:00:00.000Z')
    expect(instantOf('2026-12-05T02:00', 'Asia/Tokyo')).toBe('2026-12-04T17:00:00.000Z')
    expect(instantOf('2026-03-08T12:30', 'America/New_York')).toBe('2026-03-08T16:30:00.000Z')
  })

  it('lands on the right side of a daylight-saving change', () => {
    // Berlin moves from +01:00 to +02:00 at 02:00 on 29 March 2026.
    expect(instantOf('2026-03-29T01:30', 'Europe/Berlin')).toBe('2026-03-29T00:30:00.000Z')
    expect(instantOf('2026-03-29T03:30', 'Europe/Berlin')).toBe('2026-03-29T01:30:00.000Z')
  })

  it('round-trips the hours of a year in a zone with daylight saving', () => {
    for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 5 * 3_600_000) {
      const iso = new Date(at).toISOString()
      // The repeated autumn hour names two instants; the field's text must at least name one of them.
      expect(wallTime(instantOf(wallTime(iso, 'Europe/Berlin'), 'Europe/Berlin')!, 'Europe/Berlin')).toBe(
        wallTime(iso, 'Europe/Berlin'),
      )
    }
  })

  it('answers null for text that is no date and time', () => {
    expect(instantOf('', 'UTC')).toBeNull()
    expect(instantOf('2026-12-04', 'UTC')).toBeNull()
    expect(instantOf('tomorrow', 'UTC')).toBeNull()
  })
})

describe('durations in hours', () => {
  it('says minutes under an hour, hours under two days, then days', () => {
    expect(formatHours(null)).toBe('—')
    expect(formatHours(0.5)).toMatch(/^30 min/)
    expect(formatHours(5.25)).toMatch(/^5\.3 hr/)
    expect(formatHours(30)).toMatch(/^30 hr/)
    expect(formatHours(72)).toMatch(/^3 day/)
  })
})

describe('compact counts for the distribution bars', () => {
  it('keeps counts under a thousand exact and shortens larger ones to fit a narrow column', () => {
    expect(formatCompactCount(999)).toBe('999')
    expect(formatCompactCount(1234)).toBe('1.2K')
    expect(formatCompactCount(91_234)).toBe('91K')
    expect(formatCompactCount(1_250_000)).toBe('1.3M')
    expect(formatCompactCount(null)).toBe('—')
  })
})
