import { describe, expect, it } from 'vitest'
import { STOP_WORD_LANGUAGES, ThemeCounter, termsOf } from './themes.ts'

describe('termsOf', () => {
  it('lowercases, drops stop words and pairs adjacent kept words into phrases', () => {
    expect([...termsOf('The Checkout Page is slow')]).toEqual(['checkout', 'page', 'checkout page', 'slow'])
  })

  it('never makes a phrase across punctuation or a stop word', () => {
    const terms = termsOf('Fast delivery. Support was rude, prices high')
    expect(terms.has('delivery support')).toBe(false)
    expect(terms.has('rude prices')).toBe(false)
    expect(terms.has('prices high')).toBe(true)
  })

  it('removes stop words in every supported language', () => {
    const sentences: Record<(typeof STOP_WORD_LANGUAGES)[number], string> = {
      en: 'the and with',
      de: 'und der mit',
      fr: 'les avec dans',
      es: 'los con para',
      it: 'gli con della',
      pt: 'os com para',
      nl: 'het met voor',
      pl: 'się jest oraz',
      sv: 'och med att',
    }
    for (const language of STOP_WORD_LANGUAGES)
      expect([...termsOf(sentences[language])], language).toEqual([])
  })

  it('keeps negations, which make a complaint', () => {
    expect(termsOf('It is not working').has('not working')).toBe(true)
    expect(termsOf('Ça ne marche pas').has('pas')).toBe(true)
  })

  it('strips French and Italian elisions and keeps accents', () => {
    const terms = termsOf("L'équipe d'assistance, dell'applicazione")
    expect(terms.has('équipe')).toBe(true)
    expect(terms.has('assistance')).toBe(true)
    expect(terms.has('applicazione')).toBe(true)
  })

  it('cuts Japanese and Chinese into words with the dictionary word breaker', () => {
    expect(termsOf('配送がとても遅いです').has('遅い')).toBe(true)
    expect(termsOf('送货太慢了').has('送货')).toBe(true)
  })

  it('counts each term once per comment and ignores bare numbers', () => {
    expect([...termsOf('slow slow 10 10')]).toEqual(['slow', 'slow slow'])
  })
})

describe('ThemeCounter', () => {
  it('ranks distinctive frequent terms first with add-one smoothed lift', () => {
    const counter = new ThemeCounter()
    for (const c of ['slow app', 'slow login', 'slow again', 'app crashes']) counter.add(c, true)
    for (const c of ['great app', 'love the app', 'nice']) counter.add(c, false)
    const terms = counter.terms({ limit: 10, minCount: 2 })
    expect(terms.map((t) => t.term)).toEqual(['slow'])
    expect(terms[0]).toEqual({ term: 'slow', count: 3, share: 3 / 4, lift: 4 / 6 / (1 / 5) })
    // "app" is as common among the others: lift (3/6)/(3/5) < 1, so it does not stand out.
  })

  it('honours limit and minCount', () => {
    const counter = new ThemeCounter()
    counter.add('alpha beta gamma', true)
    expect(counter.terms({ limit: 2, minCount: 1 })).toHaveLength(2)
    expect(counter.terms({ limit: 10, minCount: 2 })).toEqual([])
  })

  it('counts many comments in slices, letting other work run before it finishes, to the same terms', async () => {
    const comments = Array.from(
      { length: 600 },
      (_, i) => `${'checkout slow payment failed support helpful delivery late '.repeat(30)} n${i % 7}`,
    )
    const once = new ThemeCounter()
    for (const c of comments) once.add(c, true)
    once.add('great app', false)
    const sliced = new ThemeCounter()
    let otherWorkRan = false
    setImmediate(() => {
      otherWorkRan = true
    })
    const counting = sliced.addAll(comments, true).then(() => otherWorkRan)
    expect(await counting).toBe(true)
    sliced.add('great app', false)
    expect(sliced.terms({ limit: 20, minCount: 1 })).toEqual(once.terms({ limit: 20, minCount: 1 }))
  })
})
