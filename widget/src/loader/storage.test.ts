import { describe, expect, it } from 'vitest'
import { MemoryStorage } from '../test/fakes.ts'
import { jsonStorage } from './storage.ts'

describe('jsonStorage', () => {
  it('keeps JSON values under npskit: keys', () => {
    const raw = new MemoryStorage()
    const kv = jsonStorage(() => raw)
    kv.set('s:srv_a', { v: 2 })
    expect(raw.getItem('npskit:s:srv_a')).toBe('{"v":2}')
    expect(kv.get('s:srv_a')).toEqual({ v: 2 })
    kv.remove('s:srv_a')
    expect(kv.get('s:srv_a')).toBeUndefined()
  })

  it('swallows storage that throws, as in private mode or when storage is disabled', () => {
    const kv = jsonStorage(() => new MemoryStorage(true))
    expect(() => kv.set('vid', 'x')).not.toThrow()
    expect(kv.get('vid')).toBeUndefined()
    const denied = jsonStorage(() => {
      throw new DOMException('denied', 'SecurityError')
    })
    expect(denied.get('vid')).toBeUndefined()
  })

  it('reads a corrupt value as missing', () => {
    const raw = new MemoryStorage()
    raw.setItem('npskit:q', '{not json')
    expect(jsonStorage(() => raw).get('q')).toBeUndefined()
  })
})
