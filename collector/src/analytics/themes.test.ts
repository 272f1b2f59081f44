import { themeImpact } from '@npskit/shared'
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
    expect(terms.has('price high')).toBe(true)
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

  it('strips French and Italian elisions and folds accents', () => {
    const terms = termsOf("L'équipe d'assistance, dell'applicazione")
    expect(terms.has('equipe')).toBe(true)
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

const counts = (promoters: number, passives: number, detractors: number) => ({
  promoters,
  passives,
  detractors,
})

describe('normalizeWord', () => {
  it('folds German umlauts and ß the German way, drops other accents, and strips plurals lightly', () => {
    expect(termsOf('Rückerstattung').has('rueckerstattung')).toBe(true)
    expect(termsOf('Rueckerstattung').has('rueckerstattung')).toBe(true)
    expect(termsOf('STRASSE Straße').has('strasse')).toBe(true)
    expect(termsOf('Rechnungen').has('rechnung')).toBe(true)
    expect([...termsOf('errors')]).toEqual(['error'])
    expect([...termsOf('invoices')]).toEqual(['invoice'])
    expect([...termsOf('crashes')]).toEqual(['crash'])
    expect([...termsOf('replies')]).toEqual(['reply'])
    expect([...termsOf('process status always')]).toEqual([
      'process',
      'status',
      'process status',
      'always',
      'status always',
    ])
  })
})

describe('ThemeCounter', () => {
  it('ranks the terms that cost the most points first, with the impact themeImpact gives', () => {
    const counter = new ThemeCounter()
    for (const c of ['slow app', 'slow login', 'slow again', 'app crashes']) counter.add(c, 2)
    for (const c of ['great app', 'love the app', 'nice']) counter.add(c, 10)
    // 20 answers in all: 3 commented promoters + 7 silent ones, 4 commented detractors + 6 silent passives.
    const all = counts(10, 6, 4)
    const themes = counter.themes({ category: 'detractor', limit: 10, minCount: 2, all })
    expect(themes.map((t) => t.term)).toEqual(['slow'])
    expect(themes[0]).toMatchObject({
      term: 'slow',
      source: 'discovered',
      count: 3,
      share: 3 / 4,
      // No other comment says "slow": the other share is floored at 1%.
      lift: 3 / 4 / 0.01,
      mentions: 3,
      impact: themeImpact(counts(0, 0, 3), all).impact,
      impactCi95: themeImpact(counts(0, 0, 3), all).ci95,
      npsMentioning: -100,
      examples: ['slow app', 'slow login', 'slow again'],
    })
    // "app" is as common among the others: lift (2/4)/(2/3) < 1, so it does not stand out.
  })

  it('lets a phrase absorb the words it covers in most of their mentions', () => {
    const counter = new ThemeCounter()
    for (let i = 0; i < 5; i++) counter.add(`billing errors again ${i}`, 1)
    counter.add('billing is confusing', 1)
    counter.add('errors everywhere', 1)
    counter.add('errors on login', 1)
    counter.add('great', 10)
    const themes = counter.themes({ category: 'detractor', limit: 10, minCount: 2, all: counts(1, 0, 8) })
    const phrase = themes.find((t) => t.term === 'billing error')!
    // billing: 5 of 6 mentions are the phrase (≥ 60%) → absorbed; error: 5 of 7 (71%) → absorbed.
    expect(phrase.absorbed.sort()).toEqual(['billing', 'error'])
    expect(themes.map((t) => t.term)).not.toContain('billing')
    expect(themes.map((t) => t.term)).not.toContain('error')
  })

  it('merges two phrases of one sentence that share a word into the commoner one', () => {
    const counter = new ThemeCounter()
    for (let i = 0; i < 4; i++) counter.add(`the checkout page freezes ${i}`, 1)
    counter.add('checkout page is ugly', 2)
    counter.add('the page freezes', 3)
    for (let i = 0; i < 3; i++) counter.add('slow page load', 0)
    counter.add('great', 10)
    const themes = counter.themes({ category: 'detractor', limit: 10, minCount: 2, all: counts(1, 0, 9) })
    const terms = themes.map((t) => t.term)
    // "checkout page" (5) and "page freeze" (5) are written together in 4 of 5 comments: one theme.
    expect(terms.filter((t) => t === 'checkout page' || t === 'page freeze')).toHaveLength(1)
    const merged = themes.find((t) => t.term === 'checkout page')!
    expect(merged.absorbed).toContain('page freeze')
    // "slow page load" is another complaint: its phrases merge with each other, not into the checkout one.
    expect(merged.absorbed).not.toContain('slow page')
    expect(themes.find((t) => t.term === 'page load')!.absorbed).toContain('slow page')
  })

  it('keeps a word when the phrase covers less than 60% of its mentions', () => {
    const counter = new ThemeCounter()
    for (let i = 0; i < 2; i++) counter.add('billing errors', 1)
    for (let i = 0; i < 3; i++) counter.add('errors', 1)
    const names = counter
      .themes({ category: 'detractor', limit: 10, minCount: 2, all: counts(0, 0, 5) })
      .map((t) => t.term)
    expect(names).toContain('error')
    expect(names).toContain('billing error')
    expect(names).not.toContain('billing')
  })

  it('counts a dictionary theme across languages under its name and absorbs its spellings', () => {
    const counter = new ThemeCounter({ billing: ['billing', 'invoice', 'Rechnung'] })
    counter.add('The invoice was wrong', 0)
    counter.add('Die Rechnungen sind falsch', 0)
    counter.add('billing is a mess', 3)
    counter.add('Love it', 10)
    const themes = counter.themes({ category: 'detractor', limit: 10, minCount: 2, all: counts(1, 0, 3) })
    expect(themes[0]).toMatchObject({ term: 'billing', source: 'dictionary', count: 3, mentions: 3 })
    expect(themes[0]!.absorbed.sort()).toEqual(['billing', 'invoice', 'rechnung'])
    expect(themes[0]!.examples).toEqual([
      'The invoice was wrong',
      'Die Rechnungen sind falsch',
      'billing is a mess',
    ])
    expect(themes.map((t) => t.term)).not.toContain('rechnung')
  })

  it('labels a theme with its most common spelling in the comments, not its folded form', () => {
    const counter = new ThemeCounter({ Abrechnung: ['Rechnung'] })
    for (const c of ['Die App stürzt ab', 'App STÜRZT ständig ab', 'stürzt ab, schon wieder', 'Stuerzt ab'])
      counter.add(c, 1)
    for (const c of ['Rechnungen falsch', 'Rechnung falsch']) counter.add(c, 2)
    counter.add('Läuft super', 10)
    const themes = counter.themes({ category: 'detractor', limit: 10, minCount: 2, all: counts(1, 0, 6) })
    const crash = themes.find((t) => t.term === 'stuerzt ab')!
    expect(crash.label).toBe('stürzt ab')
    // The trend and the dictionary keep matching on the normalised term.
    expect(termsOf('Stürzt ab').has(crash.term)).toBe(true)
    expect(themes.find((t) => t.source === 'dictionary')!.label).toBe('Abrechnung')
    // A plural the term lost to stemming is shown as people write it.
    const billing = new ThemeCounter()
    for (let i = 0; i < 3; i++) billing.add(`errors ${i}`, 0)
    billing.add('error', 0)
    const [error] = billing.themes({ category: 'detractor', limit: 1, minCount: 2, all: counts(3, 0, 4) })
    expect(error).toMatchObject({ term: 'error', label: 'errors' })
  })

  it('keeps three distinct examples per theme, newest first, each cut to a bounded length', () => {
    const counter = new ThemeCounter()
    const long = `slow ${'very '.repeat(100)}`
    for (const c of ['slow one', 'slow one', long, 'slow three', 'slow four']) counter.add(c, 0)
    const [slow] = counter.themes({ category: 'detractor', limit: 1, minCount: 5, all: counts(6, 0, 5) })
    expect(slow!.examples).toHaveLength(3)
    expect(slow!.examples[0]).toBe('slow one')
    expect(slow!.examples[1]!.length).toBe(280)
    expect(slow!.examples[1]!.endsWith('…')).toBe(true)
  })

  it('honours limit and minCount', () => {
    const counter = new ThemeCounter()
    for (const c of ['alpha beta', 'gamma delta', 'epsilon zeta']) counter.add(c, 0)
    const all = counts(0, 0, 5)
    expect(counter.themes({ category: 'detractor', limit: 2, minCount: 1, all })).toHaveLength(2)
    expect(counter.themes({ category: 'detractor', limit: 10, minCount: 2, all })).toEqual([])
  })

  it('counts many comments in slices, letting other work run before it finishes, to the same themes', async () => {
    const comments = Array.from({ length: 600 }, (_, i) => ({
      comment: `${'checkout slow payment failed support helpful delivery late '.repeat(30)} n${i % 7}`,
      score: i % 11,
    }))
    const once = new ThemeCounter()
    for (const c of comments) once.add(c.comment, c.score)
    const sliced = new ThemeCounter()
    let otherWorkRan = false
    setImmediate(() => {
      otherWorkRan = true
    })
    const counting = sliced.addAll(comments).then(() => otherWorkRan)
    expect(await counting).toBe(true)
    const options = { category: 'detractor' as const, limit: 20, minCount: 1, all: counts(200, 200, 400) }
    expect(sliced.themes(options)).toEqual(once.themes(options))
  })
})
