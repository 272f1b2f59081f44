import { describe, expect, it } from 'vitest'
import { translations } from './i18n.ts'
import { linkPageTexts } from './link-texts.ts'

describe('the link pages’ texts', () => {
  it('speak every language the card ships, and no other', () => {
    expect(Object.keys(linkPageTexts).sort()).toEqual(Object.keys(translations).sort())
  })

  it('have every text in every language, translated, the wait says how long and the hint which score', () => {
    const keys = Object.keys(linkPageTexts.en!).sort()
    for (const [locale, texts] of Object.entries(linkPageTexts)) {
      expect(Object.keys(texts).sort(), locale).toEqual(keys)
      for (const [key, text] of Object.entries(texts)) {
        expect(text.trim().length, `${locale}.${key}`).toBeGreaterThan(0)
        if (locale !== 'en') expect(text, `${locale}.${key}`).not.toBe(linkPageTexts.en![key as 'waitText'])
      }
      expect(texts.waitText, locale).toContain('{seconds}')
      expect(texts.confirmScore, locale).toContain('{score}')
    }
  })
})
